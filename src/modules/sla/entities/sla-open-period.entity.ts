import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The open (business) stretches of each calendar as rows, for reports that measure business time in SQL: the
 * domain's `openIntervals` (opening hours minus bank holidays with their overrides), written per calendar and
 * year by SlaOpenPeriods. Business time of an interval is the sum of its overlaps with these rows.
 */
@Entity('sla_open_period')
export class SlaOpenPeriod {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  calendarCode: string;

  @PrimaryColumn({ type: 'timestamptz' })
  opensAt: Date;

  @Column({ type: 'timestamptz' })
  closesAt: Date;
}

/** Which (calendar, year) has its open periods written, from which calendar version (a newer one rewrites it). */
@Entity('sla_open_period_year')
export class SlaOpenPeriodYear {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  calendarCode: string;

  @PrimaryColumn({ type: 'integer' })
  year: number;

  @Column({ type: 'integer' })
  calendarVersion: number;
}
