import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { waitFor } from './wait-for';

export interface SinkMessage {
  /** The raw message as the relay received it. */
  raw: Buffer;
  parsed: ParsedMail;
  envelope: { from: string | null; to: string[] };
}

export interface RefusalOptions {
  /** SMTP reply code: 451 (temporary, the default) or a permanent one such as 550. */
  code?: number;
  /** Only messages whose raw text contains this (e.g. a Message-ID) count; others are accepted as usual. */
  matching?: string;
}

interface Refusal {
  remaining: number;
  code: number;
  matching?: string;
}

/**
 * A real SMTP relay on 127.0.0.1 for tests: `smtp-server` (no auth required, no STARTTLS) that parses every
 * accepted message with mailparser and keeps it. It can be told to answer the next N messages after DATA with
 * `451 4.3.0` (a temporary failure: nothing is accepted) or a permanent code, to exercise retries.
 */
export class SmtpSink {
  readonly messages: SinkMessage[] = [];
  /** Every message refused (see `refuseNext`), raw. */
  readonly refused: Buffer[] = [];
  private refusals: Refusal[] = [];

  private readonly server: SMTPServer;

  private constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 10 * 1024 * 1024,
      onData: (stream, session, callback) => {
        this.receive(stream, session).then(
          () => callback(),
          (err: Error) => callback(err),
        );
      },
    });
  }

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink();
    await new Promise<void>((resolve, reject) => {
      sink.server.once('error', reject);
      sink.server.listen(0, '127.0.0.1', () => {
        sink.server.off('error', reject);
        resolve();
      });
    });
    return sink;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** The value for SMTP_URL. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Answer the next `count` messages (only those containing `matching`, when given) with 451, or `code`. */
  refuseNext(count: number, options: RefusalOptions = {}): void {
    this.refusals.push({ remaining: count, code: options.code ?? 451, matching: options.matching });
  }

  /** Accepted messages carrying this Message-ID. */
  withMessageId(messageId: string): SinkMessage[] {
    return this.messages.filter((m) => m.parsed.messageId === messageId);
  }

  /** Resolves with the first accepted message carrying `messageId`; rejects after `timeoutMs`. */
  waitForMessageId(messageId: string, timeoutMs = 20_000): Promise<SinkMessage> {
    return waitFor(
      () => Promise.resolve(this.withMessageId(messageId)[0]),
      `a message with Message-ID ${messageId}`,
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const text = raw.toString('utf8');
    const refusal = this.refusals.find(
      (f) => f.remaining > 0 && (f.matching === undefined || text.includes(f.matching)),
    );
    if (refusal) {
      refusal.remaining--;
      this.refused.push(raw);
      const reason =
        refusal.code < 500 ? '4.3.0 Temporary failure, try again later' : '5.1.1 Mailbox unavailable';
      throw Object.assign(new Error(reason), { responseCode: refusal.code });
    }
    const parsed = await simpleParser(raw);
    const from = session.envelope.mailFrom;
    this.messages.push({
      raw,
      parsed,
      envelope: { from: from ? from.address : null, to: session.envelope.rcptTo.map((r) => r.address) },
    });
  }
}
