import { errorText } from './error-text';

/** What a log line may say about an error: its class, its code, and its message; for a database error its SQLSTATE. */
export interface ErrorSummary {
  type: string;
  code?: string;
  constraint?: string;
  message: string;
}

/** The fields PostgreSQL's errors carry (node-postgres `DatabaseError`, TypeORM's `driverError`). */
interface PgErrorFields {
  code: string;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  schema?: unknown;
  dataType?: unknown;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * An error as a log line may hold it: class, code and message, never its other properties. A database error
 * (TypeORM's QueryFailedError, or node-postgres's own) carries the statement's text and parameters and a
 * `detail` quoting the row ("Failing row contains (…)"), which are personal data: only its SQLSTATE code, its
 * constraint and its message are kept, and in the message every quoted literal that is not one of the error's own
 * identifiers (table, column, constraint, schema, type) is masked, since PostgreSQL quotes the refused value there
 * (`invalid input syntax for type uuid: "…"`).
 */
export function errorSummary(err: unknown): ErrorSummary {
  if (isSummary(err)) return pick(err);
  const type = err instanceof Error ? err.constructor.name || err.name : typeof err;
  const pg = postgresFields(err);
  if (pg) {
    const summary: ErrorSummary = { type, code: pg.code, message: maskLiterals(errorText(err), pg) };
    if (typeof pg.constraint === 'string') summary.constraint = pg.constraint;
    return summary;
  }
  const code = (err as { code?: unknown } | null)?.code;
  const summary: ErrorSummary = { type, message: errorText(err) };
  if (typeof code === 'string' || typeof code === 'number') summary.code = String(code);
  return summary;
}

function postgresFields(err: unknown): PgErrorFields | null {
  if (typeof err !== 'object' || err === null) return null;
  const candidates = [(err as { driverError?: unknown }).driverError, err];
  for (const c of candidates) {
    if (typeof c !== 'object' || c === null) continue;
    const code = (c as { code?: unknown }).code;
    const fromServer = 'severity' in c || 'routine' in c;
    if (typeof code === 'string' && SQLSTATE.test(code) && fromServer) return c as unknown as PgErrorFields;
  }
  return null;
}

function maskLiterals(message: string, pg: PgErrorFields): string {
  const known = new Set(
    [pg.table, pg.column, pg.constraint, pg.schema, pg.dataType].filter(
      (v): v is string => typeof v === 'string',
    ),
  );
  return message.replace(/"([^"]*)"/g, (whole, inner: string) => (known.has(inner) ? whole : '"…"'));
}

/** A summary summarised again (a caller logged `err: errorSummary(e)`) stays what it was, without extra keys. */
function isSummary(value: unknown): value is ErrorSummary {
  if (typeof value !== 'object' || value === null || value instanceof Error) return false;
  const { type, message } = value as Partial<ErrorSummary>;
  return typeof type === 'string' && typeof message === 'string';
}

function pick({ type, code, constraint, message }: ErrorSummary): ErrorSummary {
  return {
    type,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof constraint === 'string' ? { constraint } : {}),
    message,
  };
}
