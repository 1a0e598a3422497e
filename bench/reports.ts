/**
 * npm run bench:reports — the SLA report over a million incidents. The built app (scaled mode, demo directory:
 * 169 sites of 8 trusts) on a scratch database, then N incidents spread over the last 5 years generated in SQL,
 * with their SLA clocks, a status history (resolved; some paused for the caller) and escalations for one in five
 * (with their suppliers' contract clocks).
 * The settled incidents' stored clock-holder figures (sla_clock_summary) are then written in SQL too, by the
 * statement a report's own store step uses (refreshClockSummariesSql). Timed through the real HTTP API, with a raw baseline in the same run: `SELECT
 * count(*)` over the same trust's month of incidents; every figure is printed with os.loadavg(). Reports of settled
 * whole months are timed twice: the first ask, with nothing stored (the one statement per month and trust, and
 * their stores into report_month_partial), then the later asks, which add up the stored months.
 *
 * Goals (the issue's): the monthly per-trust report under 100 ms; the yearly partnership roll-up under 1 s; the CSV
 * of a year streamed with the app's memory growing by under 100 MB; the console report page under 150 ms (p95).
 * Not a test: it prints figures and verdicts.
 *
 *   BENCH_REPORTS_INCIDENTS (1000000)  incidents generated
 *   BENCH_REPORTS_RUNS (5)             timed runs of each API request (after one warm-up)
 *   BENCH_REPORTS_PAGE_RUNS (20)       timed requests of each console page (after one warm-up)
 *   BENCH_REPORTS_DB (rosedesk_bench_reports)  the scratch database
 *   BENCH_REPORTS_REUSE (unset)        1: keep the database a previous run loaded (its migrations still run)
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { supplierHoldsSql } from '../src/modules/escalation/escalation-sql';
import { refreshClockSummariesSql } from '../src/modules/sla/sla-clock-summary';
import { consoleSignIn, databaseUrl, login, recreateDatabase, REDIS_URL, startApp } from './bench-kit';

const N = Number(process.env.BENCH_REPORTS_INCIDENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_REPORTS_RUNS ?? 5);
const DB = process.env.BENCH_REPORTS_DB ?? 'rosedesk_bench_reports';
/** BENCH_REPORTS_REUSE=1: keep the database a previous run loaded (migrations still run at start). */
const REUSE = process.env.BENCH_REPORTS_REUSE === '1';
const PASSWORD = 'bench-admin-password-reports';

