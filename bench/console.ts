/**
 * npm run bench:console — the console's speed goals (issue 17), in one run beside raw baselines (the page's main
 * query run by `pg` alone). Not a test: it prints figures, it asserts nothing.
 *
 *   BENCH_SECONDS (10)      length of each page run
 *   BENCH_LIST_ROWS (1000000)  incidents generated in SQL (a tenth of them open, each with its SLA clocks)
 *   BENCH_STREAMS (50)      SSE-connected consoles for the fan-out run
 *   BENCH_CHANGES (40)      changes made through the other process during the fan-out run
 */
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { chromium } from 'playwright-core';
import {
  cannon,
  consoleSignIn,
  databaseUrl,
  figures,
  line,
  recreateDatabase,
  REDIS_URL,
  startApp,
  type Figures,
} from './bench-kit';
import { encodeCursor } from '../src/common/http/pagination';
import { ALL_CLOCKS_STOPPED, NO_RUNNING_CLOCK } from '../src/modules/sla/sla-urgency';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROWS = Number(process.env.BENCH_LIST_ROWS ?? 1_000_000);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 50);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 40);
const PASSWORD = 'bench-admin-password';
const EMAIL = 'admin@rosedesk.local';

async function main(): Promise<void> {
  const url = databaseUrl();
  await recreateDatabase();
  const env = {
    DATABASE_URL: url,
    REDIS_URL,
    QUEUE_PREFIX: `benchc${Date.now()}`,
    ADMIN_PASSWORD: PASSWORD,
    DB_POOL_SIZE: '20',
    LOGIN_RATE_LIMIT: '1000',
    // Two API processes (and other benchmarks on this machine): each takes a free port for its mail listener.
    SMTP_INTAKE_PORT: '0',
  };
  // The first start migrates and seeds the demo directory; the data is generated after it.
  const first = await startApp(env, ['--role=api']);
  await first.stop();
  const db = new Client({ connectionString: url });
  await db.connect();
  console.log(`RoseDesk console benchmark: ${ROWS} incidents (${ROWS / 10} open), ${SECONDS} s page runs\n`);
  const started = Date.now();
  const busy = await generate(db, ROWS);
  console.log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  const a = await startApp(env, ['--role=api']);
  const b = await startApp(env, ['--role=api']);
  const cookie = await consoleSignIn(a.base, EMAIL, PASSWORD);

  // --- queue page: All open, SLA urgency (the default) ------------------------------------------------
  // The page's main query: one page of All open in SLA urgency order (sla_urgency's index), as the list reads it.
  const queueSql = `SELECT i.id, i.number, i.summary, i.priority, i.status, i.reported_at, u.urgency AS k
    FROM incident i JOIN site s ON s.id = i.site_id JOIN trust t ON t.id = i.trust_id
    JOIN sla_urgency u ON u.incident_id = i.id
    WHERE i.status IN ('new','assigned','in_progress','awaiting_caller','awaiting_supplier')
      AND (u.urgency, u.incident_id) > ($1::timestamptz, $2::uuid)
    ORDER BY u.urgency, u.incident_id LIMIT 51`;
  const top = ['-infinity', '00000000-0000-0000-0000-000000000000'];
  const rawQueue = await rawRun(db, queueSql, top);
  console.log(line('raw baseline: the queue query by pg alone', rawQueue), load());
  const queue = await pageRun(`${a.base}/console`, cookie);
  console.log(line('GET /console (All open, SLA urgency)', queue, rawQueue), load());
  verdict('queue page p95 < 50 ms', queue.p95 < 50);
  // Deep in the order: the first page of the paused ones (after every running clock), by its keyset cursor.
  const deep = (
    await db.query<{ urgency: Date; id: string }>(
      `SELECT u.urgency, u.incident_id AS id FROM sla_urgency u JOIN incident i ON i.id = u.incident_id
        WHERE i.status IN ('new','assigned','in_progress','awaiting_caller','awaiting_supplier')
          AND u.urgency >= $1 ORDER BY u.urgency, u.incident_id LIMIT 1`,
      [NO_RUNNING_CLOCK],
    )
  ).rows[0];
  const rawDeep = await rawRun(db, queueSql, [deep.urgency, deep.id]);
  console.log(line('raw baseline: a deep page (paused) by pg alone', rawDeep), load());
  const deepPage = await pageRun(
    `${a.base}/console?cursor=${encodeURIComponent(encodeCursor({ k: deep.urgency.toISOString(), id: deep.id }))}`,
    cookie,
  );
  console.log(line('GET /console?cursor= (paused, deep)', deepPage, rawDeep), load());
  verdict('deep queue page p95 < 50 ms', deepPage.p95 < 50);

  // --- incident page with a 200-entry timeline ------------------------------------------------------
  const timelineSql = `SELECT * FROM incident_event WHERE incident_id = $1 ORDER BY id`;
  const rawIncident = await rawRun(db, timelineSql, [busy.id]);
  console.log(line('raw baseline: its timeline by pg alone', rawIncident), load());
  const incident = await pageRun(`${a.base}/console/incidents/${busy.reference}`, cookie);
  console.log(line(`GET /console/incidents/${busy.reference} (200 entries)`, incident, rawIncident), load());
  verdict('incident page p95 < 30 ms', incident.p95 < 30);

  // --- a change through process B reaches 50 consoles on process A -------------------------------------
  const arrivals: number[] = [];
  let sentAt = 0;
  const streams = await Promise.all(
    Array.from({ length: STREAMS }, () =>
      openStream(`${a.base}/console/live`, cookie, () => arrivals.push(Date.now() - sentAt)),
    ),
  );
  const token = await apiLogin(b.base);
  const target = (
    await db.query<{ number: string }>('SELECT number FROM incident WHERE status = $1 LIMIT 1', ['new'])
  ).rows[0].number;
  const reference = `INC-${String(target).padStart(6, '0')}`;
  for (let k = 0; k < CHANGES; k++) {
    const before = arrivals.length;
    sentAt = Date.now();
    await fetch(`${b.base}/api/incidents/${reference}/notes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: `Bench note ${k}` }),
    });
    const deadline = Date.now() + 5_000;
    while (arrivals.length < before + STREAMS && Date.now() < deadline) await sleep(5);
    await sleep(50);
  }
  for (const s of streams) s.destroy();
  const sorted = [...arrivals].sort((x, y) => x - y);
  const pct = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  console.log(
    `SSE fan-out: ${CHANGES} notes through process B, ${STREAMS} consoles on process A: ${arrivals.length} of ${CHANGES * STREAMS} events, p50 ${pct(50)} ms p99 ${pct(99)} ms max ${sorted[sorted.length - 1]} ms (from the request's start)`,
  );
  console.log(`  ${load()}`);
  verdict('p99 < 1 s', pct(99) < 1000 && arrivals.length === CHANGES * STREAMS);

  // --- first contentful paint of the queue page --------------------------------------------------------
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: a.base }]);
  const page = await context.newPage();
  const paints: number[] = [];
  for (let k = 0; k < 5; k++) {
    await page.goto(`${a.base}/console`, { waitUntil: 'load' });
    paints.push(
      await page.evaluate(
        () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
      ),
    );
  }
  await browser.close();
  console.log(
    `queue page first contentful paint (Chromium, 5 loads): ${paints.map((p) => p.toFixed(0)).join(', ')} ms ${load()}`,
  );

  await Promise.all([a.stop(), b.stop()]);
  await db.end();
}

