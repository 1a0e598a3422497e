/**
 * The simulated callers and texters of bench:phone: signed webhooks posted as Twilio posts them, with think times
 * drawn from a seeded generator (the same seed, the same conversations and pauses), and Twilio's retries mixed in.
 */
import twilio from 'twilio';
import { parseTwiml, type Twiml } from '../test/helpers/twilio-caller';

export const PUBLIC = 'https://desk.bench.test';
export const TOKEN = 'bench-twilio-auth-token';
export const DESK = '+441632960000';
const ACCOUNT = `AC${'0'.repeat(32)}`;

/** A small seeded generator (mulberry32): uniform in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A SID from the generator (Twilio's are 32 hex digits after the prefix). */
function sidFrom(rng: () => number, prefix: string): string {
  let hex = '';
  while (hex.length < 32)
    hex += Math.floor(rng() * 0x10000)
      .toString(16)
      .padStart(4, '0');
  return `${prefix}${hex}`;
}

/** How callers pace a conversation: each pause is uniform over [0.5, 1.5] times its mean. */
export interface Pacing {
  /** Before each answer: the caller hears the prompt, then keys (0: back to back). */
  thinkMs: number;
  /** How long the message takes to record. */
  recordMs: number;
  /** Calls ring over this span from the start. */
  arrivalsMs: number;
  /** The texts arrive over this span. */
  textsMs: number;
}

/** One webhook as sent: replayed byte for byte against the bare route, at the same offset from the start. */
export interface Sent {
  path: string;
  body: string;
  signature: string;
  atMs: number;
}

export type Expect = 'incident' | 'none';

/** Options of one run's callers. */
export interface RunOptions {
  base: string;
  pacing: Pacing;
  seed: number;
  retryShare: number;
  hangupShare: number;
}

/** What one run saw. */
export class Run {
  readonly latencies: number[] = [];
  /** Latencies by kind of webhook: the first ring, a menu answer, the recording, the status, the transcription, a text. */
  readonly byKind = new Map<string, number[]>();
  /** Every pause taken, by kind (answer, record, arrival, text), to print what the run modelled. */
  readonly pauses = new Map<string, number[]>();
  readonly sent: Sent[] = [];
  retriedDifferently = 0;
  retried = 0;
  failures = 0;
  readonly started = performance.now();

  constructor(readonly options: RunOptions) {}

  /** A pause of `kind`: uniform over [0.5, 1.5] × mean, from the caller's own generator. */
  pause(rng: () => number, kind: string, meanMs: number): Promise<void> {
    if (meanMs <= 0) return Promise.resolve();
    const ms = meanMs * (0.5 + rng());
    this.pauses.set(kind, [...(this.pauses.get(kind) ?? []), ms]);
    return new Promise((r) => setTimeout(r, ms));
  }

  /**
   * Posts a signed webhook as Twilio does. Sometimes twice, as Twilio retries: half of those after the first
   * answer (a timeout on Twilio's side), half at the same time (both in flight); both answers must agree.
   */
  async post(rng: () => number, url: string, form: Record<string, string>): Promise<Twiml> {
    const path = url.startsWith(PUBLIC) ? url.slice(PUBLIC.length) : url;
    const signature = twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC}${path}`, form);
    const body = new URLSearchParams(form).toString();
    const kind = path === '/twilio/voice' ? 'incoming' : path.split('?')[0].split('/').slice(2).join('/');
    const menu = ['confirm-site', 'site', 'outage', 'service', 'impact', 'connect', 'dialled'];
    const label = menu.some((m) => kind === `voice/${m}`) ? 'voice/menu answer' : kind;
    const once = async (): Promise<string> => {
      const atMs = performance.now() - this.started;
      const t0 = performance.now();
      const res = await fetch(`${this.options.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body,
      });
      const text = await res.text();
      const ms = performance.now() - t0;
      this.latencies.push(ms);
      this.byKind.set(label, [...(this.byKind.get(label) ?? []), ms]);
      this.sent.push({ path, body, signature, atMs });
      if (res.status !== 200) {
        this.failures++;
        throw new Error(`${path} answered ${res.status}: ${text.slice(0, 200)}`);
      }
      return text;
    };
    const retry = rng() < this.options.retryShare;
    const together = rng() < 0.5;
    let first: string;
    if (!retry) first = await once();
    else {
      this.retried++;
      const [a, b] = together ? await Promise.all([once(), once()]) : [await once(), await once()];
      if (a !== b) this.retriedDifferently++;
      first = a;
    }
    return parseTwiml(first);
  }
}

