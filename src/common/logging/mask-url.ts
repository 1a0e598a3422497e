/** What a log line shows in place of a value it must not hold. */
export const MASK = '…';

/**
 * Query parameters whose values are codes, numbers or choices from a list, and so may be logged. Every other
 * value is masked: free text (`q` searches name people and faults), cursors (a users page's cursor is an email
 * address), and any parameter added later until it is listed here.
 */
const SHOWN_QUERY_KEYS = new Set([
  'limit',
  'sort',
  'status',
  'priority',
  'channel',
  'siteClass',
  'class',
  'site',
  'trust',
  'service',
  'sla',
  'year',
  'added',
  'attachment',
  /** The voice menu's turn number (`/twilio/voice/<step>?n=3`). */
  'n',
]);

/**
 * Route parameters that are references, ids, codes or steps (`/twilio/voice/:step`); any other (a status link's
 * `:token`) is masked.
 */
const SHOWN_PATH_PARAMS = new Set(['reference', 'id', 'code', 'date', 'file', 'step']);

/** A path segment this long, on a path no route matched, is taken for a token. */
const TOKEN_LENGTH = 32;

/**
 * A request URL as a log line may hold it: route parameters other than references, ids and codes (the signed
 * token of `/report/status/:token`) and query values other than codes and choices are replaced by `…`. `route` is
 * the matched route's pattern (`/report/status/:token`); without one, long segments are masked as tokens.
 */
export function maskUrl(url: string, route?: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  return maskPath(path, route) + (q < 0 ? '' : `?${maskQuery(query)}`);
}

function maskPath(path: string, route: string | undefined): string {
  const segments = path.split('/');
  if (!route) return segments.map((s) => (s.length >= TOKEN_LENGTH ? MASK : s)).join('/');
  const pattern = route.split('/');
  return segments
    .map((segment, i) => {
      const p = pattern[i];
      if (p === undefined || !p.startsWith(':')) return segment;
      return SHOWN_PATH_PARAMS.has(p.slice(1).replace(/\?$/, '')) ? segment : MASK;
    })
    .join('/');
}

function maskQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const key = pair.slice(0, eq);
      return SHOWN_QUERY_KEYS.has(key) ? pair : `${key}=${MASK}`;
    })
    .join('&');
}
