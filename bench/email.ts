/**
 * npm run bench:email — N realistic (~8 KB) messages over 8 concurrent SMTP connections into the built app,
 * waiting until every one is processed, in the scaled, single-server and embedded modes; and in the same run
 * the raw baseline: the same raw bytes INSERTed with `pg` at the same concurrency. Not a test: it prints
 * figures and says whether the goals are met.
 *
 *   BENCH_EMAIL_MESSAGES (3000)           messages per run in the scaled and single-server modes
 *   BENCH_EMAIL_EMBEDDED_MESSAGES (600)   messages in the embedded mode (PGlite, one process)
 *   BENCH_EMAIL_CONNECTIONS (8)           concurrent SMTP connections (and baseline inserters)
 *   BENCH_EMAIL_MODES (scaled,single-server,embedded)
 *   BENCH_EMAIL_WORKERS (0)               scaled mode: 0 = one process; N = an API process and N worker processes
 *   BENCH_EMAIL_WARMUP (0.1)              warm-up messages per mode, as a share of the run's, processed before timing
 *   BENCH_EMAIL_CONCURRENCY (32)          INTAKE_WORKER_CONCURRENCY of the app
 *   BENCH_NODE_ARGS ('')                  extra node arguments for the app processes (e.g. --cpu-prof --cpu-prof-dir=DIR)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { RawSmtpClient } from '../test/helpers/smtp-client';
import {
  benchNodeArgs,
  databaseUrl,
  freePort,
  login,
  machineLoad,
  outboundMailSent,
  recreateDatabase,
  REDIS_URL,
} from './bench-kit';

const N = Number(process.env.BENCH_EMAIL_MESSAGES ?? 3000);
const N_EMBEDDED = Number(process.env.BENCH_EMAIL_EMBEDDED_MESSAGES ?? 600);
const CONNECTIONS = Number(process.env.BENCH_EMAIL_CONNECTIONS ?? 8);
const WORKERS = Number(process.env.BENCH_EMAIL_WORKERS ?? 0);
const WARMUP_SHARE = Number(process.env.BENCH_EMAIL_WARMUP ?? 0.1);
const CONCURRENCY = process.env.BENCH_EMAIL_CONCURRENCY ?? '32';
const NODE_ARGS = benchNodeArgs();
const MODES = (process.env.BENCH_EMAIL_MODES ?? 'scaled,single-server,embedded')
  .split(',')
  .map((m) => m.trim());
const PASSWORD = 'bench-admin-password';
const DESK = 'servicedesk@rosedesk.local';
const DOMAINS = [
  'lancashirecare.nhs.uk',
  'bwdpct.nhs.uk',
  'blackpoolpct.nhs.uk',
  'centrallancashire.nhs.uk',
  'eastlancspct.nhs.uk',
];

/** An ~8 KB message the way Outlook sends one: a Received chain, multipart/alternative text and HTML. */
function message(run: string, i: number): { raw: string; messageId: string } {
  const messageId = `bench-${run}-${i}@${DOMAINS[i % DOMAINS.length]}`;
  const from = `clinician.${i}@${DOMAINS[i % DOMAINS.length]}`;
  const text = `Hello,\n\nThe Wi-Fi in the outpatients waiting area at SITE 2001 has been down since 09:10. No device can join the clinical network; the wired PCs are fine.\n\nThanks,\nClinician ${i}\n`;
  // The footer every NHS mail carries, long enough to bring the message to ~8 KB, in lines of at most 76 characters
  // as a mail client wraps them (RFC 5322 allows 998).
  const filler = wrap(
    'Please note this email and any attachments are confidential and intended solely for the addressee. '.repeat(
      35,
    ),
  );
  const received = Array.from(
    { length: 6 },
    (_, h) =>
      `Received: from relay${h}.nhs.net (relay${h}.nhs.net [10.0.${h}.1]) by mx${h + 1}.nhs.net with ESMTPS id ${randomBytes(6).toString('hex')}; Tue, 25 Nov 2026 09:1${h}:00 +0000`,
  );
  const lines = [
    ...received,
    `From: Clinician ${i} <${from}>`,
    `To: Service Desk <${DESK}>`,
    `Subject: Wi-Fi down in outpatients (${i})`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    filler,
    '--b',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<html><body><p>${text.replace(/\n/g, '<br>')}</p><p style="font-size:8pt">${filler}</p></body></html>`,
    '--b--',
    '',
  ];
  return { raw: lines.join('\r\n'), messageId };
}

/** The words of `text` in lines of at most 76 characters. */
function wrap(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter(Boolean)) {
    if (line && line.length + 1 + word.length > 76) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\r\n');
}

/** The built app as a child process (`dist/src/main.js`, with a role argument), once /health answers. */
async function startApp(
  env: Record<string, string>,
  args: string[],
): Promise<{ base: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...NODE_ARGS, 'dist/src/main.js', ...args], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('the app did not become healthy');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    stop: () =>
      new Promise<void>((resolve) =>
        child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')),
      ),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

/** The raw baseline: the same bytes, one INSERT each, CONNECTIONS at a time. */
async function baseline(url: string, raws: string[]): Promise<number> {
  const pool = new Pool({ connectionString: url, max: CONNECTIONS });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_raw (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), raw bytea NOT NULL, received_at timestamptz NOT NULL DEFAULT now())',
  );
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < raws.length) {
        const raw = raws[next++];
        await pool.query('INSERT INTO bench_raw (raw) VALUES ($1)', [Buffer.from(raw)]);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await pool.query('DROP TABLE bench_raw');
  await pool.end();
  return raws.length / seconds;
}

/** Sends the messages over CONNECTIONS SMTP connections: when each got its 250, and how many did not. */
async function deliver(
  port: number,
  mails: { raw: string; messageId: string }[],
): Promise<{ acceptedAt: Map<string, number>; refused: number }> {
  const acceptedAt = new Map<string, number>();
  let next = 0;
  let refused = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const client = await RawSmtpClient.connect(port);
      while (next < mails.length) {
        const m = mails[next++];
        const delivery = await client.send(`bounce@${DOMAINS[0]}`, [DESK], m.raw);
        if (delivery.final?.code === 250) acceptedAt.set(m.messageId, Date.now());
        else refused++;
      }
      await client.quit();
    }),
  );
  return { acceptedAt, refused };
}

interface ModeFigures {
  acceptedPerSec: number;
  processedPerSec: number;
  p50: number;
  p99: number;
  refused: number;
  /** How busy the machine was from the first message sent to the last one processed. */
  machine: string;
}

async function runMode(mode: string, count: number): Promise<ModeFigures> {
  const outbox = await mkdtemp(join(tmpdir(), 'rosedesk-bench-email-'));
  const dataDir = await mkdtemp(join(tmpdir(), 'rosedesk-bench-data-'));
  const smtpPort = await freePort();
  const env: Record<string, string> = {
    ADMIN_PASSWORD: PASSWORD,
    OUTBOX_DIR: outbox,
    SMTP_INTAKE_PORT: String(smtpPort),
    HOST: '127.0.0.1',
    QUEUE_PREFIX: `bench${Date.now()}`,
    // BullMQ's PostgreSQL backend opens pools of its own per queue: keep ours small outside the scaled mode.
    DB_POOL_SIZE: mode === 'scaled' ? '20' : '8',
    INTAKE_WORKER_CONCURRENCY: CONCURRENCY,
    // The load generator is one client address sending thousands of messages: no per-client rate limit.
    INTAKE_SMTP_MESSAGES_PER_MINUTE: '0',
  };
  // BENCH_NODE_OPTIONS (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof) is passed to the app, for profiling.
  if (process.env.BENCH_NODE_OPTIONS) env.NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS;
  if (mode !== 'embedded') {
    await recreateDatabase();
    env.DATABASE_URL = databaseUrl();
    if (mode === 'scaled') env.REDIS_URL = REDIS_URL;
  } else {
    env.DATA_DIR = dataDir;
  }
  // Scaled: one API process (the SMTP listener) and BENCH_EMAIL_WORKERS worker processes, as the mode is meant to run.
  const workers: ChildProcess[] = [];
  const split = mode === 'scaled' && WORKERS > 0;
  const app = await startApp(env, split ? ['--role=api'] : []);
  if (split) {
    for (let w = 0; w < WORKERS; w++) {
      workers.push(
        spawn(process.execPath, [...NODE_ARGS, 'dist/src/worker.js'], {
          env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', RUN_MIGRATIONS: 'false', ...env },
          stdio: ['ignore', 'inherit', 'inherit'],
        }),
      );
    }
  }
  try {
    const token = await login(app.base, 'admin@rosedesk.local', PASSWORD);
    const run = randomBytes(4).toString('hex');
    const api = async (
      path: string,
    ): Promise<{
      items: { messageId: string; processedAt: string | null; status: string }[];
      nextCursor: string | null;
    }> => {
      const res = await fetch(`${app.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      return res.json() as Promise<{
        items: { messageId: string; processedAt: string | null; status: string }[];
        nextCursor: string | null;
      }>;
    };
    const drained = async (): Promise<void> => {
      const deadline = Date.now() + 15 * 60_000;
      while ((await api('/api/intake/messages?status=received,processing&limit=1')).items.length > 0) {
        if (Date.now() > deadline) throw new Error('messages still unprocessed after 15 minutes');
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    // Warm-up: the same kind of mail from other senders, sent and processed before the clock starts, so that the
    // figures are the app's steady state and not its first seconds of JIT compilation.
    const warmup = Math.round(count * WARMUP_SHARE);
    await deliver(
      smtpPort,
      Array.from({ length: warmup }, (_, i) => message(run, count + i)),
    );
    await drained();
    // ...and their acknowledgements sent (the embedded database cannot be read from here; its warm-up is small).
    if (env.DATABASE_URL) await outboundMailSent(env.DATABASE_URL, 60_000);

    const mails = Array.from({ length: count }, (_, i) => message(run, i));
    const started = Date.now();
    const load = machineLoad();
    const { acceptedAt, refused } = await deliver(smtpPort, mails);
    const acceptSeconds = (Date.now() - started) / 1000;
    await drained();
    const machine = load();
    const latencies: number[] = [];
    let lastProcessed = started;
    let cursor: string | null = null;
    do {
      const page = await api(`/api/intake/messages?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      for (const item of page.items) {
        const at = acceptedAt.get(item.messageId);
        if (at === undefined || !item.processedAt) continue;
        const done = new Date(item.processedAt).getTime();
        latencies.push(Math.max(0, done - at));
        lastProcessed = Math.max(lastProcessed, done);
      }
      cursor = page.nextCursor;
    } while (cursor);
    latencies.sort((a, b) => a - b);
    return {
      acceptedPerSec: acceptedAt.size / acceptSeconds,
      processedPerSec: latencies.length / ((lastProcessed - started) / 1000),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      refused,
      machine,
    };
  } finally {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) =>
            w.exitCode !== null ? resolve() : (w.once('exit', () => resolve()), w.kill('SIGTERM')),
          ),
      ),
    );
    await app.stop();
    await rm(outbox, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `RoseDesk email intake benchmark: ${N} messages (${N_EMBEDDED} embedded), ${CONNECTIONS} SMTP connections\n`,
  );
  await recreateDatabase();
  const sample = Array.from({ length: N }, (_, i) => message('base', i).raw);
  console.log(`message size ~${Math.round(Buffer.byteLength(sample[0]) / 1024)} KB`);
  const load = machineLoad();
  const raw = await baseline(databaseUrl(), sample);
  console.log(
    `${'raw baseline: pg INSERT of the raw bytes'.padEnd(44)} ${raw.toFixed(0).padStart(6)} inserts/s`,
  );
  console.log(`  machine while it ran: ${load()}`);
  for (const mode of MODES) {
    const f = await runMode(mode, mode === 'embedded' ? N_EMBEDDED : N);
    console.log(
      `${`RoseDesk ${mode}`.padEnd(44)} accepted ${f.acceptedPerSec.toFixed(0).padStart(5)}/s  processed ${f.processedPerSec.toFixed(0).padStart(5)}/s  ` +
        `250→incident p50 ${f.p50.toFixed(0)} ms p99 ${f.p99.toFixed(0)} ms  refused ${f.refused}  ratio ${(Math.min(f.acceptedPerSec, f.processedPerSec) / raw).toFixed(3)} of baseline`,
    );
    console.log(`  machine while it ran: ${f.machine}`);
    if (mode === 'scaled') {
      verdict(
        'at least 500 messages/s accepted and processed',
        f.acceptedPerSec >= 500 && f.processedPerSec >= 500,
      );
      verdict('at least 10% of the raw baseline', Math.min(f.acceptedPerSec, f.processedPerSec) >= 0.1 * raw);
      verdict('p99 from 250 to incident under 1 s', f.p99 < 1000);
    }
  }
}

function verdict(goal: string, met: boolean): void {
  console.log(`  goal: ${goal}: ${met ? 'met' : 'NOT met'}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
