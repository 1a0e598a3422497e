/**
 * npm run bench:escalation — N escalations across the two demo suppliers (VMB and Imerja) to local endpoints, one
 * of them slow (each answer takes BENCH_ESC_SLOW_MS), into the built app (scaled mode: Redis queues). Each supplier
 * has its own queue, so the fast supplier's deliveries must not wait behind the slow one's backlog.
 *
 * Prints, per supplier, the delivery delay (from the escalation's 201 to the endpoint receiving it: p50, p99, max),
 * whether every escalation was delivered and how many Idempotency-Keys arrived twice (only a retry may repeat one),
 * and deliveries/s to the fast endpoint beside a raw baseline in the same run: plain signed POSTs of the same bodies
 * to the same endpoint at the same concurrency. Goal: the fast supplier's p99 delay under 1 s while the slow one is
 * backlogged. Not a test.
 *
 *   BENCH_ESC_COUNT (5000)     escalations (half to each supplier; one incident escalated to both)
 *   BENCH_ESC_SLOW_MS (200)    how long the slow supplier takes to answer
 *   BENCH_ESC_CLIENTS (8)      concurrent API clients making incidents and escalations
 *   BENCH_ESC_CONCURRENCY (4)  deliveries in flight per supplier (ESCALATION_CONCURRENCY): at 4, the slow supplier
 *                              takes at most 20 a second, fewer than arrive, so its queue backs up
 */
import { Queue } from 'bullmq';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { signedHeaders } from '../src/modules/escalation/domain/signature';
import { fakeSupplier, type FakeSupplier } from '../test/helpers/fake-supplier';
import {
  cpuSeconds,
  databaseUrl,
  login,
  machineLoad,
  postgresPids,
  recreateDatabase,
  REDIS_URL,
  spread,
  startApp,
} from './bench-kit';

const COUNT = Number(process.env.BENCH_ESC_COUNT ?? 5000);
const SLOW_MS = Number(process.env.BENCH_ESC_SLOW_MS ?? 200);
const CLIENTS = Number(process.env.BENCH_ESC_CLIENTS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_ESC_CONCURRENCY ?? 4);
const DB = 'rosedesk_bench_escalation';
const PASSWORD = 'bench-admin-password-escalation';

async function api(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: object,
): Promise<Response> {
  return fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
}

/** Runs `work(i)` for i < n with `clients` in flight. */
async function pool(n: number, clients: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < n; i = next++) await work(i);
    }),
  );
}

function report(
  name: string,
  end: FakeSupplier,
  made: Map<string, number>,
): { p99: number; delivered: number } {
  const first = new Map<string, number>();
  let repeats = 0;
  for (const d of end.received) {
    const id = String(d.body.escalationId);
    if (first.has(id)) repeats++;
    else first.set(id, d.at);
  }
  const delays = [...made].flatMap(([id, at]) => (first.has(id) ? [(first.get(id) as number) - at] : []));
  const s = spread(delays);
  const missing = [...made.keys()].filter((id) => !first.has(id)).length;
  console.log(
    `  ${name}: ${first.size}/${made.size} delivered (${missing} missing), keys seen twice: ${repeats}; delay p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms`,
  );
  return { p99: s.p99, delivered: first.size };
}

/**
 * Where a fast delivery's time goes, from BullMQ's completed jobs (the last 1,000 are kept: the later part of the
 * run) and the endpoint's arrival times: queue wait (added to taken), before the POST arrives (reading the
 * escalation and building the payload), after it (the answer and marking the escalation sent), and the API side
 * (the escalation's 201 to the job's add, negative when the add came first).
 */
