import { parseDocument } from 'htmlparser2';
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { FakeTwilio } from './fake-twilio';
import type { TestApp } from './test-app';

/** The desk's public address in the phone tests: what Twilio calls and signs (no server listens there). */
export const PUBLIC_URL = 'https://desk.rosedesk.test';
export const TWILIO_TOKEN = 'twilio-test-auth-token-0123456789';
export const DESK_NUMBER = '+441632960000';

/** The environment of a desk with Twilio set up, its REST API at the local fake. */
export function twilioEnv(
  fake: FakeTwilio | null,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PUBLIC_BASE_URL: PUBLIC_URL,
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    TWILIO_FROM_NUMBER: DESK_NUMBER,
    ...(fake ? { TWILIO_API_BASE_URL: fake.base } : {}),
    ...extra,
  };
}

export const sid = (prefix: 'CA' | 'SM' | 'RE' | 'TR'): string =>
  `${prefix}${randomBytes(16).toString('hex')}`;

/** A mobile number no other test uses (+4477009 and five random digits). */
export const mobileNumber = (): string =>
  `+4477009${String(randomBytes(3).readUIntBE(0, 3) % 100000).padStart(5, '0')}`;
/** A landline (+441772 Preston and six random digits): no texts go to it. */
export const landlineNumber = (): string =>
  `+441772${String(randomBytes(3).readUIntBE(0, 3) % 1000000).padStart(6, '0')}`;

/** The parts of a TwiML answer a caller (or Twilio) acts on. */
export interface Twiml {
  xml: string;
  /** Every sentence said, in order (inside a Gather too). */
  says: string[];
  gather: { action: string; numDigits: string | null; finishOnKey: string | null } | null;
  record: { action: string; transcribeCallback: string; maxLength: string; transcribe: string } | null;
  redirect: string | null;
  dial: { action: string; number: string } | null;
  hangup: boolean;
  messages: { body: string; statusCallback: string | null }[];
  /** Every Say's voice and language (British English). */
  voices: { voice: string | null; language: string | null }[];
}

interface XmlNode {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  children?: XmlNode[];
  data?: string;
}

const text = (node: XmlNode): string =>
  (node.children ?? []).map((c) => (c.type === 'text' ? (c.data ?? '') : text(c))).join('');

export function parseTwiml(xml: string): Twiml {
  const doc = parseDocument(xml, { xmlMode: true, decodeEntities: true }) as unknown as XmlNode;
  const response = (doc.children ?? []).find((n) => n.name === 'Response');
  if (!response) throw new Error(`Not TwiML: ${xml}`);
  const out: Twiml = {
    xml,
    says: [],
    gather: null,
    record: null,
    redirect: null,
    dial: null,
    hangup: false,
    messages: [],
    voices: [],
  };
  const walk = (nodes: XmlNode[]): void => {
    for (const n of nodes) {
      const a = n.attribs ?? {};
      switch (n.name ?? '') {
        case 'Say':
          out.says.push(text(n));
          out.voices.push({ voice: a.voice ?? null, language: a.language ?? null });
          break;
        case 'Gather':
          out.gather = {
            action: a.action,
            numDigits: a.numDigits ?? null,
            finishOnKey: a.finishOnKey ?? null,
          };
          walk(n.children ?? []);
          break;
        case 'Record':
          out.record = {
            action: a.action,
            transcribeCallback: a.transcribeCallback,
            maxLength: a.maxLength,
            transcribe: a.transcribe,
          };
          break;
        case 'Redirect':
          out.redirect = text(n);
          break;
        case 'Dial':
          out.dial = { action: a.action, number: text(n).trim() };
          break;
        case 'Hangup':
          out.hangup = true;
          break;
        case 'Message':
          // The Message's `action` is where Twilio reports its delivery.
          out.messages.push({ body: text(n), statusCallback: a.action ?? null });
          break;
        default:
          break;
      }
    }
  };
  walk(response.children ?? []);
  return out;
}

export interface WebhookAnswer {
  status: number;
  body: string;
  twiml: Twiml | null;
}

/**
 * Stands in for Twilio's side of the webhooks: form posts to the app, each signed with the twilio library's own
 * `getExpectedTwilioSignature` over the public URL (PUBLIC_URL + path and query) and the fields, as Twilio does.
 */
export class TwilioWebhooks {
  constructor(
    private readonly t: TestApp,
    private readonly token = TWILIO_TOKEN,
  ) {}

