import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { EscalationStatus } from './domain/escalation-status';

/**
 * An incident handed to a supplier: who asked and why, its delivery by the supplier's channel (webhook or email),
 * what the supplier said back, and when it ended (the supplier handed the incident back, it was cancelled or its
 * delivery failed). The supplier's contract clocks are `supplier_clock` rows.
 */
@Entity('escalation')
@Index('escalation_supplier_incident_idx', ['supplierId', 'incidentId'])
@Index('escalation_created_idx', ['createdAt'])
export class Escalation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  incidentId: string;

  @Column({ type: 'uuid' })
  supplierId: string;

  /** The supplier's own reference for the job, once they tell us (the handoff counts as accepted from then). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  supplierReference: string | null;

  /** pending, sent, acknowledged, in_progress, resolved, failed, cancelled. */
  @Column({ type: 'varchar', length: 24, default: 'pending' })
  status: EscalationStatus;

  @Column({ type: 'text', default: '' })
  reason: string;

  /** Who escalated: a user, or null for a routing rule. */
  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'varchar', length: 200, default: '' })
  createdByName: string;

  /** `webhook` or `email`, fixed when it is made. */
  @Column({ type: 'varchar', length: 16, default: 'webhook' })
  channel: string;

  /** Delivery attempts so far (all rounds), and the last failure's short reason (no bodies). */
  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'varchar', length: 300, nullable: true })
  lastError: string | null;

  /** Manual retries after a final failure: each is a new delivery job (`deliver-{id}-{round}`), same key. */
  @Column({ type: 'int', default: 0 })
  round: number;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  /** When the supplier stopped holding the incident (resolved, cancelled, failed); null while open. */
  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  /** The supplier sent it back as not theirs. */
  @Column({ type: 'boolean', default: false })
  notOurs: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
