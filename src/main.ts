import 'reflect-metadata';
import { run } from './bootstrap/boot';
import { parseRole } from './config/app-config';

// `npm start` runs every role in one process; `--role=api` serves HTTP without queue workers.
try {
  run(parseRole(process.argv.slice(2)));
} catch (err) {
  process.stderr.write(`RoseDesk cannot start. ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
