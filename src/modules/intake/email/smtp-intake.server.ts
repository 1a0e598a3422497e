import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { SMTPServer, SMTPServerAddress, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { Clock } from '../../../common/time/clock';
import { AppConfig } from '../../../config/app-config';
import { withTimeout } from '../../../common/time/with-timeout';
import { RateWindow } from './domain/rate-window';
import { InboundStore } from './inbound-store.service';
import { IntakeSettings } from './intake-settings';
import { QuotedPathSmtpServer } from './quoted-path-smtp-server';
import { errorText } from '../../../common/errors/error-text';

/** How long the database may take to store one message before the sender is told to try again (451). */
const STORE_TIMEOUT_MS = 30_000;

type SmtpError = Error & { responseCode: number };

function smtpError(code: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * The SMTP listener (roles `all` and `api`): accepts mail for the desk's addresses only (550 for anything
 * else), up to INTAKE_MAX_BYTES (552 beyond), and answers 250 only once the raw message has committed to
 * PostgreSQL. When the database cannot take it the answer is 451, so the sending server keeps the message and
 * tries again. A client address that has sent INTAKE_SMTP_MESSAGES_PER_MINUTE messages this minute gets
 * `451 4.7.1` at MAIL FROM (counted per process), which a real MTA also retries later. Paths with a quoted
 * local part (RFC 5321) are read by QuotedPathSmtpServer. The pipeline runs later, on a worker.
 */
@Injectable()
export class SmtpIntakeServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SmtpIntakeServer.name);
  private server: SMTPServer | null = null;
  private boundPort: number | null = null;
  private readonly perClient: RateWindow;

  constructor(
    private readonly config: AppConfig,
    private readonly settings: IntakeSettings,
    private readonly store: InboundStore,
    private readonly clock: Clock,
  ) {
    this.perClient = new RateWindow(settings.smtpMessagesPerMinute, 60_000);
  }

  /** The port it listens on (useful with SMTP_INTAKE_PORT=0); null when not listening. */
  get port(): number | null {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runsHttp) return;
    await this.listen(this.config.env.SMTP_INTAKE_PORT, this.config.env.HOST);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.boundPort = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async listen(port: number, host: string): Promise<void> {
    const server = new QuotedPathSmtpServer({
      name: this.settings.classify.ourMessageIdDomain,
      banner: 'RoseDesk service desk intake',
      size: this.settings.maxBytes,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      socketTimeout: 60_000,
      closeTimeout: 10_000,
      onMailFrom: (address, session, callback) => this.onMailFrom(address, session, callback),
      onRcptTo: (address, session, callback) => this.onRcptTo(address, session, callback),
      onData: (stream, session, callback) => this.onData(stream, session, callback),
    });
    server.on('error', (err) => this.logger.warn({ err: errorText(err) }, 'SMTP intake connection error'));
    await new Promise<void>((resolve, reject) => {
      const failed = (err: Error): void =>
        reject(new Error(`SMTP intake cannot listen on ${host}:${port}: ${err.message}`));
      server.server.once('error', failed);
      server.listen(port, host, () => {
        server.server.off('error', failed);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.server.address() as AddressInfo).port;
    this.logger.log({ port: this.boundPort, addresses: this.settings.addresses }, 'SMTP intake listening');
  }

  private onMailFrom(
    _address: SMTPServerAddress,
    session: SMTPServerSession,
    callback: (err?: Error | null) => void,
  ): void {
    const decision = this.perClient.hit(session.remoteAddress, this.clock.now());
    if (decision.allowed) return callback();
    this.logger.debug(
      { limit: this.settings.smtpMessagesPerMinute, retryAfterSeconds: decision.retryAfterSeconds },
      'SMTP intake deferred a client over its message rate (451)',
    );
    callback(
      smtpError(
        451,
        `4.7.1 Too many messages from your address this minute: please try again in ${decision.retryAfterSeconds} seconds`,
      ),
    );
  }

  private onRcptTo(
    address: SMTPServerAddress,
    _session: SMTPServerSession,
    callback: (err?: Error | null) => void,
  ): void {
    if (this.settings.isDeskAddress(address.address)) return callback();
    callback(smtpError(550, '5.1.1 No such mailbox here: this server only takes mail for the service desk'));
  }

  private onData(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (err?: Error | null) => void,
  ): void {
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= this.settings.maxBytes) chunks.push(chunk);
    });
    stream.on('error', (err) => callback(smtpError(451, `4.3.0 Could not read the message: ${err.message}`)));
    stream.on('end', () => {
      if (stream.sizeExceeded || bytes > this.settings.maxBytes) {
        this.logger.log(
          { bytes, limit: this.settings.maxBytes },
          'SMTP intake refused an oversized message (552)',
        );
        return callback(
          smtpError(552, `5.3.4 Message too big: the limit is ${this.settings.maxBytes} bytes`),
        );
      }
      const raw = Buffer.concat(chunks, bytes);
      const mailFrom = session.envelope.mailFrom;
      const stored = this.store.store({
        source: 'smtp',
        raw,
        envelopeFrom: mailFrom ? mailFrom.address || null : null,
        envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
        remoteAddress: session.remoteAddress,
      });
      withTimeout(stored, STORE_TIMEOUT_MS, 'The database').then(
        (id) => {
          callback();
          this.logger.debug({ inboundMessageId: id, bytes }, 'SMTP intake stored a message (250)');
          void this.store.enqueue([id]);
        },
        (err: unknown) => {
          this.logger.error({ err: errorText(err), bytes }, 'SMTP intake could not store a message (451)');
          callback(smtpError(451, '4.3.0 Temporary failure storing the message: please try again later'));
        },
      );
    });
  }
}
