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

import type { EventKind, SystemEventType } from './domain/timeline-events';

export { EVENT_KINDS, SYSTEM_EVENTS, type EventKind, type SystemEventType } from './domain/timeline-events';

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
