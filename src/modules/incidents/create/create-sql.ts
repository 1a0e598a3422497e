import type { PreparedStatement } from '../../../database/prepared-statement';
import { OUTBOUND_RECORD_COLUMNS } from '../../notifications/outbound-record';
import type { CreatingParticipant } from '../participants/incident-participants';
import { appendEventsSql } from '../timeline/append-event';

/**
 * The create path's SQL: one read and one statement for a whole batch of new incidents, each with the
 * participants' shares joined in (the SLA engine reads its policy in the lookup and writes its clocks in the
 * statement). Built once from the participants found at start.
 */

/** What the lookup reads per item, besides each participant's columns. */
export interface LookupRow {
  ord: number;
  number: string;
  site_id: string;
  trust_id: string;
  site_code: string;
  site_name: string;
  class_code: string;
  trust_code: string;
  trust_name: string;
  service_id: string;
  service_code: string;
  service_name: string;
  [participantColumn: string]: unknown;
}

/**
 * Per item (`ord`, from 1) the site (with its trust and class) and the service by code, each participant's
 * lookup columns, and the incident's number from its sequence. An item without a row has an unknown site or service
 * code (and took no number).
 *
 *  $1 site codes, $2 service codes, $3 priorities (text[] each, one entry per item)
 */
export function createLookup(participants: readonly CreatingParticipant[]): PreparedStatement {
  const lookups = participants.flatMap((p) => (p.create.lookup ? [p.create.lookup] : []));
  return {
    name: `incident_create_lookup:${participants.map((p) => p.name).join(',')}`,
    text: `
SELECT q.ord::int AS ord, s.id AS site_id, s.trust_id, s.class_code, s.code AS site_code, s.name AS site_name,
       t.code AS trust_code, t.name AS trust_name, sv.id AS service_id, sv.code AS service_code, sv.name AS service_name,
       nextval('incident_number_seq')::text AS number${lookups.map((l) => `, ${l.columns}`).join('')}
FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS q(site_code, service_code, priority, ord)
JOIN site s ON s.code = q.site_code JOIN trust t ON t.id = s.trust_id JOIN service sv ON sv.code = q.service_code
${lookups.map((l) => l.join('s.class_code', 'q.priority', 'sv.id')).join('\n')}`,
  };
}

/**
 * One new incident as the create statement takes it: the incident's own columns (snake_case, as
 * jsonb_populate_record reads them) and what its "created" event and audit entry need.
 */
export interface NewIncidentRecord {
  id: string;
  number: string;
  trust_id: string;
  site_id: string;
  site_class_code: string;
  service_id: string;
  channel: string;
  priority: string;
  impact: string;
  urgency: string;
  priority_overridden: boolean;
  priority_reason: string | null;
  summary: string;
  description: string;
  reporter_name: string;
  /** Lower case, or null. */
  reporter_email: string | null;
  reporter_phone: string | null;
  reported_at: Date;
  related_incident_id: string | null;
  actor_user_id: string | null;
  actor_name: string;
  actor_label: string;
  event_data: Record<string, unknown>;
  audit_changes: { field: string; old: unknown; new: unknown }[];
}

/**
 * A channel's write joined to the create statement: `sql` is one data-modifying statement with RETURNING, whose
 * parameters are numbered from the first one the create statement leaves free (CreateHooks.inStatement is told
 * which). It runs as the CTE `guard`, and the incidents (with everything else the statement writes) are written
 * only when it returns a row, so a guard that matches nothing leaves the whole statement without effect.
 */
export interface CreateGuardSql {
  name: string;
  sql: string;
}

/** A guard as a channel hands it over: its SQL, its values, and the error when it matches nothing. */
export interface CreateGuard extends CreateGuardSql {
  params: unknown[];
  lost: () => Error;
}

/** The parameters the create statement takes before a guard's: incidents, acknowledgements, one per participant. */
export function createParamCount(participants: readonly CreatingParticipant[]): number {
  return 2 + writing(participants).length;
}

/** The participants that write rows or send notifications with a create, in order: one CTE and one parameter each. */
export function writing(participants: readonly CreatingParticipant[]): CreatingParticipant[] {
  return participants.filter((p) => p.create.insertSql !== undefined || p.create.notifySql !== undefined);
}

/**
 * Every write of a batch of new incidents in one statement, so one transaction without BEGIN and COMMIT: find or
 * add each reporter's contact (one per new address, from the batch's first incident with it), insert the
 * incidents, their "created" timeline events, their audit entries, the acknowledgements to send and each
 * participant's rows (data-modifying CTEs; foreign keys are checked when the statement ends) or notifications. A row that breaks a
 * constraint fails the whole statement and nothing is written. `reporter_contact_id` comes back null only when a
 * concurrent create added the same new address after this statement's snapshot; the caller then links it with
 * LINK_CONTACT_SQL. Run as a prepared statement (runPrepared): every create runs it.
 *
 *  $1 the incidents (NewIncidentRecord[] as json), $2 the acknowledgements (outboundRecord[] json), then one jsonb
 *  array of rows per participant, in the order given
 */
