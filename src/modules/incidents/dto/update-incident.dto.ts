import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import {
  IMPACTS,
  PRIORITIES,
  URGENCIES,
  type Impact,
  type Priority,
  type Urgency,
} from '../domain/incident-enums';
import { NotBlank, SingleLine } from '../../../common/http/text-fields';

/** Fields an agent may change. Priority follows impact x urgency unless overridden with a reason. */
export class UpdateIncidentDto {
  @ApiPropertyOptional({ example: 'Wi-Fi down in outpatients (both floors)' })
  @IsOptional()
  @SingleLine()
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  summary?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @NotBlank()
  @MaxLength(20_000)
  description?: string;

  @ApiPropertyOptional({ example: '2002' })
  @IsOptional()
  @Matches(/^\d{3,8}$/, { message: 'must be a site code of 3-8 digits' })
  siteCode?: string;

  @ApiPropertyOptional({ example: 'lan' })
  @IsOptional()
  @Matches(/^[a-z0-9_]{2,32}$/, { message: 'must be a service code such as wireless' })
  service?: string;

  @ApiPropertyOptional({ enum: IMPACTS })
  @IsOptional()
  @IsIn(IMPACTS)
  impact?: Impact;

  @ApiPropertyOptional({ enum: URGENCIES })
  @IsOptional()
  @IsIn(URGENCIES)
  urgency?: Urgency;

  @ApiPropertyOptional({
    enum: PRIORITIES,
    nullable: true,
    description: 'Override (with priorityReason), or null to go back to the matrix',
  })
  @IsOptional()
  @ValidateIf((_: unknown, v: unknown) => v !== null)
  @IsIn(PRIORITIES)
  priority?: Priority | null;

  @ApiPropertyOptional({ example: 'Clinic cancelled because of it' })
  @ValidateIf((o: UpdateIncidentDto) => typeof o.priority === 'string')
  @SingleLine()
  @IsString()
  @MinLength(3, { message: 'priorityReason is required (3+ characters) when priority is given' })
  @MaxLength(1000)
  priorityReason?: string;
}
