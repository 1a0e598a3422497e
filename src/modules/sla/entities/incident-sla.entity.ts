import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Incident } from '../../incidents/incident.entity';
import type { SlaTarget } from '../domain/incident-sla';

/**
 * One SLA clock of one incident (target `response` or `resolution`), as last computed. The due time is a column;
 * the engine recomputes the whole row from the incident's status history whenever the incident changes and
 * whenever a check falls due, so this row is a cache of the domain's answer plus the one fact only it holds: the
 * response `met_at` set by the first desk reply.
 *
 * `next_check_at` is when the next warning or the breach is reached (null when paused, met, breached or
 * stopped). A partial index on it is the sweeper's work list: "what is due" is one index range scan.
 */
@Entity('incident_sla')
@Index('incident_sla_next_check_idx', ['nextCheckAt'], { where: 'next_check_at IS NOT NULL' })
@Index('incident_sla_running_due_idx', ['dueAt'], { where: 'stopped_at IS NULL AND NOT paused' })
/** Reports: clocks stopped after an instant (the backlog at a period's end). */
@Index('incident_sla_stopped_idx', ['stoppedAt'], { where: 'stopped_at IS NOT NULL' })
export class IncidentSla {
  @PrimaryColumn({ type: 'uuid' })
  incidentId: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  target: SlaTarget;

  @ManyToOne(() => Incident, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id' })
  incident?: Incident;

  /** The sla_policy_version the terms came from (null: the built-in defaults, when no policy row existed). */
  @Column({ type: 'bigint', nullable: true })
  policyVersionId: string | null;

  @Column({ type: 'varchar', length: 32 })
  calendarCode: string;

  /** Business minutes of the calendar. */
  @Column({ type: 'integer' })
  targetMinutes: number;

  /**
   * The incident's reportedAt: the clock runs from here. Reports read a month's clocks by it from INCLUDE indexes
   * written by hand in migrations (TypeORM cannot declare INCLUDE), and the running ones from a partial index.
   */
  @Index('incident_sla_response_month_idx', { synchronize: false })
  @Index('incident_sla_resolution_month_idx', { synchronize: false })
  @Index('incident_sla_running_started_idx', { synchronize: false })
  @Column({ type: 'timestamptz' })
  startedAt: Date;

  /** When the target is (or was) due. While paused: the due time if the clock resumed at `computedAt`. */
  @Column({ type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  metAt: Date | null;

  /** Where the clock stopped: met, or the incident cancelled. Null while it runs or is paused. */
  @Column({ type: 'timestamptz', nullable: true })
  stoppedAt: Date | null;

  /** The instant the target was breached (its due time), once it has been. */
  @Column({ type: 'timestamptz', nullable: true })
  breachedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  paused: boolean;

  /** Business milliseconds elapsed as of `computedAt` (or at the stop). */
  @Column({ type: 'bigint' })
  elapsedMs: string;

  /** The desk clock's `now` of the last computation. */
  @Column({ type: 'timestamptz' })
  computedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  nextCheckAt: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