export function createIncidentsStatement(
  participants: readonly CreatingParticipant[],
  guard?: CreateGuardSql,
): PreparedStatement {
  const onlyIf = (clause: 'WHERE' | 'AND') => (guard ? ` ${clause} EXISTS (SELECT 1 FROM guard)` : '');
  const guarded = guard ? 'EXISTS (SELECT 1 FROM guard)' : '';
  const shares = writing(participants).map((p, k) => {
    const param = `$${3 + k}`;
    const body = p.create.insertSql
      ? p.create.insertSql(param, guarded)
      : p.create.notifySql?.(param, guarded);
    return `, share_${p.name} AS (\n  ${body}\n)`;
  });
  // A SELECT in a WITH runs only when the statement reads it: the answer's condition reads each notifying share
  // once (a count is always >= 0, so the answer is inc's rows).
  const notified = writing(participants)
    .filter((p) => !p.create.insertSql)
    .map((p) => `(SELECT count(*) FROM share_${p.name}) >= 0`);
  return {
    name: `incident_create:${participants.map((p) => p.name).join(',')}${guard ? `+${guard.name}` : ''}`,
    text: `
WITH ${guard ? `guard AS (${guard.sql}), ` : ''}given AS (
  SELECT e.ord, i.*, (e.item->>'actor_user_id')::uuid AS actor_user_id, e.item->>'actor_name' AS actor_name,
         e.item->>'actor_label' AS actor_label, e.item->'event_data' AS event_data, e.item->'audit_changes' AS audit_changes
  FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(item, ord), LATERAL jsonb_populate_record(NULL::incident, e.item) AS i
), new_contact AS (
  INSERT INTO contact (name, email, phone, trust_id, usual_site_id, verified)
  SELECT DISTINCT ON (g.reporter_email) g.reporter_name, g.reporter_email, g.reporter_phone, g.trust_id, g.site_id, false
  FROM given g WHERE g.reporter_email IS NOT NULL${onlyIf('AND')}
  ORDER BY g.reporter_email, g.ord
  ON CONFLICT (email) WHERE email IS NOT NULL DO NOTHING
  RETURNING id, email
), reporter AS (
  SELECT id, email FROM new_contact
  -- One index probe per address (LIMIT 1 keeps the planner from turning it into a scan of every contact).
  UNION ALL SELECT c.id, c.email FROM (SELECT DISTINCT g.reporter_email FROM given g WHERE g.reporter_email IS NOT NULL) a,
    LATERAL (SELECT id, email FROM contact WHERE email = a.reporter_email LIMIT 1) c
), inc AS (
  INSERT INTO incident (
    id, number, trust_id, site_id, site_class_code, service_id, channel, status, priority, impact, urgency,
    priority_overridden, priority_reason, summary, description, reporter_contact_id, reporter_name,
    reporter_email, reporter_phone, reported_at, related_incident_id, search_vector, public_search_vector, version
  )
  SELECT g.id, g.number, g.trust_id, g.site_id, g.site_class_code, g.service_id, g.channel, 'new', g.priority, g.impact,
    g.urgency, g.priority_overridden, g.priority_reason, g.summary, g.description,
    (SELECT r.id FROM reporter r WHERE r.email = g.reporter_email LIMIT 1), g.reporter_name, g.reporter_email,
    g.reporter_phone, g.reported_at, g.related_incident_id, v.words, v.words, 1
  FROM given g, LATERAL (SELECT to_tsvector('english', g.summary || ' ' || g.description) AS words) v${onlyIf('WHERE')}
  RETURNING id, reporter_contact_id, created_at
), created_event AS (
  ${appendEventsSql(`SELECT inc.id, 'system', 'created', NULL, g.actor_user_id,
    CASE WHEN g.actor_user_id IS NULL THEN inc.reporter_contact_id END, g.actor_name, g.event_data
  FROM inc JOIN given g ON g.id = inc.id`)}
), created_audit AS (
  INSERT INTO audit_entry (entity_type, entity_id, action, actor_user_id, actor_label, changes)
  SELECT 'incident', inc.id, 'incident.created', g.actor_user_id, g.actor_label, g.audit_changes
  FROM inc JOIN given g ON g.id = inc.id
), acknowledgement AS (
  INSERT INTO outbound_message (${OUTBOUND_RECORD_COLUMNS})
  SELECT ${OUTBOUND_RECORD_COLUMNS} FROM jsonb_populate_recordset(NULL::outbound_message, $2::jsonb)${onlyIf('WHERE')}
)${shares.join('')}
SELECT id, reporter_contact_id, created_at FROM inc${notified.length > 0 ? ` WHERE ${notified.join(' AND ')}` : ''}`,
  };
}

/**
 * The create path's prepared statements, built from the participants on first use (every provider exists by then,
 * so every participant has been found): the lookup, the write, and the write joined by each guard.
 */
export class CreateStatements {
  private built: { lookup: PreparedStatement; write: PreparedStatement } | null = null;
  private readonly guarded = new Map<string, PreparedStatement>();

  constructor(private readonly participants: () => readonly CreatingParticipant[]) {}

  get lookup(): PreparedStatement {
    return this.statements().lookup;
  }

  /** The write, or the write joined by this guard (one prepared statement per guard name). */
  write(guard?: CreateGuard): PreparedStatement {
    if (!guard) return this.statements().write;
    let statement = this.guarded.get(guard.name);
    if (!statement) {
      statement = createIncidentsStatement(this.participants(), guard);
      this.guarded.set(guard.name, statement);
    }
    return statement;
  }

  /** The first parameter number a guard's SQL may use. */
  get firstGuardParam(): number {
    return createParamCount(this.participants()) + 1;
  }

  private statements(): { lookup: PreparedStatement; write: PreparedStatement } {
    this.built ??= {
      lookup: createLookup(this.participants()),
      write: createIncidentsStatement(this.participants()),
    };
    return this.built;
  }
}

/** The rare race of the create statement: link the contact a concurrent create added. */
export const LINK_CONTACT_SQL = `
UPDATE incident SET reporter_contact_id = (SELECT id FROM contact WHERE email = $2) WHERE id = $1`;
