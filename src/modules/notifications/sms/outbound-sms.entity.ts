import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const SMS_STATUSES = ['pending', 'sent', 'failed'] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

/**
 * A text message the desk has decided to send (P1 SLA warnings to the on-call list). Written in the transaction
 * that decided it; a job (`sms-{id}`) sends it through Twilio, and the SLA sweeper re-queues pending rows.
 */
@Entity('outbound_sms')
@Index('outbound_sms_pending_idx', ['nextAttemptAt'], { where: "status = 'pending'" })
export class OutboundSms {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  incidentId: string | null;

  /** E.164. */
  @Column({ type: 'varchar', length: 20 })
  toNumber: string;

  @Column({ type: 'varchar', length: 320 })
  body: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: SmsStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  /**
   * Where Twilio posts this text's delivery status (`delivered`, `failed`, ...), with `sms={id}` in its query;
   * null: no status callback.
   */
  @Column({ type: 'text', nullable: true })
  statusCallback: string | null;

  /** Twilio's message SID (or `outbox` when written to the development outbox). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  providerId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
