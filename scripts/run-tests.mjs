#!/usr/bin/env node
// npm test: build (the e2e setup migrates with the compiled migrations, the smoke test runs dist/), then unit
// tests, then integration/e2e tests against real PostgreSQL and Redis. Prints one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// --experimental-vm-modules lets jest load ESM-only packages (file-type) through their dynamic import().
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim() };
const run = (args) => spawnSync(args[0], args.slice(1), { stdio: 'inherit', env });

const build = run(['npx', 'tsc', '-p', 'tsconfig.build.json']);
if (build.status !== 0) {
  console.error('Build failed');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'rosedesk-jest-'));
const extra = process.argv.slice(2);
const suites = [
  ['unit', ['npx', 'jest', '--config', 'jest.config.js', '--json', `--outputFile=${join(dir, 'unit.json')}`, ...extra]],
  ['e2e', ['npx', 'jest', '--config', 'test/jest-e2e.json', '--runInBand', '--json', `--outputFile=${join(dir, 'e2e.json')}`, ...extra]],
];

let passed = 0;
let failed = 0;
let ok = true;
for (const [name, args] of suites) {
  const r = run(args);
  try {
    const report = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
  } catch {
    failed += 1;
  }
  if (r.status !== 0) ok = false;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
