import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { SiteClassCode } from './domain/site-classes';

export { SITE_CLASSES, type SiteClassCode } from './domain/site-classes';

/** A kind of site; names the business calendar its SLA clocks run on. */
@Entity('site_class')
export class SiteClass {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  code: SiteClassCode;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  calendarCode: string;

  @Column({ type: 'text', nullable: true })
  accessNotes: string | null;
}
