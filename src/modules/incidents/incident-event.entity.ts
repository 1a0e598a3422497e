import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Incident } from './incident.entity';

export const EVENT_KINDS = ['public_reply', 'internal_note', 'system'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** What a system event records; replies and notes carry `body` instead. */
export const SYSTEM_EVENTS = [
  'created',
  'assigned',
  'unassigned',
  'priority_changed',
  'status_changed',
  'fields_changed',
  'attachment_added',
  'reopened',
  'auto_closed',
  /** Email intake: an out-of-office reply, a bounce of our mail, an incident waiting for a site. */
  'auto_reply_received',
  'mail_bounced',
  'needs_triage',
  /** SLA engine: terms or due times recomputed (priority, site, explicit), a warning level reached, a target breached. */
  'sla_recalculated',
  'sla_warning',
  'sla_breached',
] as const;
export type SystemEventType = (typeof SYSTEM_EVENTS)[number];

/** One entry of an incident's timeline: a public reply, an internal note or a system event. Ordered by `id`. */
@Entity('incident_event')
@Index('incident_event_timeline_idx', ['incidentId', 'id'])
export class IncidentEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  incidentId: string;

  @ManyToOne(() => Incident, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id' })
  incident?: Incident;

  @Column({ type: 'varchar', length: 16 })
  kind: EventKind;

  @Column({ type: 'varchar', length: 32, nullable: true })
  eventType: SystemEventType | null;

  @Column({ type: 'text', nullable: true })
  body: string | null;

  /** An agent, desk manager, supplier user... */
  @Column({ type: 'uuid', nullable: true })
  authorUserId: string | null;

  /** A reporter or other contact (web comments, email replies). */
  @Column({ type: 'uuid', nullable: true })
  authorContactId: string | null;

  /** The author's name as shown on the timeline. */
  @Column({ type: 'varchar', length: 200 })
  authorName: string;

  /** Structured detail of a system event (old and new values, ...). */
  @Column({ type: 'jsonb', nullable: true })
  data: Record<string, unknown> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