const GENERATE = [
  `CREATE TEMP TABLE bs AS SELECT (row_number() OVER (ORDER BY s.code))::int - 1 AS n, s.id, s.trust_id, s.class_code,
     c.calendar_code FROM site s JOIN site_class c ON c.code = s.class_code`,
  `CREATE TEMP TABLE bv AS SELECT (row_number() OVER (ORDER BY code))::int - 1 AS n, id FROM service`,
  `CREATE TEMP TABLE bu AS SELECT (row_number() OVER (ORDER BY code))::int - 1 AS n, id FROM supplier`,
  // Incidents evenly over 5 years up to now; the last 3 days' every third still open, and so is every incident
  // whose resolution would come after now (nothing generated happens in the future). Written oldest first, as a
  // desk writes them: a month's incidents lie together in the table, not one to a page across all of it.
  `INSERT INTO incident (trust_id, site_id, site_class_code, service_id, channel, status, priority, impact, urgency,
     summary, description, reporter_name, reported_at, resolved_at, resolution_code, version)
   SELECT bs.trust_id, bs.id, bs.class_code, bv.id, (ARRAY['email','phone','web','api','email'])[1 + g % 5],
     CASE WHEN open THEN 'in_progress' ELSE 'resolved' END, 'P' || (1 + (g * 7) % 4), 'several_users', 'medium',
     'Bench incident', 'Generated in SQL', 'Bench reporter', reported,
     CASE WHEN open THEN NULL ELSE resolves END, CASE WHEN open THEN NULL ELSE 'fixed' END, 1
   FROM (SELECT g, reported, resolves, ((g::float8 / $1) * 1826 < 3 AND g % 3 = 0) OR resolves > now() AS open
         FROM (SELECT g, now() - (g::float8 / $1) * interval '5 years' AS reported FROM generate_series(1, $1::int) g) r
         CROSS JOIN LATERAL (SELECT reported + (30 + (g * 13) % 3000) * interval '1 minute' AS resolves) v) x
   JOIN bs ON bs.n = (g * 31) % (SELECT count(*) FROM bs) JOIN bv ON bv.n = g % (SELECT count(*) FROM bv)
   ORDER BY reported`,
  `INSERT INTO incident_sla (incident_id, target, calendar_code, target_minutes, started_at, due_at, met_at, stopped_at,
     breached_at, paused, elapsed_ms, computed_at)
   SELECT i.id, t.target, CASE WHEN i.priority = 'P1' THEN '24x7' ELSE bs.calendar_code END, t.minutes, i.reported_at,
     i.reported_at + t.minutes * interval '1 minute', t.met, t.met,
     CASE WHEN t.met IS NOT NULL AND t.met > i.reported_at + t.minutes * interval '1 minute'
       THEN i.reported_at + t.minutes * interval '1 minute' END,
     false, coalesce((extract(epoch FROM t.met - i.reported_at) * 1000)::bigint, 0), coalesce(t.met, now())
   FROM incident i JOIN bs ON bs.id = i.site_id
   CROSS JOIN LATERAL (VALUES
     ('response', (ARRAY[15, 30, 120, 480])[substr(i.priority, 2)::int],
        -- a response due after now has not happened yet
        (SELECT m FROM (SELECT LEAST(i.resolved_at, i.reported_at + (5 + i.number % 200) * interval '1 minute') AS m) r
         WHERE m <= now())),
     ('resolution', (ARRAY[240, 480, 1890, 4800])[substr(i.priority, 2)::int], i.resolved_at)) AS t(target, minutes, met)
   ORDER BY i.reported_at`,
  `INSERT INTO incident_event (incident_id, kind, event_type, author_name, data, created_at)
   SELECT id, 'system', 'status_changed', 'Bench',
     jsonb_build_object('from', 'in_progress', 'to', 'resolved', 'at', resolved_at), resolved_at
   FROM incident WHERE resolved_at IS NOT NULL`,
  `INSERT INTO incident_event (incident_id, kind, event_type, author_name, data, created_at)
   SELECT id, 'system', 'status_changed', 'Bench', jsonb_build_object('from', f, 'to', t, 'at', reported_at + m * interval '1 minute'),
     reported_at + m * interval '1 minute'
   FROM incident CROSS JOIN (VALUES ('new', 'awaiting_caller', 10), ('awaiting_caller', 'in_progress', 25)) AS p(f, t, m)
   WHERE number % 20 = 0 AND (resolved_at IS NULL OR resolved_at > reported_at + interval '25 minutes')
     AND reported_at + interval '25 minutes' <= now()`,
  // Escalated 20 minutes in and held by the supplier until the incident was resolved (still held while it is open).
  `INSERT INTO escalation (incident_id, supplier_id, status, created_at, sent_at, resolved_at)
   SELECT i.id, bu.id, CASE WHEN i.resolved_at IS NULL THEN 'sent' ELSE 'resolved' END, i.reported_at + interval '20 minutes',
     i.reported_at + interval '20 minutes', i.resolved_at
   FROM incident i JOIN bu ON bu.n = i.number % (SELECT count(*) FROM bu)
   WHERE i.number % 5 = 0 AND i.reported_at + interval '20 minutes' <= now()`,
  // Each escalation's contract clocks (acknowledge, fix) from its supplier's targets for the priority, measured in
  // wall-clock minutes (as the incidents' clocks above): acknowledged 5-64 minutes in, fixed when the incident was
  // resolved; breached when met late, or still unmet past due.
  `INSERT INTO supplier_clock (escalation_id, target, priority, calendar_code, target_minutes, started_at, warn_at,
     due_at, met_at, breached_at)
   SELECT e.id, t.target, i.priority, ct.calendar_code, t.minutes, e.created_at,
     e.created_at + t.minutes * interval '45 seconds', d.due, t.met,
     CASE WHEN coalesce(t.met, now()) > d.due THEN d.due END
   FROM escalation e JOIN incident i ON i.id = e.incident_id
   JOIN supplier_contract_target ct ON ct.supplier_id = e.supplier_id AND ct.priority = i.priority
   CROSS JOIN LATERAL (VALUES
     ('acknowledge', ct.acknowledge_minutes,
        (SELECT m FROM (SELECT e.created_at + (5 + i.number % 60) * interval '1 minute' AS m) a WHERE m <= now())),
     ('fix', ct.fix_minutes, i.resolved_at)) AS t(target, minutes, met)
   CROSS JOIN LATERAL (SELECT e.created_at + t.minutes * interval '1 minute' AS due) d`,
  // This machine runs PostgreSQL with autovacuum off: vacuum once, as autovacuum would have on a desk's server (the
  // stored months' key is read from an index alone, which needs the visibility map).
  'VACUUM (ANALYZE)',
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1];
const load = (): string =>
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
const PAGE_RUNS = Number(process.env.BENCH_REPORTS_PAGE_RUNS ?? 20);

/** Incidents per statement when the stored figures are written (one statement per batch of incident numbers). */
const SUMMARY_BATCH = 100_000;

