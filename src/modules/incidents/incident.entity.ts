import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { Contact } from '../directory/contact.entity';
import { Service } from '../directory/service.entity';
import type { SiteClassCode } from '../directory/site-class.entity';
import { Site } from '../directory/site.entity';
import { Trust } from '../directory/trust.entity';
import { User } from '../users/user.entity';
import type {
  Channel,
  Impact,
  IncidentStatus,
  Priority,
  ResolutionCode,
  Urgency,
} from './domain/incident-enums';

/*
 * Indexes follow the list endpoint's keyset sorts (every sort ends in `id`): newest first overall, per trust,
 * per site class and per status; and the open queue in priority order, a partial index over open statuses.
 */
@Entity('incident')
@Index('incident_reported_idx', ['reportedAt', 'id'])
@Index('incident_trust_reported_idx', ['trustId', 'reportedAt', 'id'])
/** A trust's queue in one status, newest first (a trust manager's and the desk's per-trust views). */
@Index('incident_trust_status_reported_idx', ['trustId', 'status', 'reportedAt', 'id'])
@Index('incident_class_reported_idx', ['siteClassCode', 'reportedAt', 'id'])
@Index('incident_status_reported_idx', ['status', 'reportedAt', 'id'])
@Index('incident_open_queue_idx', ['priority', 'reportedAt', 'id'], {
  where: "status IN ('new', 'assigned', 'in_progress', 'awaiting_caller', 'awaiting_supplier')",
})
export class Incident {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** From the sequence `incident_number_seq` (a bigserial); the reference `INC-000123` is formatted from it. */
  @Column({ type: 'bigint', unique: true })
  @Generated('increment')
  number: string;

  @Column({ type: 'uuid' })
  trustId: string;

  @ManyToOne(() => Trust, { nullable: false })
  @JoinColumn({ name: 'trust_id' })
  trust?: Trust;

  @Index()
  @Column({ type: 'uuid' })
  siteId: string;

  @ManyToOne(() => Site, { nullable: false })
  @JoinColumn({ name: 'site_id' })
  site?: Site;

  /** Copied from the site so queues filter by class without a join; updated when the site changes. */
  @Column({ type: 'varchar', length: 32 })
  siteClassCode: SiteClassCode;

  @Index()
  @Column({ type: 'uuid' })
  serviceId: string;

  @ManyToOne(() => Service, { nullable: false })
  @JoinColumn({ name: 'service_id' })
  service?: Service;

  @Column({ type: 'varchar', length: 16 })
  channel: Channel;

  @Column({ type: 'varchar', length: 24, default: 'new' })
  status: IncidentStatus;

  @Column({ type: 'varchar', length: 2 })
  priority: Priority;

  @Column({ type: 'varchar', length: 16 })
  impact: Impact;

  @Column({ type: 'varchar', length: 8 })
  urgency: Urgency;

  @Column({ type: 'boolean', default: false })
  priorityOverridden: boolean;

  @Column({ type: 'text', nullable: true })
  priorityReason: string | null;

  @Column({ type: 'varchar', length: 200 })
  summary: string;

  @Column({ type: 'text' })
  description: string;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  reporterContactId: string | null;

  @ManyToOne(() => Contact, { nullable: true })
  @JoinColumn({ name: 'reporter_contact_id' })
  reporterContact?: Contact | null;

  /** The reporter as they gave themselves on this incident (kept even if the contact changes). */
  @Column({ type: 'varchar', length: 200 })
  reporterName: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  reporterEmail: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  reporterPhone: string | null;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  assigneeId: string | null;

  @ManyToOne(() => User, { nullable: true })
  @JoinColumn({ name: 'assignee_id' })
  assignee?: User | null;

  /** Reports read a month's incidents by it from an INCLUDE index written by hand in its migration. */
  @Index('incident_reported_key_idx', { synchronize: false })
  @Column({ type: 'timestamptz' })
  reportedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  resolutionCode: ResolutionCode | null;

  @Column({ type: 'text', nullable: true })
  resolutionNotes: string | null;

  /** A major incident this one is part of. */
  @Column({ type: 'uuid', nullable: true })
  parentIncidentId: string | null;

  /** An earlier incident this one follows on from (e.g. a reply to a closed incident). */
  @Column({ type: 'uuid', nullable: true })
  relatedIncidentId: string | null;

  /** Summary, description and every timeline entry's text, for full-text search; kept up to date by the service. */
  @Index('incident_search_idx', { synchronize: false })
  @Column({ type: 'tsvector', select: false, insert: false, update: false, nullable: true })
  searchVector?: string;

  /**
   * The same without internal notes: what readers outside the desk (trust managers, suppliers) search, so a search
   * never tells them a word they could not read.
   */
  @Index('incident_public_search_idx', { synchronize: false })
  @Column({ type: 'tsvector', select: false, insert: false, update: false, nullable: true })
  publicSearchVector?: string;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
