import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDateString,
  IsEmail,
  IsIn,
  IsNotEmptyObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  IMPACTS,
  PRIORITIES,
  URGENCIES,
  type Impact,
  type Priority,
  type Urgency,
} from '../domain/incident-enums';
import { IsOnOrAfter } from '../../../common/http/date-fields';
import { NotBlank, SingleLine } from '../../../common/http/text-fields';

/** The earliest `reportedAt` taken: history back to 2000 can be entered; anything older is a typo (`1026`, `0202`). */
export const EARLIEST_REPORTED_AT = '2000-01-01T00:00:00Z';

export class ReporterDto {
  @ApiProperty({ example: 'Dr Asha Patel' })
  @SingleLine()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'asha.patel@centrallancashire.nhs.uk' })
  @IsOptional()
  @IsEmail({ require_tld: false })
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ example: '+447700900123', description: 'E.164' })
  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'must be an E.164 number such as +447700900123' })
  phone?: string;
}

export class CreateIncidentDto {
  @ApiProperty({ example: '2001', description: 'The site code (digits)' })
  @Matches(/^\d{3,8}$/, { message: 'must be a site code of 3-8 digits' })
  siteCode: string;

  @ApiProperty({ example: 'wireless', description: 'Service code from GET /api/services' })
  @Matches(/^[a-z0-9_]{2,32}$/, { message: 'must be a service code such as wireless' })
  service: string;

  @ApiProperty({ enum: IMPACTS, example: 'several_users' })
  @IsIn(IMPACTS)
  impact: Impact;

  @ApiProperty({ enum: URGENCIES, example: 'high' })
  @IsIn(URGENCIES)
  urgency: Urgency;

  @ApiProperty({ example: 'Wi-Fi down in the outpatients waiting area', maxLength: 200 })
  @SingleLine()
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  summary: string;

  @ApiProperty({
    example: 'Since 09:10 no device can join NHS-WiFi in outpatients; the clinic PCs are fine.',
  })
  @IsString()
  @NotBlank()
  @MaxLength(20_000)
  description: string;

  @ApiProperty({ type: ReporterDto })
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => ReporterDto)
  reporter: ReporterDto;

  @ApiPropertyOptional({
    example: '2026-11-25T09:12:00Z',
    description: 'When it was reported (past or now; default now)',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  @IsOnOrAfter(EARLIEST_REPORTED_AT, {
    message: 'reportedAt must be 2000-01-01 or later: an earlier date is taken for a typo',
  })
  reportedAt?: string;

  @ApiPropertyOptional({ enum: PRIORITIES, description: 'Override the matrix; needs priorityReason' })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @ApiPropertyOptional({ example: 'Theatre list at risk', description: 'Required with priority' })
  @ValidateIf((o: CreateIncidentDto) => o.priority !== undefined)
  @SingleLine()
  @IsString()
  @MinLength(3, { message: 'priorityReason is required (3+ characters) when priority is given' })
  @MaxLength(1000)
  priorityReason?: string;
}