async function profile(
  prefix: string,
  code: string,
  end: FakeSupplier,
  made: Map<string, number>,
): Promise<void> {
  const url = new URL(REDIS_URL);
  const queue = new Queue(`escalation-${code}`, {
    prefix,
    connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null },
  });
  try {
    const arrived = new Map<string, number>();
    for (const d of end.received) {
      const id = String(d.body.escalationId);
      if (!arrived.has(id)) arrived.set(id, d.at);
    }
    const wait: number[] = [];
    const build: number[] = [];
    const after: number[] = [];
    const api: number[] = [];
    for (const job of await queue.getJobs(['completed'], 0, 999)) {
      const id = String((job.data as { escalationId: string }).escalationId);
      const at = arrived.get(id);
      if (!at || !job.processedOn || !job.finishedOn) continue;
      wait.push(job.processedOn - job.timestamp);
      build.push(at - job.processedOn);
      after.push(job.finishedOn - at);
      const madeAt = made.get(id);
      if (madeAt) api.push(job.timestamp - madeAt);
    }
    const f = (name: string, v: number[]): string => {
      const s = spread(v);
      return `${name} p50 ${s.p50} / p99 ${s.p99} ms`;
    };
    console.log(
      `  where a ${code} delivery's time went (${wait.length} jobs): ${f('queue wait', wait)}; ${f('read + payload until the POST arrives', build)}; ${f('answer + marking sent', after)}; ${f('job added after the 201', api)}`,
    );
  } finally {
    await queue.close();
  }
}

