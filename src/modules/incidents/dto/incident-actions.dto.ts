import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import {
  RESOLUTION_CODES,
  STATUSES,
  type IncidentStatus,
  type ResolutionCode,
} from '../domain/incident-enums';
import { NotBlank } from '../../../common/http/text-fields';

export class ResolutionDto {
  @ApiProperty({ enum: RESOLUTION_CODES, example: 'supplier_fixed' })
  @IsIn(RESOLUTION_CODES)
  code: ResolutionCode;

  @ApiProperty({ example: 'VMB replaced the access point in outpatients; users reconnected.' })
  @IsString()
  @NotBlank()
  @MaxLength(5000)
  notes: string;
}

export class TransitionDto {
  @ApiProperty({ enum: STATUSES, example: 'resolved' })
  @IsIn(STATUSES)
  to: IncidentStatus;

  @ApiPropertyOptional({ type: ResolutionDto, description: 'Required when moving to resolved' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResolutionDto)
  resolution?: ResolutionDto;

  @ApiPropertyOptional({
    example: 'Waiting for the practice manager to confirm the room is free',
    description: 'Shown on the timeline',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class CommentDto {
  @ApiProperty({ example: 'An engineer will be on site by 14:00.' })
  @IsString()
  @NotBlank()
  @MaxLength(20_000)
  body: string;
}

export class AssignDto {
  @ApiProperty({
    nullable: true,
    type: String,
    example: '5b2f3c9e-4a43-4a55-9df0-6f0c1b2a7c11',
    description: 'A desk user id, or null to unassign',
  })
  @ValidateIf((_: unknown, v: unknown) => v !== null)
  @IsUUID()
  assigneeId: string | null;
}
