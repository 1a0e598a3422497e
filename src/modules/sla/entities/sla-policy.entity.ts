import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SiteClassCode } from '../../directory/site-class.entity';
import type { Priority } from '../../incidents/domain/incident-enums';

/**
 * The SLA policy in force for a site class and priority: first-response and resolution targets in business
 * minutes of a calendar. `calendarCode` null means "the site class's calendar" (site_class.calendar_code); the
 * seeded P1 rows name `24x7` (P1 is forced to run round the clock). `versionId` is the sla_policy_version row
 * that holds these values; incidents remember it.
 */
@Entity('sla_policy')
export class SlaPolicy {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  siteClassCode: SiteClassCode;

  @PrimaryColumn({ type: 'varchar', length: 2 })
  priority: Priority;

  @Column({ type: 'varchar', length: 32, nullable: true })
  calendarCode: string | null;

  @Column({ type: 'integer' })
  responseMinutes: number;

  @Column({ type: 'integer' })
  resolutionMinutes: number;

  @Column({ type: 'bigint' })
  versionId: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
