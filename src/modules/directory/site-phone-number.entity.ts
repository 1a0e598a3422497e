import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, Column, PrimaryColumn } from 'typeorm';
import { Site } from './site.entity';

/**
 * One of a site's own phone lines (a ward, a reception): a call from it is about that site. A number belongs to
 * one site at most (the primary key), so the phone menu never has to choose.
 */
@Entity('site_phone_number')
export class SitePhoneNumber {
  /** E.164. */
  @PrimaryColumn({ type: 'varchar', length: 20 })
  phoneNumber: string;

  @Index()
  @Column({ type: 'uuid' })
  siteId: string;

  @ManyToOne(() => Site, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id' })
  site?: Site;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
