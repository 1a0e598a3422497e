import type { EntityManager } from 'typeorm';
import type { Actor } from '../../audit/actor';
import type { EventKind, SystemEventType } from '../incident-event.entity';

/** Who wrote a timeline entry: a user, a contact (a reporter), or the desk itself (both ids null). */
export interface EventAuthor {
  userId: string | null;
  contactId: string | null;
  /** As shown on the timeline. */
  name: string;
}

export interface NewTimelineEvent {
  incidentId: string;
  kind: EventKind;
  /** A system event's type (replies and notes have none). */
  type?: SystemEventType | null;
  body?: string | null;
  author: EventAuthor;
  data?: object | null;
}

/** The desk's own entries (SLA warnings, automatic closes): no user, no contact. */
export const DESK_AUTHOR: EventAuthor = { userId: null, contactId: null, name: 'RoseDesk' };

/** The author an actor writes as. */
export function eventAuthor(actor: Actor): EventAuthor {
  return {
    userId: actor.kind === 'user' ? actor.user.id : null,
    contactId: actor.kind === 'reporter' ? actor.contactId : null,
    name: actor.name,
  };
}

/**
 * incident_event's columns in the order appendEventsSql's query must produce them. Everything that writes a
 * timeline entry goes through this file: appendEvent for one entry, appendEventsSql inside a statement that
 * writes many (the create statement, the SLA level claim).
 */
const EVENT_COLUMNS =
  'incident_id, kind, event_type, body, author_user_id, author_contact_id, author_name, data' as const;

/** Appends one entry to an incident's timeline in the caller's transaction; returns its id. */
export async function appendEvent(em: EntityManager, event: NewTimelineEvent): Promise<string> {
  const rows = await em.query<{ id: string }[]>(
    `INSERT INTO incident_event (${EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) RETURNING id`,
    [
      event.incidentId,
      event.kind,
      event.type ?? null,
      event.body ?? null,
      event.author.userId,
      event.author.contactId,
      event.author.name,
      event.data ? JSON.stringify(event.data) : null,
    ],
  );
  return String(rows[0].id);
}

/**
 * An INSERT of timeline entries from `query`, a SELECT producing, in this order: incident_id, kind, event_type,
 * body, author_user_id, author_contact_id, author_name, data (jsonb). For a statement that writes entries with
 * other rows (a data-modifying CTE), so that it stays one statement.
 */
export function appendEventsSql(query: string): string {
  return `INSERT INTO incident_event (${EVENT_COLUMNS}) ${query}`;
}
