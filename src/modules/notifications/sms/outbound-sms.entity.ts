import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const SMS_STATUSES = ['pending', 'sent', 'failed'] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

/** Texts written once per incident (see `purpose`). */
export type SmsPurpose = 'on_call_p1';

/**
 * A text message the desk has decided to send (references and updates to callers, P1 alerts and SLA warnings to
 * on-call numbers). Written in the transaction that decided it; a job (`sms-{id}`) sends it through Twilio, and the
 * text sweeper re-queues pending rows.
 */
@Entity('outbound_sms')
@Index('outbound_sms_pending_idx', ['nextAttemptAt'], { where: "status = 'pending'" })
@Index('outbound_sms_purpose_once_idx', ['incidentId', 'purpose', 'toNumber'], {
  unique: true,
  where: 'purpose IS NOT NULL',
})
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

  /**
   * A text the desk sends once per incident (`on_call_p1`: the P1 alert to the service's on-call numbers); null for
   * any other text. At most one row per incident, purpose and number.
   */
  @Column({ type: 'varchar', length: 32, nullable: true })
  purpose: SmsPurpose | null;

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
