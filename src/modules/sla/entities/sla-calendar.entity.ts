import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { OpeningInterval, Weekday } from '../domain/business-calendar';

/**
 * A business calendar the SLA clocks run on: weekly opening hours in an IANA zone, closed on the England & Wales
 * bank holidays (the domain's table with the admin overrides) when `bankHolidays` is set. `version` goes up on
 * every change to the calendar or to the holiday overrides, so every process can tell a cached copy is stale.
 */
@Entity('sla_calendar')
export class SlaCalendar {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 64, default: 'Europe/London' })
  zone: string;

  /** luxon weekday ("1" = Monday … "7" = Sunday) → opening intervals ('HH:mm', close may be '24:00'). */
  @Column({ type: 'jsonb' })
  week: Record<Weekday, OpeningInterval[]>;

  @Column({ type: 'boolean', default: true })
  bankHolidays: boolean;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
