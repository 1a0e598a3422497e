import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One contract clock of one escalation (`acknowledge` or `fix`), on the SLA engine's calendars from the moment of
 * escalation: when it is due, when the 75 % warning falls (for acknowledge: the chase), when it was met, warned and
 * breached. Recorded against the supplier, apart from the customer SLA.
 */
@Entity('supplier_clock')
@Index('supplier_clock_due_idx', ['nextCheckAt'])
export class SupplierClock {
  @PrimaryColumn({ type: 'uuid' })
  escalationId: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  target: string;

  @Column({ type: 'varchar', length: 2 })
  priority: string;

  @Column({ type: 'varchar', length: 32 })
  calendarCode: string;

  @Column({ type: 'int' })
  targetMinutes: number;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'timestamptz' })
  warnAt: Date;

  @Column({ type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  metAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  warnedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  breachedAt: Date | null;

  /** The next instant something is due (warnAt, then dueAt); null once met, breached or stopped. */
  @Column({ type: 'timestamptz', nullable: true })
  nextCheckAt: Date | null;
}
