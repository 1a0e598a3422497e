#!/usr/bin/env node
// npm run migration:<generate|run|revert> [Name]
// Builds, then runs the TypeORM CLI against DATABASE_URL, or against the embedded database under DATA_DIR
// (started here for the duration; stop `npm start` first, PGlite opens its data directory alone).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const [action, name] = process.argv.slice(2);
if (!['generate', 'run', 'revert', 'show'].includes(action)) {
  console.error('usage: node scripts/migration.mjs generate <Name> | run | revert | show');
  process.exit(2);
}
if (action === 'generate' && !/^[A-Z][A-Za-z0-9]+$/.test(name ?? '')) {
  console.error('usage: npm run migration:generate -- <PascalCaseName>');
  process.exit(2);
}
if (existsSync('.env')) process.loadEnvFile('.env');

const sh = (cmd, args, env = process.env) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
sh('npm', ['run', '--silent', 'build']);

let embedded = null;
let url = process.env.DATABASE_URL;
if (!url) {
  const require = createRequire(import.meta.url);
  const { startEmbeddedPostgres } = require('../dist/src/database/embedded-postgres.js');
  embedded = await startEmbeddedPostgres(process.env.DATA_DIR ?? 'var');
  url = embedded.url;
  console.log(`Using the embedded database in ${embedded.dataDir}`);
}

const cli = ['node_modules/typeorm/cli.js'];
const ds = ['-d', 'dist/src/database/data-source.js'];
const args =
  action === 'generate'
    ? ['migration:generate', `migrations/${name}`, ...ds, '--pretty']
    : [`migration:${action}`, ...ds];
// Not spawnSync: the embedded database is served by this process's event loop, which must keep running.
const status = await new Promise((resolve) => {
  const child = spawn('node', [...cli, ...args], {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: url },
  });
  child.on('exit', (code) => resolve(code ?? 1));
});
await embedded?.stop();
if (action === 'generate' && status === 0) {
  spawnSync('npx', ['prettier', '--write', 'migrations'], { stdio: 'inherit' });
  console.log('Read the new migration before committing it.');
}
process.exit(status);
