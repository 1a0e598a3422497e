import { createHash } from 'node:crypto';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';

/** A hot statement with a fixed name: the database parses and plans it once per connection, then only binds it. */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/** PostgreSQL keeps the first 63 bytes of a statement's name (NAMEDATALEN - 1) and cuts the rest. */
const MAX_NAME_BYTES = 63;
const wireNames = new Map<string, string>();

/**
 * The name sent to PostgreSQL: `name` itself when it fits, else its first 46 characters and a hash of the whole.
 * Cut by the server instead, two names alike in their first 63 bytes (`incident_create:…` grows with each
 * participant) would share one prepared statement and the second Parse would fail.
 */
export function wireName(name: string): string {
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  let short = wireNames.get(name);
  if (!short) {
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 16);
    short = `${Buffer.from(name).subarray(0, 46).toString('latin1')}~${hash}`;
    wireNames.set(name, short);
  }
  return short;
}

interface PgClient {
  query<R>(config: { name?: string; text: string; values: readonly unknown[] }): Promise<{ rows: R[] }>;
}

/**
 * Runs `statement` as a node-postgres named statement: the first call on a connection sends Parse, every later
 * one only Bind and Execute, and PostgreSQL keeps the plan. For the few statements every request runs (creating
 * an incident, email intake's sender facts), where parsing and planning cost as much as executing. Runs through the
 * caller's transaction when `em` has one, else on a connection from the pool. Unnamed where the data source says
 * named statements are unsafe (the embedded database).
 */
export async function runPrepared<R>(
  db: DataSource,
  em: EntityManager | null,
  statement: PreparedStatement,
  params: readonly unknown[],
): Promise<R[]> {
  const own = em?.queryRunner ? null : db.createQueryRunner();
  const runner = own ?? (em?.queryRunner as NonNullable<EntityManager['queryRunner']>);
  const named = (db.options.extra as { namedStatements?: boolean } | undefined)?.namedStatements === true;
  try {
    const client = (await runner.connect()) as PgClient;
    return (
      await client.query<R>({
        name: named ? wireName(statement.name) : undefined,
        text: statement.text,
        values: params,
      })
    ).rows;
  } catch (err) {
    // The same error as through TypeORM (`driverError` carries PostgreSQL's code and constraint).
    throw err instanceof Error && 'code' in err
      ? new QueryFailedError(statement.text, [...params], err)
      : err;
  } finally {
    if (own) await own.release();
  }
}
