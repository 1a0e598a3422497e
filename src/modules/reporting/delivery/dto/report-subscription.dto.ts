import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { FREQUENCIES, type Frequency } from '../domain/report-schedule';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../report-delivery.entity';

export class CreateReportSubscriptionDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The user who receives the report (trust manager, desk manager, admin)',
  })
  @IsUUID('all', { message: 'must be a UUID' })
  recipientUserId: string;

  @ApiPropertyOptional({
    description:
      "Trust code. Omitted: the recipient's own trust for a trust manager, every trust for a desk manager or admin",
  })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  trust?: string;

  @ApiProperty({ enum: FREQUENCIES })
  @IsIn(FREQUENCIES, { message: `must be one of ${FREQUENCIES.join(', ')}` })
  frequency: Frequency;

  @ApiPropertyOptional({ minimum: 1, maximum: 7, description: 'Weekly: ISO weekday, 1 Monday .. 7 Sunday' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7)
  dayOfWeek?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 28, description: 'Monthly: day of the month, 1 .. 28' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(28)
  dayOfMonth?: number;

  @ApiProperty({
    example: '08:00',
    description:
      'HH:MM, 24-hour, Europe/London; not 01:00-01:59 (skipped or repeated when the clocks change)',
  })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time HH:MM (24-hour)' })
  timeOfDay: string;
}

export class ReportSubscriptionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) recipientUserId: string;
  @ApiProperty({ type: String, nullable: true, description: 'Trust code; null: every trust' }) trust:
    string | null;
  @ApiProperty({ enum: FREQUENCIES }) frequency: Frequency;
  @ApiProperty({ type: Number, nullable: true }) dayOfWeek: number | null;
  @ApiProperty({ type: Number, nullable: true }) dayOfMonth: number | null;
  @ApiProperty() timeOfDay: string;
  @ApiProperty({ example: 'Europe/London' }) timeZone: string;
  @ApiProperty({ description: 'The cron pattern its job scheduler runs on, in timeZone' }) cron: string;
  @ApiProperty({ format: 'date-time', description: 'The next run after now' }) nextRunAt: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ReportSubscriptionPageDto {
  @ApiProperty({ type: [ReportSubscriptionDto] }) items: ReportSubscriptionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ReportDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) subscriptionId: string;
  @ApiProperty({ example: '2027-03-01' }) periodFrom: string;
  @ApiProperty({ example: '2027-03-31' }) periodTo: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: DeliveryStatus;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why it was skipped: recipient_missing, recipient_disabled, recipient_role, recipient_trust',
  })
  reason: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) outboundMessageId: string | null;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description:
      'A sent run: whether the mail carried the CSV (false: larger than REPORT_MAIL_MAX_BYTES; the mail links to the report page instead). Null when skipped.',
  })
  csvAttached: boolean | null;
  @ApiProperty({ format: 'date-time' }) decidedAt: string;
}

export class ReportDeliveryPageDto {
  @ApiProperty({ type: [ReportDeliveryDto] }) items: ReportDeliveryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
