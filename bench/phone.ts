/**
 * npm run bench:phone — N concurrent simulated calls into the built app (scaled mode), each a whole signed
 * conversation as Twilio holds it (the first ring, the site code, the menu, the recording, the call's status, a late
 * transcription), some hanging up half-way, with retried webhooks mixed in (some after the first answer, some at the
 * same time); and M texts during the calls. Twice:
 *
 * 1. paced as callers are (the latency goal is measured here): the calls ring over the first seconds, each answer
 *    comes a few seconds after the question (the prompt is being spoken, then the caller keys), the message takes
 *    seconds to record; every pause drawn from a seeded generator and printed. Its baseline: the same signed posts
 *    replayed at the same moments against a bare route.
 * 2. back to back (no pauses, N conversations in flight): the desk's capacity in webhooks/s, beside the raw baseline
 *    of the very same posts replayed at the same concurrency against the bare route (node:http, the form parsed, a
 *    fixed TwiML answer).
 *
 * Not a test: it prints figures (p50/p95/p99, requests/s, the app's and PostgreSQL's CPU per webhook, os.loadavg())
 * and whether the goals are met (p99 webhook answer under 50 ms paced; every completed call exactly one incident,
 * and every text one). BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=DIR' profiles the app.
 *
 *   BENCH_PHONE_CALLS (200)        concurrent calls
 *   BENCH_PHONE_TEXTS (500)        texts, sent during the calls
 *   BENCH_PHONE_THINK_MS (3000)    paced run: mean pause before each answer (each one 0.5 to 1.5 times it)
 *   BENCH_PHONE_RECORD_MS (10000)  paced run: mean time to record the message (0.5 to 1.5 times it)
 *   BENCH_PHONE_ARRIVALS_MS (5000) paced run: the calls ring over this span (uniform)
 *   BENCH_PHONE_RETRIES (0.1)      share of webhooks Twilio delivers twice (the second must get the same answer)
 *   BENCH_PHONE_HANGUPS (0.15)     share of calls that hang up half-way
 *   BENCH_PHONE_SEED (19)          the generator's seed
 *   BENCH_PHONE_RUNS (paced,burst) which runs
 *   BENCH_PHONE_POOL (the app's)   the app's DB_POOL_SIZE
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { loadavg } from 'node:os';
import { fakeTwilio } from '../test/helpers/fake-twilio';
import { call, DESK, PUBLIC, Run, texts, TOKEN, type Expect, type Pacing, type Sent } from './phone-callers';
import {
  databaseUrl,
  line,
  login,
  recreateDatabase,
  REDIS_URL,
  startApp,
  withCpu,
  type Figures,
} from './bench-kit';

const CALLS = Number(process.env.BENCH_PHONE_CALLS ?? 200);
const TEXTS = Number(process.env.BENCH_PHONE_TEXTS ?? 500);
const THINK_MS = Number(process.env.BENCH_PHONE_THINK_MS ?? 3000);
const RECORD_MS = Number(process.env.BENCH_PHONE_RECORD_MS ?? 10_000);
const ARRIVALS_MS = Number(process.env.BENCH_PHONE_ARRIVALS_MS ?? 5000);
const RETRY_SHARE = Number(process.env.BENCH_PHONE_RETRIES ?? 0.1);
const HANGUP_SHARE = Number(process.env.BENCH_PHONE_HANGUPS ?? 0.15);
const SEED = Number(process.env.BENCH_PHONE_SEED ?? 19);
const RUNS = (process.env.BENCH_PHONE_RUNS ?? 'paced,burst').split(',');
const POOL = process.env.BENCH_PHONE_POOL ?? '';
const DB = 'rosedesk_bench_phone';
const PASSWORD = 'bench-admin-password-phone';

/** Every completed call is exactly one incident (a call that hung up before choosing a service is none). */
async function wrongCalls(url: string, outcomes: { callSid: string; expect: Expect }[]): Promise<number> {
  const db = new Client({ connectionString: url });
  await db.connect();
  let wrong = 0;
  for (const o of outcomes) {
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM incident WHERE channel = 'phone' AND description LIKE '%' || $1 || '%'",
      [o.callSid],
    );
    if (rows[0].n !== (o.expect === 'incident' ? 1 : 0)) wrong++;
  }
  const texted = (
    await db.query<{ n: number }>("SELECT count(*)::int AS n FROM incident WHERE channel = 'sms'")
  ).rows[0].n;
  await db.end();
  return wrong + Math.abs(texted - TEXTS * runsDone);
}
let runsDone = 0;

