import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface DataSourceSettings {
  url: string;
  poolSize: number;
  embedded: boolean;
}

/** One place that says how we talk to PostgreSQL; used by the app, the migration CLI, seeds and tests. */
export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  // dist/src/database → dist/migrations when built; src/database → migrations under ts-node.
  const root = join(__dirname, '..', '..');
  return {
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: [join(root, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // PGlite has no uuid-ossp; gen_random_uuid() is built in everywhere (PostgreSQL 13+).
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    // namedStatements (read by runPrepared; node-postgres ignores it): PGlite serves every connection from one
    // session, where a statement name one connection prepared would clash with the same name from another.
    extra: { max: settings.poolSize, application_name: 'rosedesk', namedStatements: !settings.embedded },
  };
}
