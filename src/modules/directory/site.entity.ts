import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { SiteClass, type SiteClassCode } from './site-class.entity';
import { Trust } from './trust.entity';

@Entity('site')
export class Site {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Short numeric code a caller keys on the phone. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 8 })
  code: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Index()
  @Column({ type: 'varchar', length: 32 })
  classCode: SiteClassCode;

  @ManyToOne(() => SiteClass, { nullable: false })
  @JoinColumn({ name: 'class_code', referencedColumnName: 'code' })
  siteClass?: SiteClass;

  @Index()
  @Column({ type: 'uuid' })
  trustId: string;

  @ManyToOne(() => Trust, { nullable: false })
  @JoinColumn({ name: 'trust_id' })
  trust?: Trust;

  @Column({ type: 'varchar', length: 100, nullable: true })
  town: string | null;

  @Column({ type: 'text', nullable: true })
  accessNotes: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