/** The machine's load (it is shared): printed beside every figure. */
function load(): string {
  return `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
}

function verdict(goal: string, met: boolean): void {
  console.log(`  goal: ${goal}: ${met ? 'met' : 'NOT met'}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Incidents in SQL (as bench:incidents makes them), SLA clocks for the open ones, one with 200 timeline entries. */
async function generate(db: Client, rows: number): Promise<{ id: string; reference: string }> {
  await db.query(
    `
    WITH st AS (SELECT array_agg(id ORDER BY code) AS ids, array_agg(trust_id ORDER BY code) AS trusts,
                       array_agg(class_code ORDER BY code) AS classes, count(*)::int AS n FROM site),
         sv AS (SELECT array_agg(id ORDER BY code) AS ids, count(*)::int AS n FROM service)
    INSERT INTO incident (trust_id, site_id, site_class_code, service_id, channel, status, priority, impact, urgency,
      summary, description, reporter_name, reported_at, version, created_at, updated_at)
    SELECT st.trusts[1 + g % st.n], st.ids[1 + g % st.n], st.classes[1 + g % st.n], sv.ids[1 + g % sv.n],
      (ARRAY['email','email','email','phone','web','api'])[1 + g % 6],
      (ARRAY['closed','closed','closed','closed','closed','closed','closed','closed','closed','new','assigned','in_progress','awaiting_caller','awaiting_supplier','closed','closed','closed','closed','closed','closed'])[1 + g % 20],
      (ARRAY['P1','P2','P3','P3','P4','P4'])[1 + (g / 7) % 6],
      'one_user', 'medium', 'Generated fault ' || g, 'Bench row ' || g, 'Bench Reporter',
      now() - make_interval(secs => g % 31536000), 1, now(), now()
    FROM generate_series(1, $1::int) AS g, st, sv`,
    [rows],
  );
  // 5 of every 20 rows are open: close three in five of those, leaving a tenth of all open.
  await db.query(
    `UPDATE incident SET status = 'closed' WHERE status IN ('new','assigned','in_progress','awaiting_caller','awaiting_supplier') AND (number / 20) % 5 < 3`,
  );
  await db.query(
    `INSERT INTO incident_sla (incident_id, target, calendar_code, target_minutes, started_at, due_at, paused, elapsed_ms, computed_at)
     SELECT i.id, t.target, (SELECT code FROM sla_calendar ORDER BY code LIMIT 1), 480, i.reported_at,
            i.reported_at + make_interval(hours => (i.number % 97)::int), i.status = 'awaiting_caller', 0, now()
       FROM incident i CROSS JOIN (VALUES ('response'), ('resolution')) AS t(target)
      WHERE i.status IN ('new','assigned','in_progress','awaiting_caller','awaiting_supplier')
        AND NOT EXISTS (SELECT 1 FROM incident_sla x WHERE x.incident_id = i.id)`,
  );
  const { rows: busy } = await db.query<{ id: string; number: string }>(
    `SELECT id, number FROM incident WHERE status = 'in_progress' ORDER BY number LIMIT 1`,
  );
  await db.query(
    `INSERT INTO incident_event (incident_id, kind, author_name, body, created_at)
     SELECT $1, (ARRAY['public_reply','internal_note','system'])[1 + g % 3], 'Bench Agent', 'Timeline entry ' || g, now()
       FROM generate_series(1, 200) AS g`,
    [busy[0].id],
  );
  // Every incident's SLA urgency (sla_urgency): the triggers on incident_sla wrote the open ones' with their clocks;
  // the closed ones (generated without clocks) are done, as their stopped clocks would say.
  await db.query(
    `INSERT INTO sla_urgency (incident_id, urgency)
     SELECT i.id, $1::timestamptz FROM incident i WHERE NOT EXISTS (SELECT 1 FROM sla_urgency u WHERE u.incident_id = i.id)`,
    [ALL_CLOCKS_STOPPED],
  );
  // As autovacuum would after the mass close above: without it every index scan of the open statuses walks
  // 150,000 dead entries.
  await db.query('VACUUM ANALYZE');
  return { id: busy[0].id, reference: `INC-${String(busy[0].number).padStart(6, '0')}` };
}

/** The raw baseline: the page's main query by `pg` alone, one client, for SECONDS. */
async function rawRun(db: Client, sql: string, params: unknown[]): Promise<Figures> {
  const latencies: number[] = [];
  const end = Date.now() + SECONDS * 1000;
  while (Date.now() < end) {
    const t0 = performance.now();
    await db.query(sql, params);
    latencies.push(performance.now() - t0);
  }
  latencies.sort((x, y) => x - y);
  const p = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((q / 100) * latencies.length) - 1)];
  return { rps: latencies.length / SECONDS, p50: p(50), p95: p(95), p99: p(99), errors: 0, non2xx: 0 };
}

/** A console page as a signed-in browser asks for it, one connection (server time as the client sees it). */
async function pageRun(url: string, cookie: string): Promise<Figures> {
  const run = () => cannon({ url, headers: { cookie }, connections: 1, duration: SECONDS });
  await cannon({ url, headers: { cookie }, connections: 1, duration: 2 });
  return figures(await run());
}

async function apiLogin(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** An SSE connection that calls `onIncident` for every `incident` event. */
function openStream(url: string, cookie: string, onIncident: () => void): Promise<{ destroy(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        for (const _ of chunk.matchAll(/event: incident\n/g)) onIncident();
      });
      resolve({ destroy: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
