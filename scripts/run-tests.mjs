#!/usr/bin/env node
// npm test: build (the e2e setup migrates with the compiled migrations, the smoke test runs dist/), then unit
// tests, then integration/e2e tests against real PostgreSQL and Redis. Prints one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// --experimental-vm-modules lets jest load ESM-only packages (file-type) through their dynamic import().
const env = {
  ...process.env,
  NODE_OPTIONS:
    `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim(),
};
// Each step has a deadline, so a hung step fails the run with its name instead of running into CI's limit.
const MINUTE = 60_000;
const run = (args, minutes = 10) => {
  const r = spawnSync(args[0], args.slice(1), {
    stdio: 'inherit',
    env,
    timeout: minutes * MINUTE,
    killSignal: 'SIGKILL',
  });
  if (r.error?.code === 'ETIMEDOUT')
    console.error(`\n${args.join(' ')}: still running after ${minutes} minutes, stopped`);
  return r;
};

const build = run(['npx', 'tsc', '-p', 'tsconfig.build.json']);
if (build.status !== 0) {
  console.error('Build failed');
  process.exit(1);
}

// jest itself, not through npx, so that the deadline's SIGKILL reaches the process that runs the tests.
const jest = [process.execPath, 'node_modules/jest/bin/jest.js'];
const dir = mkdtempSync(join(tmpdir(), 'rosedesk-jest-'));
const extra = process.argv.slice(2);
// --forceExit: once every test has finished, a handle left open (say a queue worker still waiting on a job whose
// test timed out) must not keep jest running; the failing test has already been reported.
// The e2e files share one database and one Redis, so they run one at a time, each in a fresh process: one jest
// worker (not --runInBand) that jest replaces after every file, because every file leaves more heap than
// --workerIdleMemoryLimit=50MB. In one process an app a file failed to close (an afterAll that timed out) kept
// running into the next files, and its outbox sweeper, on the same database, can claim another file's mail and send
// it to its own dead relay: the likely cause of reports-delivery once waiting in vain for its mail, just after
// sla-timers' app logged mail jobs failing in its flushed queue. In band, the heap also
// grew about 150 MB per file until Node ran out of memory near the end of a CI run.
const suites = [
  [
    'unit',
    15,
    [
      ...jest,
      '--config',
      'jest.config.js',
      '--forceExit',
      '--json',
      `--outputFile=${join(dir, 'unit.json')}`,
      ...extra,
    ],
  ],
  [
    'e2e',
    60,
    [
      ...jest,
      '--config',
      'test/jest-e2e.json',
      '--maxWorkers=1',
      '--workerIdleMemoryLimit=50MB',
      '--forceExit',
      '--json',
      `--outputFile=${join(dir, 'e2e.json')}`,
      ...extra,
    ],
  ],
];

let passed = 0;
let failed = 0;
let ok = true;
for (const [name, minutes, args] of suites) {
  const r = run(args, minutes);
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
