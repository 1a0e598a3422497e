import { OPEN_STATUSES } from './domain/incident-enums';

/**
 * The full-text search vectors of incidents: `search_vector` (summary, description and every timeline text, for
 * the desk) and `public_search_vector` (the same without internal notes, for everyone else).
 */

/** Both vectors recomputed from the incident's texts, after an edit. $1 incident id */
export const REFRESH_SEARCH_SQL = `
UPDATE incident i SET
  search_vector = to_tsvector('english', i.summary || ' ' || i.description || ' ' ||
    coalesce((SELECT string_agg(e.body, ' ' ORDER BY e.id) FROM incident_event e
              WHERE e.incident_id = i.id AND e.body IS NOT NULL), '')),
  public_search_vector = to_tsvector('english', i.summary || ' ' || i.description || ' ' ||
    coalesce((SELECT string_agg(e.body, ' ' ORDER BY e.id) FROM incident_event e
              WHERE e.incident_id = i.id AND e.body IS NOT NULL AND e.kind <> 'internal_note'), ''))
WHERE i.id = $1`;

/**
 * A new timeline text joins the search vectors without re-reading the rest: the desk's always, the public one
 * unless it is an internal note. $1 incident id, $2 the text, $3 whether it is public (boolean)
 */
export const APPEND_SEARCH_SQL = `
UPDATE incident SET search_vector = coalesce(search_vector, ''::tsvector) || to_tsvector('english', $2),
  public_search_vector = CASE WHEN $3::boolean
    THEN coalesce(public_search_vector, ''::tsvector) || to_tsvector('english', $2) ELSE public_search_vector END,
  updated_at = now()
WHERE id = $1`;

/**
 * Incidents as reports read them, with their site, trust and service codes: a subquery for `FROM (...) i`, to be
 * filtered by the reader on `reported_at`/`trust_id` (the planner pushes those into the incident indexes) and by
 * IncidentScope.sql on the alias. Columns: id, reference ('INC-000123'), trust_id, trust_code, site_id,
 * site_code, site_name, site_class, service_code, channel, priority, status, reported_at.
 */
export function reportIncidentsSql(): string {
  return `SELECT inc.id, 'INC-' || lpad(inc.number::text, greatest(6, length(inc.number::text)), '0') AS reference, inc.trust_id, tr.code AS trust_code,
      inc.site_id, st.code AS site_code, st.name AS site_name, inc.site_class_code AS site_class,
      sv.code AS service_code, inc.channel, inc.priority, inc.status, inc.reported_at
    FROM incident inc JOIN trust tr ON tr.id = inc.trust_id JOIN site st ON st.id = inc.site_id
      JOIN service sv ON sv.id = inc.service_id`;
}

/** Ids of the incidents whose status is one of OPEN_STATUSES (served by the status index). */
export function openIncidentIdsSql(): string {
  return `SELECT id FROM incident WHERE status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;
}

/**
 * An incident with what someone outside the desk needs to act on it (a supplier's engineer): a subquery for
 * `JOIN (...) b ON b.id = ...`. Columns: id, number (bigint), priority, impact, summary, description, site_code,
 * site_name, site_class, site_town, site_access_notes, trust_code, trust_name, service_code, reporter_name,
 * reporter_email, reporter_phone.
 */
export function incidentBriefSql(): string {
  return `SELECT inc.id, inc.number, inc.priority, inc.impact, inc.summary, inc.description, st.code AS site_code,
      st.name AS site_name, inc.site_class_code AS site_class, st.town AS site_town, st.access_notes AS site_access_notes,
      tr.code AS trust_code, tr.name AS trust_name, sv.code AS service_code, inc.reporter_name, inc.reporter_email,
      inc.reporter_phone
    FROM incident inc JOIN trust tr ON tr.id = inc.trust_id JOIN site st ON st.id = inc.site_id
      JOIN service sv ON sv.id = inc.service_id`;
}

/**
 * Incidents with what routing decides on, for `FROM (...) i`; filter and order on `number` (unique index) to read
 * the newest. Columns: id, number (bigint), service_id, site_class_code, priority, status, created_at.
 */
export function incidentRoutingFactsSql(): string {
  return `SELECT inc.id, inc.number, inc.service_id, inc.site_class_code, inc.priority, inc.status, inc.created_at
    FROM incident inc`;
}

/**
 * A SELECT of one row about the incidents reported in [`from`, `to`) (SQL expressions): `incidents_key` (text:
 * their count and the sum of their last writes, which every edit sets, then a hash of every site's code and name
 * and every service's code, which reports show) and `trusts` (uuid[]: the trusts they belong to). The incidents
 * are read from the (reported_at) INCLUDE index, without the table's rows.
 */
export function incidentRangeKeySql(from: string, to: string): string {
  const stamp = (alias: string) =>
    `coalesce(sum((date_part('epoch', ${alias}.updated_at) * 1000000)::int8), 0)`;
  // Sites and services by what reports show of them (an edit of anything else changes no figure).
  const shown = (table: string, columns: string) =>
    `(SELECT coalesce(md5(string_agg(${columns}, '|' ORDER BY d.id)), '') FROM ${table} d)`;
  return `SELECT count(*) || '/' || ${stamp('i')} || '/' || ${shown('site', `d.id || ' ' || d.code || ' ' || d.name`)}
        || '/' || ${shown('service', `d.id || ' ' || d.code`)} AS incidents_key,
      coalesce(array_agg(DISTINCT i.trust_id), '{}') AS trusts
    FROM incident i WHERE i.reported_at >= ${from} AND i.reported_at < ${to}`;
}

/**
 * The incidents reported in [`from`, `to`) (SQL expressions) with what reports group them by: id, trust_id and
 * priority, read from the (reported_at) INCLUDE index alone (a year's 200,000 without the table's rows).
 */
export function incidentsReportedInSql(from: string, to: string): string {
  return `SELECT i.id, i.trust_id, i.priority FROM incident i
    WHERE i.reported_at >= ${from} AND i.reported_at < ${to}`;
}

/** SQL (uuid[]) of the trusts of the incidents the subquery `ids` (one uuid column) yields; empty for none. */
export function trustsOfIncidentsSql(ids: string): string {
  return `(SELECT coalesce(array_agg(DISTINCT x.trust_id), '{}') FROM incident x WHERE x.id IN (${ids}))`;
}
