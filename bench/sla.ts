/**
 * npm run bench:sla — how late SLA warnings are, against BullMQ's own delayed-job lateness measured in the same run.
 * Not a test: it prints figures and asserts nothing.
 *
 * For each queue backend (Redis = the scaled mode, PostgreSQL = BullMQ's PostgreSQL backend, the single-server mode):
 *  1. raw BullMQ: BENCH_RAW_JOBS delayed jobs due evenly over BENCH_RAW_SPREAD_S seconds, one Worker (concurrency 8)
 *     in this process; lateness = when the processor starts − when the job was due.
 *  2. RoseDesk: the built app (`all` role) plus BENCH_SLA_WORKERS extra `worker` processes on a fresh database. The
 *     hospital/P2 policy is set to a BENCH_SLA_TARGET_MIN-minute response target (24x7), and BENCH_SLA_INCIDENTS
 *     incidents are logged through the API with `reportedAt` chosen so that their 75 % warnings fall due evenly over
 *     BENCH_SLA_SPREAD_S seconds (90 % and the breach follow). Each level e-mails the desk manager. Lateness of a
 *     warning = sla_event.fired_at (the desk's clock when it acted) − sla_event.due_at (when the level was reached).
 *     Missed = levels due but never acted on; duplicated = a level announced twice (timeline entries or mails).
 *
 *   BENCH_SLA_INCIDENTS (10000)  BENCH_SLA_SPREAD_S (180)  BENCH_SLA_TARGET_MIN (7)  BENCH_SLA_LEAD_S (100)
 *   The lead is the time to log every incident before the first warning falls due, so the run measures the timers,
 *   not the API's create path competing with them. BENCH_SLA_LEAD_S + BENCH_SLA_SPREAD_S must not exceed 75 % of
 *   the target: otherwise the last incidents would need a reportedAt in the future, which the desk takes as now,
 *   and their warnings would bunch up at the end.
 *   BENCH_SLA_WORKERS (1)  BENCH_RAW_JOBS (10000)  BENCH_RAW_SPREAD_S (30)  BENCH_SLA_MODES (redis,postgres)
 *   BENCH_CONNECTIONS (16): concurrent API clients while logging the incidents
 *   BENCH_SLA_MAIL (1): 0 = no desk manager, so warnings send no mail (isolates the engine from the mail path)
 *   BENCH_SLA_APP_ENV: extra settings for the app processes, e.g. "SLA_POLL_MS=250,DB_POOL_SIZE=30"
 *   BENCH_SLA_FLUSH (1): scaled mode only: halfway through the spread, delete every Redis key of the app's queue
 *     prefix (a Redis flush: delayed jobs, the sweep scheduler, everything) and report separately how late the
 *     levels due in the 10 s after it were. With "SLA_POLL_MS=0" in BENCH_SLA_APP_ENV only the queue path
 *     (delayed jobs, sweep, watchdog) is left to bring the timers back.
 */
import {
  Queue,
  Worker,
  createPostgresBackend,
  setDefaultBackendFactory,
  type ConnectionOptions,
} from 'bullmq';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { flushPrefix } from '../test/helpers/redis-flush';
import {
  BENCH_DB,
  REDIS_URL,
  databaseUrl,
  freePort,
  login,
  recreateDatabase,
  spread,
  startApp,
  startWorker,
  type Spread,
} from './bench-kit';

const N = Number(process.env.BENCH_SLA_INCIDENTS ?? 10_000);
const SPREAD_MS = Number(process.env.BENCH_SLA_SPREAD_S ?? 180) * 1000;
const TARGET_MIN = Number(process.env.BENCH_SLA_TARGET_MIN ?? 7);
const LEAD_MS = Number(process.env.BENCH_SLA_LEAD_S ?? 100) * 1000;
const EXTRA_WORKERS = Number(process.env.BENCH_SLA_WORKERS ?? 1);
const RAW_JOBS = Number(process.env.BENCH_RAW_JOBS ?? 10_000);
const RAW_SPREAD_MS = Number(process.env.BENCH_RAW_SPREAD_S ?? 30) * 1000;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const MODES = (process.env.BENCH_SLA_MODES ?? 'redis,postgres').split(',').map((m) => m.trim()) as Mode[];
const PASSWORD = 'bench-admin-password';
const LEVELS = [0.75, 0.9, 1];
const MAIL = process.env.BENCH_SLA_MAIL !== '0';
const FLUSH = process.env.BENCH_SLA_FLUSH !== '0';
/** Levels due this long after the flush are reported as "after the flush". */
const AFTER_FLUSH_MS = 10_000;
const APP_ENV: Record<string, string> = Object.fromEntries(
  (process.env.BENCH_SLA_APP_ENV ?? '')
    .split(',')
    .filter((kv) => kv.includes('='))
    .map((kv) => [kv.slice(0, kv.indexOf('=')).trim(), kv.slice(kv.indexOf('=') + 1).trim()]),
);

