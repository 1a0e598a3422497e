import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The answer given to one Twilio webhook, kept so that a retry (the same `I-Twilio-Idempotency-Token`, or the same
 * CallSid, step and turn; the same MessageSid) gets the same answer without being processed again. Written in the
 * transaction that did the webhook's work. Kept for a week (CallSweeper deletes older rows).
 */
@Entity('twilio_webhook')
export class TwilioWebhook {
  /** `voice:{CallSid}:{step}:{turn}`, `sms:{MessageSid}`, `sms-status:{MessageSid}:{status}`. */
  @PrimaryColumn({ type: 'varchar', length: 200 })
  key: string;

  @Index({ unique: true, where: 'idempotency_token IS NOT NULL' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  idempotencyToken: string | null;

  /** The TwiML answered. */
  @Column({ type: 'text' })
  response: string;

  @Index()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
