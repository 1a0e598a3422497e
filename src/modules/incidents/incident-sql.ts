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
