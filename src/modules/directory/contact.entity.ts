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
import { Site } from './site.entity';
import { Trust } from './trust.entity';

/** A person who reports faults. Email is stored lower-cased and is unique when present. */
@Entity('contact')
export class Contact {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Index({ unique: true, where: 'email IS NOT NULL' })
  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  /** E.164, e.g. +447700900123. */
  @Index()
  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  @Column({ type: 'uuid', nullable: true })
  trustId: string | null;

  @ManyToOne(() => Trust, { nullable: true })
  @JoinColumn({ name: 'trust_id' })
  trust?: Trust | null;

  @Column({ type: 'uuid', nullable: true })
  usualSiteId: string | null;

  @ManyToOne(() => Site, { nullable: true })
  @JoinColumn({ name: 'usual_site_id' })
  usualSite?: Site | null;

  /** False for contacts created from an unknown email sender or a web form, until an agent confirms them. */
  @Column({ type: 'boolean', default: false })
  verified: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
