/**
 * npm run bench:incidents — POST /api/incidents and GET /api/incidents in the scaled mode (PostgreSQL + Redis),
 * against a raw baseline measured in the same run. Not a test: it prints figures, it asserts nothing.
 *
 *   BENCH_SECONDS (15)  length of each throughput run
 *   BENCH_CONNECTIONS (16)  concurrent clients for the throughput runs
 *   BENCH_LIST_ROWS (1000000)  incidents generated in SQL for the list run
 *   BENCH_NODE_ARGS ('')  extra node arguments for the app processes (e.g. --cpu-prof --cpu-prof-dir=DIR)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  cannon,
  databaseUrl,
  figures,
  line,
  login,
  outboundMailSent,
  paced,
  recreateDatabase,
  REDIS_URL,
  startApp,
  startWorker,
  withCpu,
  type Figures,
} from './bench-kit';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const LIST_ROWS = Number(process.env.BENCH_LIST_ROWS ?? 1_000_000);
const PASSWORD = 'bench-admin-password';

const body = JSON.stringify({
  siteCode: '2001',
  service: 'wireless',
  impact: 'several_users',
  urgency: 'high',
  summary: 'Wi-Fi down in the outpatients waiting area',
  description: 'Since 09:10 no device can join the clinical Wi-Fi; the wired PCs are fine. '.repeat(8),
  reporter: {
    name: 'Dr Bench Reporter',
    email: 'bench.reporter@centrallancashire.nhs.uk',
    phone: '+447700900123',
  },
});

async function main(): Promise<void> {
  const url = databaseUrl();
  await recreateDatabase();
  const outbox = await mkdtemp(join(tmpdir(), 'rosedesk-bench-outbox-'));
  const env = {
    DATABASE_URL: url,
    REDIS_URL,
    QUEUE_PREFIX: `bench${Date.now()}`,
    ADMIN_PASSWORD: PASSWORD,
    OUTBOX_DIR: outbox,
    DB_POOL_SIZE: '20',
    LOGIN_RATE_LIMIT: '1000',
  };
  console.log(
    `RoseDesk incident benchmark: ${SECONDS} s runs, ${CONNECTIONS} connections, scaled mode (PostgreSQL + Redis)\n`,
  );

  // --- raw baseline: node:http + JSON.parse + one pg INSERT -------------------------------------
  // The create runs are served by the API role, as in the scaled deployment; the worker role that sends the
  // acknowledgements runs as a process of its own (below), so a run's figures are the API's alone.
  let app = await startApp(env, ['--role=api']);
  const db = new Client({ connectionString: url });
  await db.connect();
  const [ids] = (
    await db.query(
      `SELECT s.trust_id, s.id AS site_id, (SELECT id FROM service WHERE code = 'wireless') AS service_id FROM site s WHERE code = '2001'`,
    )
  ).rows as { trust_id: string; site_id: string; service_id: string }[];
  const raw = await startRawServer(url, [ids.trust_id, ids.site_id, ids.service_id].join(','));
  const post = (base: string, headers: Record<string, string>, extra: object = {}) =>
    cannon({
      url: `${base}/api/incidents`,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      connections: CONNECTIONS,
      duration: SECONDS,
      ...extra,
    });

  await post(raw.base, {}, { duration: 3 });
  const baseline = await withCpu([raw.pid], SECONDS, async () => figures(await post(raw.base, {})));
  // The latency goal's pace, offered open-loop (see paced), to the raw server too: that figure's baseline.
  const atRate = (base: string, headers: Record<string, string>) =>
    paced({
      url: `${base}/api/incidents`,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      rate: 200,
      seconds: Math.max(15, SECONDS),
    });
  const rawPaced = await atRate(raw.base, {});
  await raw.stop();
  console.log(line('raw baseline (node:http + pg INSERT)', baseline));
  console.log(`  ${baseline.cpu}`);
  console.log(line('raw baseline at 200 req/s', rawPaced));

  // --- RoseDesk create: validation, incident + timeline + audit + outbound mail row in one transaction, job after commit
  const token = await login(app.base, 'admin@rosedesk.local', PASSWORD);
  const auth = { authorization: `Bearer ${token}` };
  await post(app.base, auth, { duration: 3 });
  const create = await withCpu([app.child.pid ?? 0], SECONDS, async () =>
    figures(await post(app.base, auth)),
  );
  console.log(line('RoseDesk POST /api/incidents', create, baseline));
  console.log(`  ${create.cpu}`);
  // The worker starts after the throughput run and sends what it queued; the paced run has it working beside the API.
  const worker = startWorker(env);
  const backlog = await outboundMailSent(url);
  console.log(
    `  acknowledgements it queued, sent by one worker process after it: ${backlog.pending} in ${(backlog.ms / 1000).toFixed(1)} s (${(backlog.pending / (backlog.ms / 1000 || 1)).toFixed(0)}/s)`,
  );
  const atPace = await atRate(app.base, auth);
  await worker.stop();
  console.log(line('RoseDesk POST /api/incidents at 200 req/s', atPace));
  verdict('create reaches 50% of the raw baseline', create.rps >= 0.5 * baseline.rps);
  verdict(
    `p99 under 25 ms at 200 req/s (raw baseline at that pace: p99 ${rawPaced.p99.toFixed(1)} ms)`,
    atPace.p99 < 25,
  );
  await app.stop();

  // --- list over a million incidents ------------------------------------------------------------------
  console.log(`\nGenerating ${LIST_ROWS} incidents in SQL...`);
  const started = Date.now();
  await generateIncidents(db, LIST_ROWS);
  console.log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  app = await startApp(env);
  const listToken = await login(app.base, 'admin@rosedesk.local', PASSWORD);
  const queues: [string, string][] = [
    [
      'open P1/P2 queue, priority order',
      '/api/incidents?status=new,assigned,in_progress&priority=P1,P2&sort=priority&limit=50',
    ],
    ["one trust's new incidents, newest first", '/api/incidents?trust=CLN&status=new&limit=50'],
    ['one site class, newest first', '/api/incidents?siteClass=prison&limit=50'],
  ];
  for (const [label, path] of queues) {
    const get = () =>
      cannon({
        url: `${app.base}${path}`,
        headers: { authorization: `Bearer ${listToken}` },
        connections: 4,
        duration: Math.max(5, Math.round(SECONDS / 2)),
      });
    await get();
    const f: Figures = figures(await get());
    console.log(`${line(`GET ${label}`, f)}`);
    verdict(`p95 under 50 ms (${label})`, f.p95 < 50);
  }
  await app.stop();
  await db.end();
  await rm(outbox, { recursive: true, force: true });
}

function verdict(goal: string, met: boolean): void {
  console.log(`  goal: ${goal}: ${met ? 'met' : 'NOT met'}`);
}

async function startRawServer(
  url: string,
  ids: string,
): Promise<{ base: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'bench/raw-incident-server.ts'],
    {
      env: { ...process.env, DATABASE_URL: url, IDS: ids },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<string>((resolve) =>
    child.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Bench data made in SQL: spread over the demo sites, services, statuses, priorities and a year of dates. */
