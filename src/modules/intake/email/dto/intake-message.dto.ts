import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../../../common/http/pagination';
import { INBOUND_STATUSES, type InboundStatus } from '../inbound-message.entity';

const commaList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;

export class IntakeMessageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: `Comma-separated: ${INBOUND_STATUSES.join(', ')}`,
    example: 'failed,refused',
  })
  @IsOptional()
  @Transform(commaList)
  @IsIn(INBOUND_STATUSES, { each: true })
  status?: InboundStatus[];
}

export class IntakeLogEntryDto {
  @ApiProperty({
    description:
      '0 parse, 1 dedupe, 2 automated, 3 bounce, 4 own mail, 5 threading, 6 sender and site, 7 create or append, 8 acknowledge',
  })
  step: number;
  @ApiProperty() name: string;
  @ApiProperty() decision: string;
  @ApiProperty() reason: string;
  @ApiProperty() at: string;
}

export class IntakeMessageDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['smtp', 'imap'] }) source: string;
  @ApiProperty() mailbox: string;
  @ApiProperty() receivedAt: string;
  @ApiProperty() size: number;
  @ApiProperty({ nullable: true, type: String }) envelopeFrom: string | null;
  @ApiProperty({ type: [String] }) envelopeTo: string[];
  @ApiProperty({ nullable: true, type: String, description: 'Normalised Message-ID' }) messageId:
    string | null;
  @ApiProperty({ nullable: true, type: String }) sender: string | null;
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty({
    nullable: true,
    type: Boolean,
    description:
      'Whether the relay in front of the desk vouched for the sender (Authentication-Results of a trusted authserv-id); null when not asked',
  })
  senderVerified: boolean | null;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: ['human', 'machine', 'automated', 'bounce', 'own_mail'],
  })
  kind: string | null;
  @ApiProperty({ enum: INBOUND_STATUSES }) status: InboundStatus;
  @ApiProperty({ nullable: true, type: String, example: 'created' }) decision: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'The step that decided' }) step: number | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'INC-000123' }) incident: string | null;
  @ApiProperty({ nullable: true, type: String }) duplicateOf: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) processedAt: string | null;
  @ApiProperty({ type: [IntakeLogEntryDto] }) log: IntakeLogEntryDto[];
}
