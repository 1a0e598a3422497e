import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Frequency } from './domain/report-schedule';

/**
 * A standing order for the SLA report by email: a recipient user, a trust (null: every trust, for desk managers
 * and admins), weekly or monthly, on a day at a time in Europe/London. Each has a BullMQ job scheduler; this
 * table is the truth they are rebuilt from at boot.
 */
@Entity('report_subscription')
export class ReportSubscription {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('report_subscription_user_idx')
  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'uuid', nullable: true })
  trustId: string | null;

  @Column({ type: 'varchar', length: 8 })
  frequency: Frequency;

  /** ISO weekday 1 (Monday) .. 7 (Sunday), weekly only. */
  @Column({ type: 'smallint', nullable: true })
  dayOfWeek: number | null;

  /** 1..28, monthly only. */
  @Column({ type: 'smallint', nullable: true })
  dayOfMonth: number | null;

  /** 'HH:MM', Europe/London. */
  @Column({ type: 'varchar', length: 5 })
  timeOfDay: string;

  @Column({ type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