async function generateIncidents(db: Client, rows: number): Promise<void> {
  await db.query(
    `
    WITH st AS (SELECT array_agg(id ORDER BY code) AS ids, array_agg(trust_id ORDER BY code) AS trusts,
                       array_agg(class_code ORDER BY code) AS classes, count(*)::int AS n FROM site),
         sv AS (SELECT array_agg(id ORDER BY code) AS ids, count(*)::int AS n FROM service)
    INSERT INTO incident (trust_id, site_id, site_class_code, service_id, channel, status, priority, impact, urgency,
      summary, description, reporter_name, reported_at, version, created_at, updated_at)
    SELECT st.trusts[1 + g % st.n], st.ids[1 + g % st.n], st.classes[1 + g % st.n], sv.ids[1 + g % sv.n],
      (ARRAY['email','email','email','phone','web','api'])[1 + g % 6],
      (ARRAY['closed','closed','closed','closed','resolved','new','assigned','in_progress','awaiting_caller','awaiting_supplier'])[1 + g % 10],
      (ARRAY['P1','P2','P3','P3','P4','P4'])[1 + (g / 7) % 6],
      'one_user', 'medium', 'Generated fault ' || g, 'Bench row ' || g, 'Bench Reporter',
      now() - make_interval(secs => g % 31536000), 1, now(), now()
    FROM generate_series(1, $1::int) AS g, st, sv`,
    [rows],
  );
  // Every table, not only incident: the create runs before wrote tens of thousands of clocks, events and mails
  // into empty tables, faster than autovacuum analyzes them, and the lists' plans read those statistics (a stale
  // incident_sla estimate turned one trust's queue into a scan of the reported_at index).
  await db.query('ANALYZE');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
