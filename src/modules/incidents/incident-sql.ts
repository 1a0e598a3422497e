/**
 * The create path in one statement: look up the site (with its trust) and the service by code, find or add the
 * reporter's contact, insert the incident, its "created" timeline event and its audit entry (data-modifying
 * CTEs). One round trip inside the create transaction. No row back means the site or service code is unknown
 * (and nothing was written). `reporter_contact_id` comes back null only when a concurrent create added the same
 * new address after this statement's snapshot; the caller then links it with LINK_CONTACT_SQL.
 *
 *  $1 site code, $2 service code, $3 channel, $4 priority, $5 impact, $6 urgency, $7 priority overridden,
 *  $8 priority reason, $9 summary, $10 description, $11 reporter name, $12 reporter email (lower case or null),
 *  $13 reporter phone, $14 reported at, $15 actor user id, $16 actor name, $17 event data (json),
 *  $18 actor label, $19 audit changes (json)
 */
export const CREATE_INCIDENT_SQL = `
WITH target AS (
  SELECT s.id AS site_id, s.trust_id, s.class_code, s.code AS site_code, s.name AS site_name,
         t.code AS trust_code, t.name AS trust_name, sv.id AS service_id, sv.code AS service_code, sv.name AS service_name
  FROM site s JOIN trust t ON t.id = s.trust_id CROSS JOIN service sv
  WHERE s.code = $1 AND sv.code = $2
), new_contact AS (
  INSERT INTO contact (name, email, phone, trust_id, usual_site_id, verified)
  SELECT $11, $12::varchar, $13, trust_id, site_id, false FROM target WHERE $12::varchar IS NOT NULL
  ON CONFLICT (email) WHERE email IS NOT NULL DO NOTHING
  RETURNING id
), reporter AS (
  SELECT id FROM new_contact UNION ALL SELECT id FROM contact WHERE email = $12::varchar LIMIT 1
), inc AS (
  INSERT INTO incident (
    trust_id, site_id, site_class_code, service_id, channel, status, priority, impact, urgency,
    priority_overridden, priority_reason, summary, description, reporter_contact_id, reporter_name,
    reporter_email, reporter_phone, reported_at, search_vector, version
  )
  SELECT trust_id, site_id, class_code, service_id, $3, 'new', $4, $5, $6, $7, $8, $9::text, $10::text,
    (SELECT id FROM reporter), $11, $12::varchar, $13, $14, to_tsvector('english', $9::text || ' ' || $10::text), 1
  FROM target
  RETURNING id, number, reporter_contact_id, created_at
), created_event AS (
  INSERT INTO incident_event (incident_id, kind, event_type, author_user_id, author_contact_id, author_name, data)
  SELECT id, 'system', 'created', $15::uuid, CASE WHEN $15::uuid IS NULL THEN reporter_contact_id END, $16, $17::jsonb FROM inc
), created_audit AS (
  INSERT INTO audit_entry (entity_type, entity_id, action, actor_user_id, actor_label, changes)
  SELECT 'incident', id, 'incident.created', $15, $18, $19::jsonb FROM inc
)
SELECT inc.id, inc.number, inc.reporter_contact_id, inc.created_at, target.* FROM inc CROSS JOIN target`;

/** The rare race of CREATE_INCIDENT_SQL: link the contact a concurrent create added. */
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