type Mode = 'redis' | 'postgres';

interface Figures {
  label: string;
  lateness: Spread;
  missed: number;
  duplicated: number;
  extra: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ms = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : '-');

async function main(): Promise<void> {
  if (LEAD_MS + SPREAD_MS > 0.75 * TARGET_MIN * 60_000) {
    throw new Error(
      `BENCH_SLA_LEAD_S + BENCH_SLA_SPREAD_S (${(LEAD_MS + SPREAD_MS) / 1000} s) must not exceed 75 % of BENCH_SLA_TARGET_MIN (${0.75 * TARGET_MIN * 60} s): ` +
        'the last incidents would need a reportedAt in the future',
    );
  }
  console.log(
    `RoseDesk SLA benchmark: ${N} incidents, 75 % warnings spread over ${SPREAD_MS / 1000} s, response target ${TARGET_MIN} min ` +
      `(3 levels each), ${1 + EXTRA_WORKERS} worker processes; raw BullMQ: ${RAW_JOBS} delayed jobs over ${RAW_SPREAD_MS / 1000} s\n`,
  );
  const all: Figures[] = [];
  for (const mode of MODES) {
    const raw = await rawBullmq(mode);
    print(raw);
    const desk = await roseDesk(mode);
    print(desk);
    all.push(raw, desk);
  }
  console.log('\nSummary (lateness from the due instant)');
  for (const f of all)
    console.log(
      `  ${f.label.padEnd(44)} p50 ${ms(f.lateness.p50).padStart(8)}  p99 ${ms(f.lateness.p99).padStart(8)}  max ${ms(f.lateness.max).padStart(8)}  missed ${f.missed}  duplicated ${f.duplicated}`,
    );
}

function print(f: Figures): void {
  console.log(
    `${f.label}: ${f.lateness.count} events  p50 ${ms(f.lateness.p50)}  p99 ${ms(f.lateness.p99)}  max ${ms(f.lateness.max)}  missed ${f.missed}  duplicated ${f.duplicated}${f.extra ? `\n  ${f.extra}` : ''}`,
  );
}

// ------------------------------------------------------------------------------------------------ raw BullMQ

async function rawBullmq(mode: Mode): Promise<Figures> {
  await recreateDatabase();
  const prefix = `rawbench${Date.now()}`;
  let connection: ConnectionOptions;
  if (mode === 'redis') {
    setDefaultBackendFactory(undefined);
    const url = new URL(REDIS_URL);
    connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
  } else {
    setDefaultBackendFactory(createPostgresBackend);
    const pg: unknown = { connectionString: databaseUrl(), schema: 'bullmq', migrate: true, max: 10 };
    connection = pg as ConnectionOptions; // the BullMQ typing is Redis-only
  }
  const queue = new Queue('raw', { connection, prefix });
  const seen = new Set<string>();
  const lateness: number[] = [];
  let duplicated = 0;
  const worker = new Worker(
    'raw',
    (job) => {
      const late = Date.now() - (job.data as { due: number }).due;
      if (seen.has(job.id as string)) duplicated++;
      else {
        seen.add(job.id as string);
        lateness.push(late);
      }
      return Promise.resolve();
    },
    { connection, prefix, concurrency: 8 },
  );
  await worker.waitUntilReady();
  const deadlocksBefore = mode === 'postgres' ? await deadlocks() : 0;
  const t0 = Date.now() + (mode === 'postgres' ? 8000 : 3000);
  const addStarted = Date.now();
  for (let i = 0; i < RAW_JOBS; i += 500) {
    const now = Date.now();
    const chunk = Array.from({ length: Math.min(500, RAW_JOBS - i) }, (_, k) => {
      const due = t0 + Math.floor(((i + k) * RAW_SPREAD_MS) / RAW_JOBS);
      return {
        name: 'tick',
        data: { due },
        opts: { jobId: `raw-${i + k}`, delay: Math.max(0, due - now), removeOnComplete: true },
      };
    });
    await queue.addBulk(chunk);
  }
  const addSeconds = (Date.now() - addStarted) / 1000;
  const deadline = t0 + RAW_SPREAD_MS + 30_000;
  while (seen.size < RAW_JOBS && Date.now() < deadline) await sleep(200);
  await sleep(1000);
  const deadlocked = mode === 'postgres' ? (await deadlocks()) - deadlocksBefore : 0;
  await worker.close();
  await queue.close();
  setDefaultBackendFactory(undefined);
  return {
    label: `raw BullMQ delayed jobs, ${mode === 'redis' ? 'Redis' : 'PostgreSQL backend'}`,
    lateness: spread(lateness),
    missed: RAW_JOBS - seen.size,
    duplicated,
    extra: `added ${RAW_JOBS} jobs in ${addSeconds.toFixed(1)} s${mode === 'postgres' ? `; PostgreSQL deadlocks during the run: ${deadlocked}` : ''}`,
  };
}

