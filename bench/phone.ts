/**
 * npm run bench:phone — N concurrent simulated calls into the built app (scaled mode), each a whole signed
 * conversation as Twilio holds it (the first ring, the site code, the menu, the recording, the call's status, a late
 * transcription), some hanging up half-way, with retried webhooks mixed in; and M texts at the same time. Twice:
 *
 * 1. paced as callers are: each answer comes a few seconds after the question (the prompt is being spoken), the
 *    message takes seconds to record, the calls start over the first seconds: the latency goal is measured here;
 * 2. back to back (no pauses, N conversations in flight): the desk's capacity in webhooks/s, beside the raw
 *    baseline in the same run: the very same signed form posts, replayed at the same concurrency against a bare route
 *    (node:http, the form parsed, a fixed TwiML answer).
 *
 * Not a test: it prints figures and whether the goals are met (p99 webhook answer under 50 ms; every completed call
 * exactly one incident, and every text one).
 *
 *   BENCH_PHONE_CALLS (200)      concurrent calls
 *   BENCH_PHONE_TEXTS (500)      texts, sent during the calls
 *   BENCH_PHONE_THINK_MS (3000)  paced run: mean pause before each answer (each one 0.5 to 1.5 times it)
 *   BENCH_PHONE_RECORD_MS (10000) paced run: how long each message takes to record
 *   BENCH_PHONE_RETRIES (0.1)    share of webhooks Twilio delivers twice (the second must get the same answer)
 *   BENCH_PHONE_HANGUPS (0.15)   share of calls that hang up half-way
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import twilio from 'twilio';
import { fakeTwilio } from '../test/helpers/fake-twilio';
import { parseTwiml, sid, type Twiml } from '../test/helpers/twilio-caller';
import {
  databaseUrl,
  line,
  login,
  machineLoad,
  recreateDatabase,
  REDIS_URL,
  startApp,
  type Figures,
} from './bench-kit';

const CALLS = Number(process.env.BENCH_PHONE_CALLS ?? 200);
const TEXTS = Number(process.env.BENCH_PHONE_TEXTS ?? 500);
const THINK_MS = Number(process.env.BENCH_PHONE_THINK_MS ?? 3000);
const RECORD_MS = Number(process.env.BENCH_PHONE_RECORD_MS ?? 10_000);
const RETRY_SHARE = Number(process.env.BENCH_PHONE_RETRIES ?? 0.1);
const HANGUP_SHARE = Number(process.env.BENCH_PHONE_HANGUPS ?? 0.15);
const DB = 'rosedesk_bench_phone';
const PUBLIC = 'https://desk.bench.test';
const TOKEN = 'bench-twilio-auth-token';
const DESK = '+441632960000';
const PASSWORD = 'bench-admin-password-phone';

/** One webhook as sent: replayed byte for byte against the bare route. */
interface Sent {
  path: string;
  body: string;
  signature: string;
}

/** What one run saw. */
class Run {
  readonly latencies: number[] = [];
  /** Latencies by kind of webhook: the first ring, a menu answer, the recording, the status, the transcription, a text. */
  readonly byKind = new Map<string, number[]>();
  readonly sent: Sent[] = [];
  retriedDifferently = 0;
  failures = 0;

  constructor(
    readonly base: string,
    readonly thinkMs: number,
    readonly recordMs: number,
  ) {}

  pause(ms = this.thinkMs): Promise<void> {
    return ms > 0 ? new Promise((r) => setTimeout(r, ms * (0.5 + Math.random()))) : Promise.resolve();
  }

