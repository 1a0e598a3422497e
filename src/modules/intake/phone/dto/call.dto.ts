import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../../../../common/http/pagination';
import { CALL_OUTCOMES, type CallOutcome } from '../phone-call.entity';

export class CallStepDto {
  @ApiProperty({
    example: 'service',
    description: 'The menu step answered (or `answered`, `recorded`, `status`)',
  })
  step: string;
  @ApiProperty({ nullable: true, type: String, example: '1', description: 'The keys pressed; null for none' })
  digits: string | null;
  @ApiProperty({ example: 'service_wireless', description: 'What the menu decided' }) decision: string;
  @ApiProperty() at: string;
}

export class CallRecordingDto {
  @ApiProperty({
    description: "The recording's address at Twilio (its REST API; fetching it needs the account's key)",
  })
  url: string;
  @ApiProperty({ nullable: true, type: Number }) durationSeconds: number | null;
}

export class CallTranscriptionDto {
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'completed',
    description: "Twilio's TranscriptionStatus",
  })
  status: string | null;
  @ApiProperty({ nullable: true, type: String }) text: string | null;
}

export class CallSiteDto {
  @ApiProperty({ example: '2001' }) code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['line', 'contact', 'code'], description: 'How the site was found' }) source: string;
}

/** One call to the desk's number, as the call log and the incident's `calls` show it. */
export class CallDto {
  @ApiProperty({ example: `CA${'0'.repeat(32)}` }) callSid: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '+447700900123',
    description: "The caller's number, E.164",
  })
  from: string | null;
  @ApiProperty({ nullable: true, type: String }) to: string | null;
  @ApiProperty() startedAt: string;
  @ApiProperty({ nullable: true, type: String }) endedAt: string | null;
  @ApiProperty({ nullable: true, type: Number }) durationSeconds: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "Twilio's final CallStatus, or `idle` when the call went silent and was taken as ended",
  })
  status: string | null;
  @ApiProperty({ nullable: true, enum: CALL_OUTCOMES, description: 'null while the call is going on' })
  outcome: CallOutcome | null;
  @ApiProperty({ nullable: true, type: String, example: 'INC-000123' }) incident: string | null;
  @ApiProperty({ nullable: true, type: CallSiteDto }) site: CallSiteDto | null;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: ['wireless', 'lan', 'voice', 'remote_access', 'mobile', 'other'],
    description: 'The service chosen (0 is `other`)',
  })
  service: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['site_down', 'one_user'] }) impact: string | null;
  @ApiProperty({ description: 'Whether three site codes failed and the message went to triage' })
  triage: boolean;
  @ApiProperty({ type: [CallStepDto] }) steps: CallStepDto[];
  @ApiProperty({ nullable: true, type: CallRecordingDto }) recording: CallRecordingDto | null;
  @ApiProperty({ nullable: true, type: CallTranscriptionDto }) transcription: CallTranscriptionDto | null;
}

export class CallQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CALL_OUTCOMES })
  @IsOptional()
  @IsIn(CALL_OUTCOMES)
  outcome?: CallOutcome;

  @ApiPropertyOptional({ example: 'INC-000123', description: 'Calls linked to this incident' })
  @IsOptional()
  @Matches(/^INC-\d{6,18}$/i, { message: 'must be a reference such as INC-000123' })
  incident?: string;
}