interface Outcome {
  figures: Figures;
  seconds: number;
  wrong: number;
  completed: number;
  cpu: string;
  load: string;
}

const loadavgText = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function conversations(run: Run, codes: string[], url: string, appPid: number): Promise<Outcome> {
  const offset = runsDone * Math.max(CALLS, TEXTS);
  const loadBefore = loadavgText();
  const measured = await withCpu(
    [appPid],
    1,
    async () => {
      const started = performance.now();
      const [outcomes] = await Promise.all([
        Promise.all(Array.from({ length: CALLS }, (_, i) => call(run, codes, offset + i))),
        texts(run, codes, offset, TEXTS),
      ]);
      const seconds = (performance.now() - started) / 1000;
      // withCpu divides by rps × 1 s: the number of webhooks.
      return { rps: run.latencies.length, outcomes, seconds };
    },
    DB,
  );
  runsDone++;
  return {
    figures: figuresOf(run.latencies, measured.seconds, run.failures),
    seconds: measured.seconds,
    cpu: measured.cpu,
    load: `loadavg ${loadBefore} before, ${loadavgText()} after`,
    wrong: await wrongCalls(url, measured.outcomes),
    completed: measured.outcomes.filter((o) => o.expect === 'incident').length,
  };
}

function figuresOf(ms: number[], seconds: number, errors: number): Figures {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return { rps: ms.length / seconds, p50: at(50), p95: at(95), p99: at(99), errors, non2xx: 0 };
}

