import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Incident } from '../../incidents/incident.entity';
import type { SlaTarget } from '../domain/incident-sla';

/**
 * A warning or breach that has happened: at most one per incident, target and level, enforced by the primary key.
 * Whoever inserts the row (INSERT ... ON CONFLICT DO NOTHING) sends the notices, in the same transaction, so a
 * level is acted on exactly once however many checkers race.
 */
@Entity('sla_event')
export class SlaEvent {
  @PrimaryColumn({ type: 'uuid' })
  incidentId: string;

  @ManyToOne(() => Incident, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id' })
  incident?: Incident;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  target: SlaTarget;

  /** Fraction of the target: a warning threshold, or 1 for the breach. */
  @PrimaryColumn({ type: 'numeric', precision: 5, scale: 4 })
  threshold: string;

  /** When the level was reached. */
  @Column({ type: 'timestamptz' })
  dueAt: Date;

  /** When the desk acted on it (its clock); `firedAt - dueAt` is the lateness. */
  @Column({ type: 'timestamptz' })
  firedAt: Date;
}
