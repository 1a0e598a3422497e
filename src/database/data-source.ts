import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/**
 * The DataSource the TypeORM CLI uses (`npm run migration:*`). `scripts/migration.mjs` sets DATABASE_URL,
 * starting the embedded database first when none is configured.
 */
const url = process.env.DATABASE_URL;
if (!url)
  throw new Error(
    'DATABASE_URL is not set; run migrations through `npm run migration:<run|generate|revert>`',
  );

export default new DataSource(dataSourceOptions({ url, poolSize: 4, embedded: false }));