async function timed(label: string, fn: () => Promise<unknown>, goalMs?: number): Promise<number> {
  await fn(); // warm-up (also writes business-open periods for the years involved)
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  const m = median(ms);
  const verdict =
    goalMs === undefined ? '' : m < goalMs ? `  goal < ${goalMs} ms: met` : `  goal < ${goalMs} ms: NOT met`;
  console.log(
    `${label.padEnd(52)} median ${m.toFixed(1)} ms  max ${Math.max(...ms).toFixed(1)} ms${verdict}  (${load()})`,
  );
  return m;
}

/** One ask, timed on its own (the first, which stores what later asks read). */
async function firstAsk(label: string, fn: () => Promise<unknown>): Promise<void> {
  const t0 = performance.now();
  await fn();
  console.log(`${label.padEnd(52)} first ask ${(performance.now() - t0).toFixed(1)} ms  (${load()})`);
}

const rssKb = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

async function main(): Promise<void> {
  if (!REUSE) await recreateDatabase(DB);
  const url = databaseUrl(DB);
  const app = await startApp({
    DATABASE_URL: url,
    REDIS_URL,
    QUEUE_PREFIX: `bench${Date.now()}`,
    ADMIN_PASSWORD: PASSWORD,
    JWT_SECRET: 'bench-only-signing-key-0123456789abcdef',
    SMTP_INTAKE_PORT: '0',
    SLA_POLL_MS: '0',
    // The generated incidents stay resolved: at the default (5 days) the app's sweep would be closing the million of
    // them, 500 at a time, throughout the timings — which a desk that has run for 5 years did long ago.
    AUTO_CLOSE_MINUTES: String(10 * 366 * 24 * 60),
    // No month is frozen: every ask computes the report.
    REPORT_FREEZE_AFTER_DAYS: '60',
    OUTBOX_DIR: `/tmp/rosedesk-bench-reports-outbox-${process.pid}`,
  });
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const g0 = performance.now();
    const [{ loaded }] = (await db.query('SELECT count(*)::int AS loaded FROM incident')).rows;
    if (!REUSE || loaded === 0)
      for (const sql of GENERATE) await db.query(sql, sql.includes('$1') ? [N] : []);
    const [{ incidents }] = (await db.query('SELECT count(*)::int AS incidents FROM incident')).rows;
    console.log(
      `bench:reports — ${incidents} incidents over 5 years generated in SQL in ${((performance.now() - g0) / 1000).toFixed(0)} s`,
    );

    const token = await login(app.base, 'admin@rosedesk.local', PASSWORD);
    const get = async (path: string): Promise<Response> => {
      const res = await fetch(`${app.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res;
    };
    const day = (d: Date) => d.toISOString().slice(0, 10);
    // Business-open periods for every year the incidents span (a one-day report at the first day writes them, as
    // the first report over those years would), then the stored clock-holder figures of every settled incident,
    // generated in SQL by refreshClockSummariesSql.
    const [{ earliest, top }] = (
      await db.query('SELECT min(reported_at) AS earliest, max(number)::int AS top FROM incident')
    ).rows;
    await get(`/api/reports/sla?from=${day(earliest)}&to=${day(earliest)}`);
    const s0 = performance.now();
    const [{ already }] = (await db.query('SELECT count(*)::int AS already FROM sla_clock_summary')).rows;
    // The planner cannot know how many of a batch are still to write (a few, it guesses) and joins the measured
    // figures in nested loops: a batch of 100,000 ran for more than ten minutes. Hash joins write one in 16 s.
    await db.query('SET enable_nestloop = off');
    if (!REUSE || already === 0)
      for (let n = 0; n <= top; n += SUMMARY_BATCH) {
        await db.query(refreshClockSummariesSql(supplierHoldsSql(), 'x.number >= $1 AND x.number < $2'), [
          n,
          n + SUMMARY_BATCH,
        ]);
        await db.query('ANALYZE sla_clock_summary');
      }
    await db.query('RESET enable_nestloop');
    await db.query('ANALYZE sla_clock_summary');
    const [{ stored }] = (await db.query('SELECT count(*)::int AS stored FROM sla_clock_summary')).rows;
    console.log(
      `stored clock-holder figures: ${stored} settled incidents, written in SQL in ${((performance.now() - s0) / 1000).toFixed(0)} s`,
    );

    // The busiest trust, and last month.
    const [{ id: trustId, code: trust }] = (
      await db.query(
        'SELECT t.id, t.code FROM trust t JOIN incident i ON i.trust_id = t.id GROUP BY t.id ORDER BY count(*) DESC LIMIT 1',
      )
    ).rows;
    const now = new Date();
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
    const from = day(first);
    const to = day(last);
    const yearFrom = day(new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), 1)));
    const [{ n: monthRows }] = (
      await db.query(
        `SELECT count(*)::int AS n FROM incident WHERE trust_id = $1 AND reported_at >= $2::date AND reported_at < $3::date + 1`,
        [trustId, from, to],
      )
    ).rows;
    console.log(`trust ${trust}, month ${from}..${to}: ${monthRows} incidents; year ${yearFrom}..${to}`);

    const base = await timed('baseline: SELECT count(*) of that month (raw pg)', () =>
      db.query(
        `SELECT count(*) FROM incident WHERE trust_id = $1 AND reported_at >= $2::date AND reported_at < $3::date + 1`,
        [trustId, from, to],
      ),
    );
    // Every report below is computed: REPORT_FREEZE_AFTER_DAYS=60 leaves last month open (no frozen pack). A
    // settled month's figures are stored by the first report over it and added up from then on: each is timed
    // once from nothing stored (the one statement, and the stores), then as later asks find it.
    await db.query('DELETE FROM report_month_partial'); // a cold first ask, also when the database is reused
    const lastMonth = async () => {
      const body = (await (await get(`/api/reports/sla?trust=${trust}&from=${from}&to=${to}`)).json()) as {
        frozen: unknown;
      };
      if (body.frozen !== null) throw new Error('a frozen pack answered: the bench times computed reports');
    };
    await firstAsk('monthly per-trust report, last month', lastMonth);
    const monthly = await timed('monthly per-trust report, last month (stored month)', lastMonth, 100);
    console.log(`  ratio to baseline: ${(monthly / base).toFixed(1)}x`);
    await timed(
      'monthly per-trust report, this month so far (computed)',
      async () => (await get(`/api/reports/sla?trust=${trust}`)).json(),
      100,
    );
    let yearBytes = 0;
    let yearBreaches = 0;
    const year = async () => {
      const text = await (await get(`/api/reports/sla?from=${yearFrom}&to=${to}`)).text();
      yearBytes = text.length;
      yearBreaches = (JSON.parse(text) as { breachesTotal?: number }).breachesTotal ?? -1;
    };
    await firstAsk('yearly partnership roll-up (stores 12 months × trusts)', year);
    await timed('yearly partnership roll-up (stored months)', year, 1000);
    console.log(
      `  the year's answer: ${(yearBytes / 1e6).toFixed(2)} MB of JSON, breachesTotal ${yearBreaches}`,
    );

    // The CSV of a year, read as it streams, with the app's resident memory sampled throughout.
    const pid = app.child.pid as number;
    const before = rssKb(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssKb(pid))), 10);
    const t0 = performance.now();
    const res = await get(`/api/reports/sla.csv?from=${yearFrom}&to=${to}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
    }
    clearInterval(sampler);
    peak = Math.max(peak, rssKb(pid));
    const growthMb = (peak - before) / 1024;
    console.log(
      `CSV of a year (all trusts): ${lines - 1} rows, ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
        `app RSS ${(before / 1024).toFixed(0)} MB → peak ${(peak / 1024).toFixed(0)} MB (growth ${growthMb.toFixed(0)} MB)` +
        `  goal < 100 MB: ${growthMb < 100 ? 'met' : 'NOT met'}  (${load()})`,
    );

    // The console's report page (this month, all trusts, with the 12-month chart; then the trust's last month),
    // one request at a time: the time the app takes to answer, as the client on loopback sees it.
    const cookie = await consoleSignIn(app.base, 'admin@rosedesk.local', PASSWORD);
    await db.query('DELETE FROM report_month_figures'); // a cold first ask, also when the database is reused
    for (const [label, path] of [
      ['console report page (this month, all trusts)', '/console/reports'],
      [`console report page (${trust}, last month)`, `/console/reports?trust=${trust}&from=${from}&to=${to}`],
    ]) {
      const once = async (): Promise<number> => {
        const t1 = performance.now();
        const res = await fetch(`${app.base}${path}`, { headers: { cookie } });
        const html = await res.text();
        if (!res.ok || !html.includes('<svg')) throw new Error(`${path}: ${res.status}`);
        return performance.now() - t1;
      };
      // The first ask counts the chart's ended months and stores them (report_month_figures); later asks read them.
      console.log(`${label.padEnd(52)} first ask ${(await once()).toFixed(1)} ms`);
      const ms: number[] = [];
      for (let i = 0; i < PAGE_RUNS; i++) ms.push(await once());
      const p = p95(ms);
      console.log(
        `${label.padEnd(52)} p50 ${median(ms).toFixed(1)} ms  p95 ${p.toFixed(1)} ms  goal p95 < 150 ms: ${p < 150 ? 'met' : 'NOT met'}` +
          `  ratio to baseline ${(p / base).toFixed(1)}x  (${load()})`,
      );
    }
  } finally {
    await db.end();
    await app.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