/** The bare route: the same form posts parsed, and a fixed TwiML answer. */
function bareRoute(): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Response><Say>${form.get('CallSid') ? 'ok' : 'text'}</Say></Response>`,
      );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function postOne(base: string, r: Sent): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${base}${r.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': r.signature },
    body: r.body,
  });
  await res.text();
  return performance.now() - t0;
}

/** The posts back to back at this concurrency. */
async function replay(base: string, requests: Sent[], concurrency: number): Promise<Figures> {
  const ms: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) ms.push(await postOne(base, requests[next++]));
    }),
  );
  return figuresOf(ms, (performance.now() - started) / 1000, 0);
}

/** The posts at the moments they were first sent (their offsets from the run's start). */
async function replayTimed(base: string, requests: Sent[]): Promise<Figures> {
  const started = performance.now();
  const ms = await Promise.all(
    requests.map(async (r) => {
      const wait = r.atMs - (performance.now() - started);
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      return postOne(base, r);
    }),
  );
  return figuresOf(ms, (performance.now() - started) / 1000, 0);
}

/** "n 812, 1.5-4.5 s, mean 3.0 s" */
function pauses(ms: readonly number[] | undefined): string {
  if (!ms || ms.length === 0) return 'none';
  const s = (x: number) => `${(x / 1000).toFixed(1)} s`;
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  return `n ${ms.length}, ${s(Math.min(...ms))} to ${s(Math.max(...ms))}, mean ${s(mean)}`;
}

function report(name: string, run: Run, o: Outcome, baseline: Figures, baselineLabel: string): void {
  console.log(`\n${name}: ${run.sent.length} webhooks in ${o.seconds.toFixed(1)} s`);
  console.log(line(`  raw baseline: ${baselineLabel}`, baseline));
  console.log(line('  desk', o.figures, baseline));
  console.log(`  ${o.cpu}`);
  console.log(`  ${o.load}`);
  for (const [kind, ms] of [...run.byKind].sort()) {
    const f = figuresOf(ms, o.seconds, 0);
    console.log(
      `    ${kind.padEnd(22)} ${String(ms.length).padStart(5)}  p50 ${f.p50.toFixed(1)} ms  p95 ${f.p95.toFixed(1)} ms  p99 ${f.p99.toFixed(1)} ms`,
    );
  }
  console.log(
    `  ${CALLS} calls (${o.completed} should make an incident), ${TEXTS} texts; wrong: ${o.wrong}; webhooks retried: ${run.retried}, answered differently: ${run.retriedDifferently}; failed requests: ${run.failures}`,
  );
}

async function main(): Promise<void> {
  await recreateDatabase(DB);
  const url = databaseUrl(DB);
  const twilioApi = await fakeTwilio();
  const app = await startApp({
    DATABASE_URL: url,
    REDIS_URL,
    QUEUE_PREFIX: `bench${Date.now()}`,
    ADMIN_PASSWORD: PASSWORD,
    JWT_SECRET: 'bench-only-signing-key-0123456789abcdef',
    PUBLIC_BASE_URL: PUBLIC,
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: TOKEN,
    TWILIO_FROM_NUMBER: DESK,
    TWILIO_API_BASE_URL: twilioApi.base,
    SMTP_INTAKE_PORT: '0',
    OUTBOX_DIR: `/tmp/rosedesk-bench-phone-outbox-${process.pid}`,
    ...(POOL ? { DB_POOL_SIZE: POOL } : {}),
  });
  const bare = await bareRoute();
  const bareBase = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  const goals: string[] = [];
  try {
    const token = await login(app.base, 'admin@rosedesk.local', PASSWORD);
    const sites = (await (
      await fetch(`${app.base}/api/sites?limit=500&class=community_health`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { items: { code: string }[] };
    const codes = sites.items.map((s) => s.code);
    console.log(
      `bench:phone — ${CALLS} concurrent calls and ${TEXTS} texts per run, ${Math.round(RETRY_SHARE * 100)}% of webhooks retried (half after the answer, half at once), ${Math.round(HANGUP_SHARE * 100)}% of calls hanging up half-way; seed ${SEED}; DB_POOL_SIZE ${POOL || 'default'}; loadavg ${loadavgText()}`,
    );
    const options = { base: app.base, seed: SEED, retryShare: RETRY_SHARE, hangupShare: HANGUP_SHARE };
    let wrong = 0;

    if (RUNS.includes('paced')) {
      const pacing: Pacing = {
        thinkMs: THINK_MS,
        recordMs: RECORD_MS,
        arrivalsMs: ARRIVALS_MS,
        textsMs: THINK_MS * 8,
      };
      const paced = new Run({ ...options, pacing });
      const p = await conversations(paced, codes, url, app.child.pid ?? 0);
      const baseline = await replayTimed(bareBase, paced.sent);
      report('paced as callers are', paced, p, baseline, 'the same posts at the same moments, bare route');
      console.log(
        `  think times drawn: calls ringing ${pauses(paced.pauses.get('arrival'))}; before each answer ${pauses(paced.pauses.get('answer'))}; recording ${pauses(paced.pauses.get('record'))}; texts arriving ${pauses(paced.pauses.get('text'))}`,
      );
      goals.push(
        `goal p99 webhook answer < 50 ms (paced): ${p.figures.p99 < 50 ? 'met' : 'NOT met'} (${p.figures.p99.toFixed(1)} ms)`,
      );
      wrong += p.wrong;
    }
    if (RUNS.includes('burst')) {
      const pacing: Pacing = { thinkMs: 0, recordMs: 0, arrivalsMs: 0, textsMs: 0 };
      const burst = new Run({ ...options, seed: SEED + 1, pacing });
      const b = await conversations(burst, codes, url, app.child.pid ?? 0);
      const baseline = await replay(bareBase, burst.sent, CALLS);
      report(
        `back to back (capacity; ${CALLS} conversations in flight)`,
        burst,
        b,
        baseline,
        `the same posts, ${CALLS} at a time, bare route`,
      );
      wrong += b.wrong;
    }
    goals.push(
      `goal every completed call exactly one incident, with retries: ${wrong === 0 ? 'met' : `NOT met (${wrong} wrong)`}`,
    );
    console.log(`\n${goals.join('\n')}`);
  } finally {
    bare.close();
    await app.stop();
    await twilioApi.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
