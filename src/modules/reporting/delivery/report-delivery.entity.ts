import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const DELIVERY_STATUSES = ['sent', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One run's decision for one subscription and period: `sent` (with the outbound mail it queued) or `skipped` and
 * why. Unique per (subscription, period start) and written in the transaction that queues the mail, so a retried
 * or duplicated job finds it and sends nothing twice. Kept when the subscription is deleted.
 */
@Entity('report_delivery')
@Index('report_delivery_subscription_period_idx', ['subscriptionId', 'periodStart'], { unique: true })
export class ReportDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  subscriptionId: string;

  @Column({ type: 'timestamptz' })
  periodStart: Date;

  /** First and last local day of the period, 'YYYY-MM-DD'. */
  @Column({ type: 'date' })
  periodFrom: string;

  @Column({ type: 'date' })
  periodTo: string;

  @Column({ type: 'varchar', length: 16 })
  status: DeliveryStatus;

  @Column({ type: 'varchar', length: 64, nullable: true })
  reason: string | null;

  @Column({ type: 'uuid', nullable: true })
  outboundMessageId: string | null;

  /** A sent run: whether the mail carried the CSV (false: too large for mail, the mail links to the report). */
  @Column({ type: 'boolean', nullable: true })
  csvAttached: boolean | null;

  @Column({ type: 'timestamptz' })
  decidedAt: Date;
}
