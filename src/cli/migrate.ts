import 'reflect-metadata';
import { runMigrations } from '../bootstrap/migrate';
import { errorText } from '../common/errors/error-text';

// Applies pending migrations to DATABASE_URL (used by the test setup; `npm run migration:run` wraps the CLI).
const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('DATABASE_URL is not set\n');
  process.exit(2);
}
runMigrations(url).then(
  (applied) => {
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'No pending migrations\n');
  },
  (err: unknown) => {
    process.stderr.write(`Migration failed: ${errorText(err)}\n`);
    process.exit(1);
  },
);
