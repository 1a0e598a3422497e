import 'reflect-metadata';
import { run } from './bootstrap/boot';
import { parseRole } from './config/app-config';
import { errorText } from './common/errors/error-text';

// `npm start` runs every role in one process; `--role=api` serves HTTP without queue workers.
try {
  run(parseRole(process.argv.slice(2)));
} catch (err) {
  process.stderr.write(`RoseDesk cannot start. ${errorText(err)}\n`);
  process.exit(1);
}
