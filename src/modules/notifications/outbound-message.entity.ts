import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const OUTBOUND_STATUSES = ['pending', 'sent', 'failed', 'suppressed'] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

/**
 * An email the desk has decided to send. The row is written in the same transaction as the change that caused
 * it; a queue job (jobId = row id) sends it, and a sweeper re-queues pending rows, so no message is lost when a
 * queue or a relay is down.
 */
@Entity('outbound_message')
@Index('outbound_pending_idx', ['status', 'nextAttemptAt'])
/** Email intake's acknowledgement cap counts recent mail per recipient (migration EmailIntake). */
@Index('outbound_recipient_created_idx', ['toAddress', 'createdAt'])
export class OutboundMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  incidentId: string | null;

  /** Template name under templates/email (e.g. `incident-acknowledgement`). */
  @Column({ type: 'varchar', length: 64 })
  template: string;

  @Column({ type: 'varchar', length: 320 })
  toAddress: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  ccAddresses: string[];

  @Column({ type: 'varchar', length: 400 })
  subject: string;

  /** Values for the template (reference, summary, status link, ...). */
  @Column({ type: 'jsonb' })
  context: Record<string, unknown>;

  /** Our Message-ID for this mail, fixed when the row is written so a retry sends the same message. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 255 })
  messageId: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  inReplyTo: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  references: string[];

  /** Automatic mail carries `Auto-Submitted: auto-replied`. */
  @Column({ type: 'boolean', default: true })
  automatic: boolean;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: OutboundStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