  /** Posts a signed webhook as Twilio does; sometimes twice, as Twilio retries, checking both answers agree. */
  async post(url: string, form: Record<string, string>): Promise<Twiml> {
    const path = url.startsWith(PUBLIC) ? url.slice(PUBLIC.length) : url;
    const signature = twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC}${path}`, form);
    const body = new URLSearchParams(form).toString();
    const once = async (): Promise<string> => {
      const started = performance.now();
      const res = await fetch(`${this.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body,
      });
      const text = await res.text();
      const ms = performance.now() - started;
      this.latencies.push(ms);
      const kind = path === '/twilio/voice' ? 'incoming' : path.split('?')[0].split('/').slice(2).join('/');
      const menu = ['confirm-site', 'site', 'outage', 'service', 'impact', 'connect', 'dialled'];
      const label = menu.some((m) => kind === `voice/${m}`) ? 'voice/menu answer' : kind;
      this.byKind.set(label, [...(this.byKind.get(label) ?? []), ms]);
      this.sent.push({ path, body, signature });
      if (res.status !== 200) {
        this.failures++;
        throw new Error(`${path} answered ${res.status}: ${text.slice(0, 200)}`);
      }
      return text;
    };
    const first = await once();
    if (Math.random() < RETRY_SHARE && (await once()) !== first) this.retriedDifferently++;
    return parseTwiml(first);
  }
}

type Expect = 'incident' | 'none';