  /** `url`: an absolute URL under PUBLIC_URL (as TwiML names it) or a path. */
  async post(
    url: string,
    params: Record<string, string>,
    options: { signature?: string | null; idempotencyToken?: string } = {},
  ): Promise<WebhookAnswer> {
    const path = url.startsWith(PUBLIC_URL) ? url.slice(PUBLIC_URL.length) : url;
    const signature =
      options.signature === undefined
        ? twilio.getExpectedTwilioSignature(this.token, `${PUBLIC_URL}${path}`, params)
        : options.signature;
    let req = this.t.http().post(path).type('form').send(params);
    if (signature !== null) req = req.set('X-Twilio-Signature', signature);
    if (options.idempotencyToken) req = req.set('I-Twilio-Idempotency-Token', options.idempotencyToken);
    const res = await req;
    const body = res.text;
    return { status: res.status, body, twiml: body.startsWith('<?xml') ? parseTwiml(body) : null };
  }

  /** An inbound text, as Twilio posts it to /twilio/sms. */
  text(from: string, body: string, extra: Record<string, string> = {}): Promise<WebhookAnswer> {
    const messageSid = sid('SM');
    return this.post('/twilio/sms', {
      MessageSid: messageSid,
      SmsSid: messageSid,
      AccountSid: `AC${'0'.repeat(32)}`,
      From: from,
      To: DESK_NUMBER,
      Body: body,
      NumMedia: '0',
      ...extra,
    });
  }
}

/** One call, driven as Twilio drives it: each step posts to the action URL the last TwiML named. */
export class Call {
  readonly callSid = sid('CA');
  last: Twiml | null = null;
  readonly answers: Twiml[] = [];

  constructor(
    private readonly webhooks: TwilioWebhooks,
    readonly from: string,
  ) {}

  private base(): Record<string, string> {
    return {
      CallSid: this.callSid,
      AccountSid: `AC${'0'.repeat(32)}`,
      From: this.from,
      To: DESK_NUMBER,
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
    };
  }

  private async step(url: string, params: Record<string, string>): Promise<Twiml> {
    const answer = await this.webhooks.post(url, { ...this.base(), ...params });
    if (answer.status !== 200 || !answer.twiml) {
      throw new Error(`Webhook ${url} answered ${answer.status}: ${answer.body}`);
    }
    this.last = answer.twiml;
    this.answers.push(answer.twiml);
    return answer.twiml;
  }

  /** The first ring: Twilio posts the call to /twilio/voice. */
  start(): Promise<Twiml> {
    return this.step('/twilio/voice', { CallStatus: 'ringing' });
  }

  /** Keys pressed at the current Gather (`undefined`: the caller pressed nothing before the timeout). */
  press(digits?: string): Promise<Twiml> {
    const gather = this.last?.gather;
    if (!gather) throw new Error(`No question to answer in ${this.last?.xml}`);
    return this.step(gather.action, {
      CallStatus: 'in-progress',
      ...(digits === undefined ? {} : { Digits: digits }),
    });
  }

  /** The message is recorded: Twilio posts the Record's action with the recording. */
  record(seconds = 17, recordingSid = sid('RE')): Promise<Twiml> {
    const record = this.last?.record;
    if (!record) throw new Error(`No Record in ${this.last?.xml}`);
    return this.step(record.action, {
      CallStatus: 'in-progress',
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC${'0'.repeat(32)}/Recordings/${recordingSid}`,
      RecordingSid: recordingSid,
      RecordingDuration: String(seconds),
      Digits: '#',
    });
  }

  /** The Dial's action once the on-call call ends (`completed` when answered, `no-answer`, `busy`, ...). */
  dialled(status: string): Promise<Twiml> {
    const dial = this.last?.dial;
    if (!dial) throw new Error(`No Dial in ${this.last?.xml}`);
    return this.step(dial.action, { CallStatus: 'in-progress', DialCallStatus: status });
  }

  /** The transcription, which Twilio posts to the Record's transcribeCallback (maybe after the call). */
  transcribe(
    recordAnswer: Twiml,
    transcription: string,
    status = 'completed',
    recordingSid = sid('RE'),
  ): Promise<WebhookAnswer> {
    if (!recordAnswer.record) throw new Error('That answer had no Record');
    return this.webhooks.post(recordAnswer.record.transcribeCallback, {
      ...this.base(),
      TranscriptionSid: sid('TR'),
      TranscriptionText: transcription,
      TranscriptionStatus: status,
      RecordingSid: recordingSid,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC${'0'.repeat(32)}/Recordings/${recordingSid}`,
    });
  }

  /** The caller hangs up (or the call ends): Twilio's status callback. */
  hangUp(duration = 42, status = 'completed'): Promise<WebhookAnswer> {
    return this.webhooks.post('/twilio/voice/status', {
      ...this.base(),
      CallStatus: status,
      CallDuration: String(duration),
    });
  }
}
