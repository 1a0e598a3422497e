/** The full-text search vector of incidents (summary, description, timeline texts). */

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