/** One caller, keying a site code, through the menu to a message (or hanging up half-way). */
async function call(run: Run, siteCodes: string[], i: number): Promise<{ callSid: string; expect: Expect }> {
  const callSid = sid('CA');
  const common = {
    CallSid: callSid,
    AccountSid: `AC${'0'.repeat(32)}`,
    From: `+4477${String(10_000_000 + i * 7919).slice(0, 8)}`,
    To: DESK,
    Direction: 'inbound',
  };
  const hangUpAt = Math.random() < HANGUP_SHARE ? 1 + Math.floor(Math.random() * 5) : -1;
  await run.pause(run.thinkMs); // calls come in over the first seconds
  let twiml = await run.post('/twilio/voice', { ...common, CallStatus: 'ringing' });
  let serviceChosen = false;
  for (let step = 0; step < 12; step++) {
    await run.pause();
    if (step === hangUpAt) {
      await run.post('/twilio/voice/status', { ...common, CallStatus: 'completed', CallDuration: '20' });
      return { callSid, expect: serviceChosen ? 'incident' : 'none' };
    }
    if (twiml.record) {
      const recordingSid = sid('RE');
      await run.pause(run.recordMs);
      await run.post(twiml.record.action, {
        ...common,
        CallStatus: 'in-progress',
        RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC${'0'.repeat(32)}/Recordings/${recordingSid}`,
        RecordingSid: recordingSid,
        RecordingDuration: '21',
        Digits: '#',
      });
      await run.pause();
      await run.post('/twilio/voice/status', { ...common, CallStatus: 'completed', CallDuration: '64' });
      await run.pause();
      await run.post(twiml.record.transcribeCallback, {
        ...common,
        TranscriptionText: 'The wifi on the ward has been down since this morning.',
        TranscriptionStatus: 'completed',
        RecordingSid: recordingSid,
      });
      return { callSid, expect: 'incident' };
    }
    const gather = twiml.gather;
    if (!gather) throw new Error(`call ${i}: nothing to answer in ${twiml.xml}`);
    const stepName = new URL(gather.action).pathname.split('/').pop();
    const digits =
      stepName === 'site'
        ? siteCodes[i % siteCodes.length]
        : stepName === 'service'
          ? String(Math.floor(Math.random() * 6))
          : stepName === 'impact'
            ? Math.random() < 0.2
              ? '1'
              : '2'
            : stepName === 'outage' || stepName === 'connect'
              ? '2'
              : '1';
    if (stepName === 'service') serviceChosen = true;
    twiml = await run.post(gather.action, { ...common, CallStatus: 'in-progress', Digits: digits });
  }
  throw new Error(`call ${i} never reached the recording`);
}

/** The texts, spread over `overMs` (all at once when 0), SITE code and fault from a number each. */
async function texts(run: Run, siteCodes: string[], offset: number, overMs: number): Promise<void> {
  await Promise.all(
    Array.from({ length: TEXTS }, async (_, k) => {
      const i = offset + k;
      if (overMs > 0) await new Promise((r) => setTimeout(r, Math.random() * overMs));
      const messageSid = sid('SM');
      await run.post('/twilio/sms', {
        MessageSid: messageSid,
        SmsSid: messageSid,
        AccountSid: `AC${'0'.repeat(32)}`,
        From: `+4478${String(20_000_000 + i * 104_729).slice(0, 8)}`,
        To: DESK,
        Body: `SITE ${siteCodes[i % siteCodes.length]} wifi down on ward ${i % 9}`,
      });
    }),
  );
}

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

async function conversations(
  run: Run,
  codes: string[],
  url: string,
): Promise<{ figures: Figures; seconds: number; wrong: number; completed: number; machine: string }> {
  const load = machineLoad();
  const started = performance.now();
  const offset = runsDone * TEXTS;
  const spread = run.thinkMs > 0 ? run.thinkMs * 8 : 0;
  const [outcomes] = await Promise.all([
    Promise.all(Array.from({ length: CALLS }, (_, i) => call(run, codes, offset + i))),
    texts(run, codes, offset, spread),
  ]);
  const seconds = (performance.now() - started) / 1000;
  const machine = load();
  runsDone++;
  return {
    figures: figuresOf(run.latencies, seconds, run.failures),
    seconds,
    machine,
    wrong: await wrongCalls(url, outcomes),
    completed: outcomes.filter((o) => o.expect === 'incident').length,
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

async function replay(base: string, requests: Sent[], concurrency: number): Promise<Figures> {
  const ms: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const r = requests[next++];
        const t0 = performance.now();
        const res = await fetch(`${base}${r.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': r.signature },
          body: r.body,
        });
        await res.text();
        ms.push(performance.now() - t0);
      }
    }),
  );
  return figuresOf(ms, (performance.now() - started) / 1000, 0);
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
  });
  try {
    const token = await login(app.base, 'admin@rosedesk.local', PASSWORD);
    const sites = (await (
      await fetch(`${app.base}/api/sites?limit=500&class=community_health`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { items: { code: string }[] };
    const codes = sites.items.map((s) => s.code);
    console.log(
      `bench:phone — ${CALLS} concurrent calls and ${TEXTS} texts per run, ${Math.round(RETRY_SHARE * 100)}% of webhooks retried, ${Math.round(HANGUP_SHARE * 100)}% of calls hanging up half-way`,
    );

    const paced = new Run(app.base, THINK_MS, RECORD_MS);
    const p = await conversations(paced, codes, url);
    const burst = new Run(app.base, 0, 0);
    const b = await conversations(burst, codes, url);

    const bare = await bareRoute();
    const baseline = await replay(
      `http://127.0.0.1:${(bare.address() as AddressInfo).port}`,
      burst.sent,
      CALLS,
    );
    bare.close();

    console.log(line('raw baseline: the same posts, bare route', baseline));
    console.log(line(`desk, back to back: ${burst.sent.length} webhooks`, b.figures, baseline));
    console.log(`  machine: ${b.machine}; ${b.seconds.toFixed(1)} s`);
    console.log(
      line(`desk, paced (${THINK_MS} ms answers): ${paced.sent.length} webhooks`, p.figures) +
        '  (offered rate)',
    );
    console.log(`  machine: ${p.machine}; ${p.seconds.toFixed(1)} s`);
    for (const [kind, ms] of [...paced.byKind].sort()) {
      const f = figuresOf(ms, p.seconds, 0);
      console.log(
        `    ${kind.padEnd(22)} ${String(ms.length).padStart(5)}  p50 ${f.p50.toFixed(1)} ms  p99 ${f.p99.toFixed(1)} ms`,
      );
    }
    for (const [name, r, run] of [
      ['paced', p, paced],
      ['back to back', b, burst],
    ] as const) {
      console.log(
        `  ${name}: ${CALLS} calls (${r.completed} should make an incident), ${TEXTS} texts; wrong: ${r.wrong}; retries answered differently: ${run.retriedDifferently}; failed requests: ${run.failures}`,
      );
    }
    console.log(
      `goal p99 webhook answer < 50 ms (paced): ${p.figures.p99 < 50 ? 'met' : 'NOT met'} (${p.figures.p99.toFixed(1)} ms)`,
    );
    console.log(
      `goal every completed call exactly one incident, with retries: ${p.wrong + b.wrong === 0 ? 'met' : `NOT met (${p.wrong + b.wrong} wrong)`}`,
    );
  } finally {
    await app.stop();
    await twilioApi.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