/** The raw baseline: the same bodies, signed, posted straight to the fast endpoint at the workers' concurrency. */
async function baseline(end: FakeSupplier, bodies: string[]): Promise<number> {
  const started = performance.now();
  await pool(bodies.length, CONCURRENCY, async (i) => {
    const res = await fetch(end.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signedHeaders(end.secret, bodies[i], `raw-${i}`, new Date()),
      },
      body: bodies[i],
    });
    await res.text();
  });
  return bodies.length / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  await recreateDatabase(DB);
  const url = databaseUrl(DB);
  const fast = await fakeSupplier({ kind: 'ok' }, 'bench-fast-secret-0123456789');
  const slow = await fakeSupplier({ kind: 'ok', delayMs: SLOW_MS }, 'bench-slow-secret-0123456789');
  const prefix = `bench${Date.now()}`;
  const app = await startApp({
    DATABASE_URL: url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    ADMIN_PASSWORD: PASSWORD,
    JWT_SECRET: 'bench-only-signing-key-0123456789abcdef',
    SMTP_INTAKE_PORT: '0',
    OUTBOX_DIR: `/tmp/rosedesk-bench-escalation-outbox-${process.pid}`,
    ESCALATION_CONCURRENCY: String(CONCURRENCY),
  });
  try {
    const token = await login(app.base, 'admin@rosedesk.local', PASSWORD);
    for (const [code, end] of [
      ['vmb', fast],
      ['imerja', slow],
    ] as const) {
      const res = await api(app.base, token, 'PATCH', `/api/suppliers/${code}`, {
        webhookUrl: end.url,
        webhookSecret: end.secret,
      });
      if (!res.ok) throw new Error(`PATCH ${code}: ${res.status}`);
    }
    const sites = (await (
      await api(app.base, token, 'GET', '/api/sites?limit=500&class=community_health')
    ).json()) as {
      items: { code: string }[];
    };
    const incidents = Math.ceil(COUNT / 2);
    console.log(
      `bench:escalation — ${incidents * 2} escalations on ${incidents} incidents, VMB fast, Imerja answering in ${SLOW_MS} ms, ${CONCURRENCY} deliveries in flight per supplier`,
    );
    const references: string[] = [];
    await pool(incidents, CLIENTS, async (i) => {
      const res = await api(app.base, token, 'POST', '/api/incidents', {
        siteCode: sites.items[i % sites.items.length].code,
        service: 'wan',
        impact: 'one_user',
        urgency: 'low',
        summary: `Bench fault ${i}`,
        description: 'Benchmark escalation',
        reporter: { name: 'Bench Reporter', email: `bench${i}@example.test` },
      });
      if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
      references[i] = ((await res.json()) as { reference: string }).reference;
    });
    const made = { vmb: new Map<string, number>(), imerja: new Map<string, number>() };
    const load = machineLoad();
    // CPU the desk and PostgreSQL spend per escalation (making it and delivering it): on a shared machine, less
    // dependent on what else runs than the delays are.
    const appPid = app.child.pid as number;
    const appCpu = cpuSeconds([appPid]);
    const pgCpu = new Map(postgresPids().map((pid) => [pid, cpuSeconds([pid])]));
    console.log(
      `  os.loadavg() before posting: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
    const started = performance.now();
    // Imerja first on each incident, so the slow queue is backlogged while VMB's escalations arrive.
    await pool(incidents * 2, CLIENTS, async (i) => {
      const supplier = i % 2 === 0 ? 'imerja' : 'vmb';
      const res = await api(
        app.base,
        token,
        'POST',
        `/api/incidents/${references[Math.floor(i / 2)]}/escalations`,
        {
          supplier,
          reason: 'bench',
        },
      );
      if (res.status !== 201) throw new Error(`escalate: ${res.status} ${await res.text()}`);
      made[supplier].set(((await res.json()) as { id: string }).id, Date.now());
    });
    const posted = (performance.now() - started) / 1000;
    const deadline = Date.now() + 10 * 60_000;
    const delivered = (end: FakeSupplier, m: Map<string, number>): boolean =>
      new Set(end.received.map((d) => String(d.body.escalationId))).size >= m.size;
    while (!delivered(fast, made.vmb) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const arrivals = fast.received.map((d) => d.at);
    const fastSeconds = Math.max(0.001, (Math.max(...arrivals) - Math.min(...arrivals)) / 1000);
    const slowBacklog =
      made.imerja.size - new Set(slow.received.map((d) => String(d.body.escalationId))).size;
    while (!delivered(slow, made.imerja) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    const total = (performance.now() - started) / 1000;
    const perEscalation = (seconds: number): string => ((seconds * 1000) / (incidents * 2)).toFixed(2);
    const pgUsed = postgresPids().reduce((sum, pid) => sum + cpuSeconds([pid]) - (pgCpu.get(pid) ?? 0), 0);
    const cpu = `CPU per escalation (made and delivered): desk ${perEscalation(cpuSeconds([appPid]) - appCpu)} ms, PostgreSQL (every server process on the machine, others' work too) ${perEscalation(pgUsed)} ms`;
    console.log(`  escalations posted in ${posted.toFixed(1)} s; machine: ${load()}`);
    console.log(
      `  os.loadavg() at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
    const v = report('VMB (fast)', fast, made.vmb);
    await profile(prefix, 'vmb', fast, made.vmb);
    report(`Imerja (slow, ${SLOW_MS} ms)`, slow, made.imerja);
    console.log(
      `  Imerja still backlogged when VMB's last delivery arrived: ${slowBacklog} escalations waiting`,
    );
    const deskRate = v.delivered / fastSeconds;
    const bodies = fast.received.slice(0, made.vmb.size).map((d) => JSON.stringify(d.body));
    const rawRate = await baseline(fast, bodies);
    console.log(
      `  deliveries/s to the fast endpoint: desk ${deskRate.toFixed(0)}/s (posting bound: escalations arrive as fast as the API makes them) | raw signed POSTs ${rawRate.toFixed(0)}/s`,
    );
    console.log(`  all delivered in ${total.toFixed(1)} s; ${cpu}`);
    console.log(
      `  goal: fast supplier p99 under 1 s while the slow one is backlogged: ${v.p99 < 1000 && slowBacklog > 0 ? 'met' : 'NOT met'}`,
    );
    const pg = new Client({ connectionString: url });
    await pg.connect();
    const { rows } = await pg.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM escalation GROUP BY status ORDER BY status',
    );
    await pg.end();
    console.log(`  escalation statuses: ${rows.map((r) => `${r.status} ${r.n}`).join(', ')}`);
  } finally {
    await app.stop();
    await fast.close();
    await slow.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
