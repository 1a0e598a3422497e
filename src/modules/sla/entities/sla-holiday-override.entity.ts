import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const OVERRIDE_ACTIONS = ['add', 'remove'] as const;
export type OverrideAction = (typeof OVERRIDE_ACTIONS)[number];

/** An admin correction to the England & Wales bank-holiday table: an extra closed day, or a table day removed. */
@Entity('sla_holiday_override')
export class SlaHolidayOverride {
  /** Local date in England. */
  @PrimaryColumn({ type: 'date' })
  date: string;

  @Column({ type: 'varchar', length: 8 })
  action: OverrideAction;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 320 })
  changedBy: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