async function deadlocks(): Promise<number> {
  const db = new Client({ connectionString: databaseUrl() });
  await db.connect();
  const { rows } = await db.query<{ deadlocks: string }>(
    'SELECT deadlocks FROM pg_stat_database WHERE datname = $1',
    [BENCH_DB],
  );
  await db.end();
  return Number(rows[0]?.deadlocks ?? 0);
}

// ------------------------------------------------------------------------------------------------ RoseDesk

async function roseDesk(mode: Mode): Promise<Figures> {
  await recreateDatabase();
  const outbox = await mkdtemp(join(tmpdir(), 'rosedesk-bench-sla-'));
  const queuePrefix = `slabench${Date.now()}`;
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl(),
    ...(mode === 'redis' ? { REDIS_URL } : {}),
    QUEUE_PREFIX: queuePrefix,
    ADMIN_PASSWORD: PASSWORD,
    OUTBOX_DIR: outbox,
    DB_POOL_SIZE: '20',
    LOGIN_RATE_LIMIT: '1000',
    SMTP_INTAKE_PORT: String(await freePort()),
    ...APP_ENV,
  };
  const app = await startApp(env);
  const workers = Array.from({ length: EXTRA_WORKERS }, () =>
    startWorker({ ...env, RUN_MIGRATIONS: 'false', SEED_DEMO: 'false' }),
  );
  const db = new Client({ connectionString: databaseUrl() });
  await db.connect();
  try {
    const token = await login(app.base, 'admin@rosedesk.local', PASSWORD);
    const api = async (method: string, path: string, body?: unknown): Promise<unknown> => {
      const res = await fetch(`${app.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    if (MAIL)
      await api('POST', '/api/users', {
        email: 'bench.manager@rosedesk.local',
        name: 'Bench Desk Manager',
        password: 'bench-manager-password',
        role: 'desk_manager',
      });
    await api('PUT', '/api/sla/policies', {
      policies: [
        {
          siteClass: 'hospital',
          priority: 'P2',
          calendar: '24x7',
          responseMinutes: TARGET_MIN,
          resolutionMinutes: 100 * TARGET_MIN,
        },
      ],
      reason: 'benchmark',
    });
    const sites = (await api('GET', '/api/sites?class=hospital')) as { items: { code: string }[] };
    const siteCode = sites.items[0].code;
    await sleep(2000); // let the workers settle
    const deadlocksBefore = await deadlocks();

    // Incident i has its 75 % warning due at t0 + i × spread / N; logged in that order, CONNECTIONS at a time.
    const targetMs = TARGET_MIN * 60_000;
    const t0 = Date.now() + LEAD_MS;
    const started = Date.now();
    let next = 0;
    let failures = 0;
    const client = async (): Promise<void> => {
      for (let i = next++; i < N; i = next++) {
        const firstDue = t0 + Math.floor((i * SPREAD_MS) / N);
        const body = {
          siteCode,
          service: 'wireless',
          impact: 'several_users',
          urgency: 'high',
          summary: `Bench fault ${i}`,
          description: 'Generated by bench/sla.ts',
          reporter: { name: 'Bench Reporter' },
          reportedAt: new Date(firstDue - 0.75 * targetMs).toISOString(),
        };
        try {
          await api('POST', '/api/incidents', body);
        } catch {
          failures++;
        }
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, client));
    const createSeconds = (Date.now() - started) / 1000;
    console.log(
      `  RoseDesk ${mode}: logged ${N - failures} incidents in ${createSeconds.toFixed(1)} s (${((N - failures) / createSeconds).toFixed(0)}/s, ${failures} failed)`,
    );

    const expected = (N - failures) * LEVELS.length;
    const lastDue = t0 + SPREAD_MS + targetMs * 0.25;
    let flushedAt: number | null = null;
    let flushedKeys = 0;
    if (mode === 'redis' && FLUSH) {
      await sleep(Math.max(0, t0 + SPREAD_MS / 2 - Date.now()));
      flushedAt = Date.now();
      flushedKeys = await flushPrefix(REDIS_URL, queuePrefix);
      console.log(
        `  RoseDesk ${mode}: deleted ${flushedKeys} Redis keys of the queue prefix at t0 + ${((flushedAt - t0) / 1000).toFixed(1)} s`,
      );
    }
    for (;;) {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sla_event');
      if ((rows[0].n >= expected && Date.now() > lastDue + 3000) || Date.now() > lastDue + 30_000) break;
      await sleep(1000);
    }
    await sleep(3000); // anything late or duplicated shows up now
    const deadlocked = (await deadlocks()) - deadlocksBefore;

    const events = await db.query<{ late_ms: number; setup_late: boolean; due_ms: number }>(
      `SELECT extract(epoch FROM e.fired_at - e.due_at) * 1000 AS late_ms, i.created_at > e.due_at AS setup_late,
              extract(epoch FROM e.due_at) * 1000 AS due_ms
       FROM sla_event e JOIN incident i ON i.id = e.incident_id WHERE e.target = 'response'`,
    );
    const counted = events.rows.filter((r) => !r.setup_late).map((r) => Number(r.late_ms));
    let flushNote = '';
    if (flushedAt !== null) {
      const from = flushedAt;
      const after = events.rows
        .filter((r) => !r.setup_late && Number(r.due_ms) >= from && Number(r.due_ms) < from + AFTER_FLUSH_MS)
        .map((r) => Number(r.late_ms));
      const dueAfter = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM incident i JOIN incident_sla s ON s.incident_id = i.id AND s.target = 'response'
         CROSS JOIN unnest($3::float8[]) AS lvl
         WHERE i.reported_at + (s.target_minutes * lvl * interval '1 minute') >= $1 AND i.reported_at + (s.target_minutes * lvl * interval '1 minute') < $2`,
        [new Date(from), new Date(from + AFTER_FLUSH_MS), LEVELS],
      );
      const a = spread(after);
      flushNote = `; after the flush (${flushedKeys} keys): ${a.count} of ${dueAfter.rows[0].n} levels due in the next ${AFTER_FLUSH_MS / 1000} s fired, p99 ${ms(a.p99)} max ${ms(a.max)} late`;
    }
    const setupLate = events.rows.length - counted.length;
    const dupTimeline = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT incident_id, data->>'target', data->>'level' FROM incident_event
       WHERE event_type IN ('sla_warning', 'sla_breached') GROUP BY 1, 2, 3 HAVING count(*) > 1) d`,
    );
    const dupMail = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM (SELECT incident_id, subject, to_address FROM outbound_message WHERE template = 'sla-warning' GROUP BY 1, 2, 3 HAVING count(*) > 1) d",
    );
    const mail = await db.query<{ sent: number; total: number }>(
      "SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*)::int AS total FROM outbound_message WHERE template = 'sla-warning'",
    );
    const perLevel = await db.query<{ level: number; p50: number; p99: number }>(
      `SELECT threshold::float AS level,
              extract(epoch FROM percentile_disc(0.5) WITHIN GROUP (ORDER BY fired_at - due_at)) * 1000 AS p50,
              extract(epoch FROM percentile_disc(0.99) WITHIN GROUP (ORDER BY fired_at - due_at)) * 1000 AS p99
       FROM sla_event GROUP BY 1 ORDER BY 1`,
    );
    const levels = perLevel.rows
      .map((r) => `${Math.round(r.level * 100)}%: p50 ${ms(Number(r.p50))} p99 ${ms(Number(r.p99))}`)
      .join('; ');
    return {
      label: `RoseDesk SLA warnings, ${mode === 'redis' ? 'scaled (Redis)' : 'single server (PostgreSQL queue)'}`,
      lateness: spread(counted),
      missed: expected - events.rows.length,
      duplicated: dupTimeline.rows[0].n + dupMail.rows[0].n,
      extra:
        `per level ${levels}; warning mails sent ${mail.rows[0].sent}/${mail.rows[0].total}; ` +
        `levels already due when their incident was logged (not counted): ${setupLate}; PostgreSQL deadlocks during the run: ${deadlocked}${flushNote}`,
    };
  } finally {
    await db.end();
    await Promise.all(workers.map((w) => w.stop()));
    await app.stop();
    await rm(outbox, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
