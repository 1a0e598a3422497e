import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SingleLine } from '../../../common/http/text-fields';
import { ESCALATION_STATUSES, type EscalationStatus } from '../domain/escalation-status';

export class ContractClockDto {
  @ApiProperty({ example: '2026-12-06T10:15:00.000Z' }) dueAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) metAt: string | null;
  @ApiProperty() breached: boolean;
}

export class EscalationClocksDto {
  @ApiProperty({ type: ContractClockDto, description: 'Until the supplier accepts (its reference arrives)' })
  acknowledge: ContractClockDto;
  @ApiProperty({ type: ContractClockDto, description: 'Until the supplier says it is fixed' })
  fix: ContractClockDto;
}

/** One escalation of an incident, as the incident JSON lists it (pinned). */
export class EscalationDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'vmb' }) supplier: string;
  @ApiProperty({ enum: ESCALATION_STATUSES }) status: EscalationStatus;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'VMB-123456' }) supplierReference:
    string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) sentAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) acknowledgedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resolvedAt: string | null;
  @ApiPropertyOptional({
    type: EscalationClocksDto,
    nullable: true,
    description: "The supplier's contract clocks (null: no contract targets for this priority)",
  })
  clock: EscalationClocksDto | null;
}

export class CreateEscalationDto {
  @ApiProperty({ example: 'vmb', description: 'Supplier code' })
  @Matches(/^[a-z0-9_]{2,32}$/, { message: 'must be a supplier code' })
  supplier: string;

  @ApiProperty({ example: 'WAN link down at the site; our checks show no fault on the desk side.' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

export class EscalationCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'vmb' }) supplier: string;
  @ApiProperty({ enum: ESCALATION_STATUSES }) status: EscalationStatus;
}

/** A supplier's update, by its signed webhook or a supplier user through the API (pinned body). */
export class SupplierUpdateDto {
  @ApiPropertyOptional({ example: 'INC-000123', description: 'Our reference (or escalationId)' })
  @IsOptional()
  @Matches(/^INC-\d{1,12}$/, { message: 'must be our reference, INC-…' })
  reference?: string;

  @ApiPropertyOptional({ description: 'The escalation (or reference)' })
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/, { message: 'must be an escalation id' })
  escalationId?: string;

  @ApiPropertyOptional({ example: 'VMB-123456' })
  @IsOptional()
  @SingleLine()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  supplierReference?: string;

  @ApiProperty({
    enum: [
      'acknowledged',
      'in_progress',
      'engineer_dispatched',
      'needs_info',
      'resolved',
      'not_ours',
      'update',
    ],
  })
  @IsIn([
    'acknowledged',
    'in_progress',
    'engineer_dispatched',
    'needs_info',
    'resolved',
    'not_ours',
    'update',
  ])
  status: string;

  @ApiPropertyOptional({
    description: 'Free text: the question (needs_info), the notes (resolved), the update',
  })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  message?: string;

  @ApiPropertyOptional({
    example: '2026-12-06T14:00:00Z',
    description: 'engineer_dispatched: when they arrive',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'must be an ISO 8601 date-time with a zone',
  })
  eta?: string;
}

export class SupplierUpdateAnswerDto {
  @ApiProperty() escalationId: string;
  @ApiProperty({ enum: ESCALATION_STATUSES }) status: EscalationStatus;
}
