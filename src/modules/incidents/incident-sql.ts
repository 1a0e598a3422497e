import type { PreparedStatement } from '../../database/prepared-statement';
import { OUTBOUND_RECORD_COLUMNS } from '../notifications/outbound-record';
import { slaPolicyJoin } from '../sla/sla-policies.service';
import { insertClocksSql } from '../sla/sla-sql';

/**
 * What the create path reads before it writes, in one round trip: the site (with its trust and class) and the
 * service by code, the SLA policy for the site's class at the incident's priority, and the incident's number from
 * its sequence. No row means the site or service code is unknown (and no number was taken).
 *
 *  $1 site code, $2 service code, $3 priority
 */
export const CREATE_LOOKUP: PreparedStatement = {
  name: 'incident_create_lookup',
  text: `
SELECT s.id AS site_id, s.trust_id, s.class_code, s.code AS site_code, s.name AS site_name,
       t.code AS trust_code, t.name AS trust_name, sv.id AS service_id, sv.code AS service_code, sv.name AS service_name,
       nextval('incident_number_seq')::text AS number, sla_policy_terms.*
FROM site s JOIN trust t ON t.id = s.trust_id CROSS JOIN service sv
${slaPolicyJoin('s.class_code', '$3')}
WHERE s.code = $1 AND sv.code = $2`,
};

/**
 * Every write of a new incident in one statement, so one transaction without BEGIN and COMMIT: find or add the
 * reporter's contact, insert the incident, its "created" timeline event, its audit entry, the acknowledgement to
 * send and its two SLA clocks (data-modifying CTEs; foreign keys are checked when the statement ends).
 * `reporter_contact_id` comes back null only when a concurrent create added the same new address after this
 * statement's snapshot; the caller then links it with LINK_CONTACT_SQL. Both are prepared statements (runPrepared): every create runs them.
 *
 *  $1 id, $2 number, $3 trust id, $4 site id, $5 site class, $6 service id, $7 channel, $8 priority, $9 impact,
 *  $10 urgency, $11 priority overridden, $12 priority reason, $13 summary, $14 description, $15 reporter name,
 *  $16 reporter email (lower case or null), $17 reporter phone, $18 reported at, $19 related incident id,
 *  $20 actor user id, $21 actor name, $22 event data (json), $23 actor label, $24 audit changes (json),
 *  $25 the acknowledgement (outboundRecord json, or null), $26 the clocks (clockRecords json)
 */
export const CREATE_INCIDENT: PreparedStatement = createIncidentStatement();

/** Parameters CREATE_INCIDENT takes; a guard's are numbered after them. */
export const CREATE_INCIDENT_PARAMS = 26;

/**
 * A channel's write joined to the create statement: `sql` is one data-modifying statement with RETURNING, using
 * parameters from $27 on. It runs as the CTE `guard`, and the incident (with everything CREATE_INCIDENT writes) is
 * written only when it returns a row, so a guard that matches nothing leaves the whole statement without effect.
 */
export interface CreateGuardSql {
  name: string;
  sql: string;
}

/** A guard as a channel hands it over (CreateHooks.inStatement): its SQL, its values, and the error when it matches nothing. */
export interface CreateGuard extends CreateGuardSql {
  params: unknown[];
  lost: () => Error;
}

const guarded = new Map<string, PreparedStatement>();

/** CREATE_INCIDENT joined by a guard (see CreateGuardSql); one prepared statement per guard name. */
export function createIncidentWithGuard(guard: CreateGuardSql): PreparedStatement {
  let statement = guarded.get(guard.name);
  if (!statement) {
    statement = createIncidentStatement(guard);
    guarded.set(guard.name, statement);
  }
  return statement;
}

function createIncidentStatement(guard?: CreateGuardSql): PreparedStatement {
  const onlyIf = guard ? ' AND EXISTS (SELECT 1 FROM guard)' : '';
  return {
    name: guard ? `incident_create+${guard.name}` : 'incident_create',
    text: `
WITH ${guard ? `guard AS (${guard.sql}), ` : ''}new_contact AS (
  INSERT INTO contact (name, email, phone, trust_id, usual_site_id, verified)
  SELECT $15, $16::varchar, $17, $3::uuid, $4::uuid, false WHERE $16::varchar IS NOT NULL${onlyIf}
  ON CONFLICT (email) WHERE email IS NOT NULL DO NOTHING
  RETURNING id
), reporter AS (
  SELECT id FROM new_contact UNION ALL SELECT id FROM contact WHERE email = $16::varchar LIMIT 1
), inc AS (
  INSERT INTO incident (
    id, number, trust_id, site_id, site_class_code, service_id, channel, status, priority, impact, urgency,
    priority_overridden, priority_reason, summary, description, reporter_contact_id, reporter_name,
    reporter_email, reporter_phone, reported_at, related_incident_id, search_vector, version
  )
  SELECT $1, $2, $3, $4, $5, $6, $7, 'new', $8, $9, $10, $11, $12, $13::text, $14::text, (SELECT id FROM reporter), $15,
    $16::varchar, $17, $18, $19, to_tsvector('english', $13::text || ' ' || $14::text), 1${guard ? '\n  WHERE EXISTS (SELECT 1 FROM guard)' : ''}
  RETURNING id, reporter_contact_id, created_at
), created_event AS (
  INSERT INTO incident_event (incident_id, kind, event_type, author_user_id, author_contact_id, author_name, data)
  SELECT id, 'system', 'created', $20::uuid, CASE WHEN $20::uuid IS NULL THEN reporter_contact_id END, $21, $22::jsonb FROM inc
), created_audit AS (
  INSERT INTO audit_entry (entity_type, entity_id, action, actor_user_id, actor_label, changes)
  SELECT 'incident', id, 'incident.created', $20, $23, $24::jsonb FROM inc
), acknowledgement AS (
  INSERT INTO outbound_message (${OUTBOUND_RECORD_COLUMNS})
  SELECT ${OUTBOUND_RECORD_COLUMNS} FROM jsonb_populate_record(NULL::outbound_message, $25::jsonb) WHERE $25::jsonb IS NOT NULL${onlyIf}
), clocks AS (
  ${insertClocksSql('$26', guard ? 'EXISTS (SELECT 1 FROM guard)' : '')}
)
SELECT id, reporter_contact_id, created_at FROM inc`,
  };
}

/** The rare race of CREATE_INCIDENT: link the contact a concurrent create added. */
export const LINK_CONTACT_SQL = `
UPDATE incident SET reporter_contact_id = (SELECT id FROM contact WHERE email = $2) WHERE id = $1`;

/** Summary, description and every timeline text, re-indexed after an edit. */
export const REFRESH_SEARCH_SQL = `
UPDATE incident i SET search_vector = to_tsvector('english',
  i.summary || ' ' || i.description || ' ' ||
  coalesce((SELECT string_agg(e.body, ' ' ORDER BY e.id) FROM incident_event e WHERE e.incident_id = i.id AND e.body IS NOT NULL), ''))
WHERE i.id = $1`;

/** A new timeline text joins the search vector without re-reading the rest. */
export const APPEND_SEARCH_SQL = `
UPDATE incident SET search_vector = coalesce(search_vector, ''::tsvector) || to_tsvector('english', $2), updated_at = now()
WHERE id = $1`;
