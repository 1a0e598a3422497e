import autocannon, { type Result } from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { Client } from 'pg';

/** Shared pieces of the benchmarks: a scratch database, the built app as a child process, autocannon runs. */

export const BENCH_DB = process.env.BENCH_DB ?? 'rosedesk_bench';
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function databaseUrl(name = BENCH_DB): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function recreateDatabase(name = BENCH_DB): Promise<void> {
  if (!/bench|test/.test(name))
    throw new Error(`refusing to recreate ${name}: the name must contain bench or test`);
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** BENCH_NODE_ARGS: extra node arguments for the app processes (e.g. --cpu-prof --cpu-prof-dir=DIR). */
export function benchNodeArgs(): string[] {
  return (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

export interface RunningApp {
  base: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The built app (`dist/src/main.js`), all roles unless `args` says otherwise (e.g. `--role=api`). */
export async function startApp(env: Record<string, string>, args: string[] = []): Promise<RunningApp> {
  const port = await freePort();
  const child = spawn(process.execPath, [...benchNodeArgs(), 'dist/src/main.js', ...args], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // starting
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('the app did not become healthy');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function login(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** Signs in to the console as a browser does (the login form's CSRF cookie and field); the session cookie. */
export async function consoleSignIn(base: string, email: string, password: string): Promise<string> {
  const form = await fetch(`${base}/console/login`);
  const csrfCookie = (form.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await fetch(`${base}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ email, password, _csrf: csrf }).toString(),
  });
  const session = (res.headers.getSetCookie?.() ?? []).find((c) => c.startsWith('rosedesk_console_session='));
  if (res.status !== 303 || !session) throw new Error(`console sign-in failed: ${res.status}`);
  return session.split(';')[0];
}

export interface Run {
  result: Result;
  /** Every response time in ms, as seen by the client. */
  latencies: number[];
}

export function cannon(opts: autocannon.Options): Promise<Run> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err: unknown, result) =>
      err
        ? reject(err instanceof Error ? err : new Error(JSON.stringify(err)))
        : resolve({ result, latencies }),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) =>
      latencies.push(ms),
    );
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface Figures {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export function figures({ result, latencies }: Run): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    rps: result.requests.total / (result.duration || 1),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export function line(label: string, f: Figures, baseline?: Figures): string {
  const ratio = baseline ? `  ratio ${(f.rps / baseline.rps).toFixed(2)} of baseline` : '';
  return `${label.padEnd(44)} ${f.rps.toFixed(0).padStart(6)} req/s  p50 ${f.p50.toFixed(1)} ms  p95 ${f.p95.toFixed(1)} ms  p99 ${f.p99.toFixed(1)} ms  errors ${f.errors} non-2xx ${f.non2xx}${ratio}`;
}

/**
 * Waits until the app has no outbound mail pending (at most `timeoutMs`): how many were pending when it began, and
 * how long they took. A run that leaves a backlog must not have it drain under the next run's measurement.
 */
export async function outboundMailSent(
  url: string,
  timeoutMs = 120_000,
): Promise<{ pending: number; ms: number }> {
  const db = new Client({ connectionString: url });
  await db.connect();
  const count = async (): Promise<number> =>
    Number((await db.query(`SELECT count(*) AS n FROM outbound_message WHERE status = 'pending'`)).rows[0].n);
  const started = Date.now();
  const pending = await count();
  try {
    for (let left = pending; left > 0 && Date.now() - started < timeoutMs; left = await count()) {
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await db.end();
  }
  return { pending, ms: Date.now() - started };
}

// --- added for bench/sla.ts -----------------------------------------------------------------------------------

/** The built app's worker role (`dist/src/worker.js`) as a child process: queue workers and sweepers, no HTTP. */
export function startWorker(env: Record<string, string>): { child: ChildProcess; stop(): Promise<void> } {
  const child = spawn(process.execPath, [...benchNodeArgs(), 'dist/src/worker.js'], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return {
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface Spread {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** p50, p99 and max of a list of numbers (nearest-rank). */
export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

// --- open-loop pacing, for latency goals stated "at N requests/s" ------------------------------------------------

export interface PacedOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Requests per second, spread evenly: request i is due at start + i / rate. */
  rate: number;
  seconds: number;
}

/** A paced request with no answer by then counts as an error, as autocannon's default timeout does. */
const PACED_TIMEOUT_MS = 10_000;

/**
 * Requests at a steady rate, each sent when it is due whether or not earlier ones have answered (open loop), over
 * keep-alive connections opened as needed. Latency runs from when a request was due, so a server (or this client)
 * falling behind shows in the figures instead of slowing the offered rate. autocannon's `overallRate` cannot stand in:
 * it lets each connection send its whole per-second quota as fast as it can at the start of every second, so the
 * server sees a burst at full load once a second, not the rate.
 */
export async function paced(opts: PacedOptions): Promise<Figures> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(opts.url);
  const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
  const headers = { ...opts.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
  const total = Math.round(opts.rate * opts.seconds);
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const one = (due: number): Promise<void> =>
    new Promise((resolve) => {
      let settled = false;
      const settle = (ok: boolean, status = 0): void => {
        if (settled) return;
        settled = true;
        if (!ok) errors += 1;
        else {
          latencies.push(performance.now() - due);
          if (status >= 300) non2xx += 1;
        }
        resolve();
      };
      const req = httpRequest(
        target,
        { method: opts.method ?? 'GET', headers, agent, timeout: PACED_TIMEOUT_MS },
        (res) => {
          res.resume();
          res.on('end', () => settle(true, res.statusCode));
          res.on('error', () => settle(false));
        },
      );
      // An error or no answer in time is counted as an error, not as a latency.
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', () => settle(false));
      req.end(body);
    });
  const start = performance.now() + 50;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(one(due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / ((performance.now() - start) / 1000),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    errors,
    non2xx,
  };
}

/** CPU seconds (user + system) used so far by the given processes, from /proc (0 where it cannot be read). */
export function cpuSeconds(pids: readonly number[]): number {
  const hz = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone, or not Linux
    }
  }
  return ticks / hz;
}

/** PostgreSQL's processes; with `database`, only the backends connected to it (their title names it). */
export function postgresPids(database?: string): number[] {
  const pids: number[] = [];
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
        const title = database ? readFileSync(`/proc/${entry}/cmdline`, 'utf8') : '';
        if (!database || title.includes(` ${database} `)) pids.push(Number(entry));
      } catch {
        // gone
      }
    }
  } catch {
    // not Linux
  }
  return pids;
}

/** The machine's CPU time so far, from the first line of /proc/stat: all of it and the busy part, in ticks. */
function machineTicks(): { total: number; busy: number } {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
    const total = fields.reduce((sum, n) => sum + n, 0);
    // idle and iowait are the fourth and fifth fields
    return { total, busy: total - fields[3] - fields[4] };
  } catch {
    return { total: 0, busy: 0 };
  }
}

/** Starts watching the whole machine; the function it returns says how busy its cores were since, e.g. "67% busy (1.34 of 2 cores)". */
export function machineLoad(): () => string {
  const before = machineTicks();
  return () => {
    const after = machineTicks();
    const busy = (after.busy - before.busy) / (after.total - before.total || 1);
    const cores = availableParallelism();
    return `${(busy * 100).toFixed(0)}% busy (${(busy * cores).toFixed(2)} of ${cores} cores)`;
  };
}

/**
 * Where the CPU went during `run`: milliseconds per request in the given app processes, in PostgreSQL (its
 * processes that outlive the run, which the pools' connections do) and in this process (the load generator), and
 * how busy the whole machine was, to tell which side a rate is bound by and whether the cores ran out.
 */
export async function withCpu<T extends { rps: number }>(
  appPids: readonly number[],
  seconds: number,
  run: () => Promise<T>,
  /** Count only PostgreSQL's backends of this database (on a machine shared with other work). */
  database?: string,
): Promise<T & { cpu: string }> {
  const appBefore = cpuSeconds(appPids);
  const pgBefore = new Map(postgresPids(database).map((pid) => [pid, cpuSeconds([pid])]));
  const clientBefore = process.cpuUsage();
  const load = machineLoad();
  const result = await run();
  const machine = load();
  const client = process.cpuUsage(clientBefore);
  const pgUsed = postgresPids(database).reduce(
    (sum, pid) => sum + cpuSeconds([pid]) - (pgBefore.get(pid) ?? 0),
    0,
  );
  const requests = result.rps * seconds || 1;
  const perRequest = (s: number) => ((s * 1000) / requests).toFixed(2);
  return {
    ...result,
    cpu:
      `CPU per request: app ${perRequest(cpuSeconds(appPids) - appBefore)} ms, PostgreSQL${database ? ` (${database})` : ''} ${perRequest(pgUsed)} ms, ` +
      `load generator ${perRequest((client.user + client.system) / 1e6)} ms; machine ${machine}`,
  };
}