/** One caller, keying a site code, through the menu to a message (or hanging up half-way). */
export async function call(
  run: Run,
  siteCodes: readonly string[],
  i: number,
): Promise<{ callSid: string; expect: Expect }> {
  const rng = seeded(run.options.seed * 1_000_003 + i);
  const { pacing } = run.options;
  const callSid = sidFrom(rng, 'CA');
  const common = {
    CallSid: callSid,
    AccountSid: ACCOUNT,
    From: `+4477${String(10_000_000 + i * 7919).slice(0, 8)}`,
    To: DESK,
    Direction: 'inbound',
  };
  const hangUpAt = rng() < run.options.hangupShare ? 1 + Math.floor(rng() * 5) : -1;
  if (pacing.arrivalsMs > 0) {
    const at = rng() * pacing.arrivalsMs;
    run.pauses.set('arrival', [...(run.pauses.get('arrival') ?? []), at]);
    await new Promise((r) => setTimeout(r, at));
  }
  let twiml = await run.post(rng, '/twilio/voice', { ...common, CallStatus: 'ringing' });
  let serviceChosen = false;
  for (let step = 0; step < 12; step++) {
    await run.pause(rng, 'answer', pacing.thinkMs);
    if (step === hangUpAt) {
      await run.post(rng, '/twilio/voice/status', { ...common, CallStatus: 'completed', CallDuration: '20' });
      return { callSid, expect: serviceChosen ? 'incident' : 'none' };
    }
    if (twiml.record) {
      const recordingSid = sidFrom(rng, 'RE');
      await run.pause(rng, 'record', pacing.recordMs);
      await run.post(rng, twiml.record.action, {
        ...common,
        CallStatus: 'in-progress',
        RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Recordings/${recordingSid}`,
        RecordingSid: recordingSid,
        RecordingDuration: '21',
        Digits: '#',
      });
      // The reference is read back (twice) before the caller hangs up; the transcription comes later still.
      await run.pause(rng, 'answer', pacing.thinkMs);
      await run.post(rng, '/twilio/voice/status', { ...common, CallStatus: 'completed', CallDuration: '64' });
      await run.pause(rng, 'answer', pacing.thinkMs);
      await run.post(rng, twiml.record.transcribeCallback, {
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
          ? String(Math.floor(rng() * 6))
          : stepName === 'impact'
            ? rng() < 0.2
              ? '1'
              : '2'
            : stepName === 'outage' || stepName === 'connect'
              ? '2'
              : '1';
    if (stepName === 'service') serviceChosen = true;
    twiml = await run.post(rng, gather.action, { ...common, CallStatus: 'in-progress', Digits: digits });
  }
  throw new Error(`call ${i} never reached the recording`);
}

/** The texts, spread over the pacing's span (all at once when 0), SITE code and fault from a number each. */
export async function texts(
  run: Run,
  siteCodes: readonly string[],
  offset: number,
  count: number,
): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async (_, k) => {
      const i = offset + k;
      const rng = seeded(run.options.seed * 1_000_033 + i);
      if (run.options.pacing.textsMs > 0) {
        const at = rng() * run.options.pacing.textsMs;
        run.pauses.set('text', [...(run.pauses.get('text') ?? []), at]);
        await new Promise((r) => setTimeout(r, at));
      }
      const messageSid = sidFrom(rng, 'SM');
      await run.post(rng, '/twilio/sms', {
        MessageSid: messageSid,
        SmsSid: messageSid,
        AccountSid: ACCOUNT,
        From: `+4478${String(20_000_000 + i * 104_729).slice(0, 8)}`,
        To: DESK,
        Body: `SITE ${siteCodes[i % siteCodes.length]} wifi down on ward ${i % 9}`,
      });
    }),
  );
}
