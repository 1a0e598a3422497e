import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ImapFlow } from 'imapflow';
import type { DataSource, QueryRunner } from 'typeorm';
import { AppConfig } from '../../../config/app-config';
import { InboundStore } from './inbound-store.service';
import { IntakeSettings } from './intake-settings';
import { errorText } from '../../../common/errors/error-text';

/** Messages stored per poll at most; the next poll takes the rest. */
const BATCH = 500;
/** The advisory lock that lets one poller run at a time across every worker process. */
const LOCK_KEY = 'rosedesk:imap-poller';

export interface PollResult {
  /** False when IMAP is not configured, or another process holds the poller lock. */
  ran: boolean;
  stored: number;
  uidValidity?: string;
  lastUid?: string;
}

/**
 * The IMAP poller (worker roles), for a mailbox such as NHSmail: every IMAP_POLL_SECONDS, under a PostgreSQL
 * advisory lock so only one process polls, it reads the messages above the last UID it stored (per
 * UIDVALIDITY: a new UIDVALIDITY starts again from the first message, and dedupe takes care of repeats),
 * stores each raw message together with the new cursor, and only after that commit marks them \Seen (or moves
 * them to IMAP_MOVE_TO) and queues them for the pipeline.
 */
@Injectable()
export class ImapPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImapPoller.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<PollResult> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: InboundStore,
    private readonly settings: IntakeSettings,
    private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.config.env.IMAP_URL !== '';
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => void this.pollQuietly(), this.config.env.IMAP_POLL_SECONDS * 1000);
    this.timer.unref();
    void this.pollQuietly();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One poll (a poll already running in this process is joined, not doubled). */
  poll(): Promise<PollResult> {
    this.running ??= this.pollLocked().finally(() => (this.running = null));
    return this.running;
  }

  private async pollQuietly(): Promise<void> {
    try {
      await this.poll();
    } catch (err) {
      this.logger.warn({ err: errorText(err) }, 'IMAP poll failed; the next one tries again');
    }
  }

  private async pollLocked(): Promise<PollResult> {
    if (!this.enabled) return { ran: false, stored: 0 };
    const lock: QueryRunner = this.db.createQueryRunner();
    await lock.connect();
    try {
      const [{ locked }] = (await lock.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        LOCK_KEY,
      ])) as { locked: boolean }[];
      if (!locked) return { ran: false, stored: 0 };
      try {
        return await this.pollMailbox();
      } finally {
        await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK_KEY]);
      }
    } finally {
      await lock.release();
    }
  }

  private async pollMailbox(): Promise<PollResult> {
    const env = this.config.env;
    const url = new URL(env.IMAP_URL);
    const secure = url.protocol === 'imaps:';
    const port = Number(url.port || (secure ? 993 : 143));
    const folder = env.IMAP_FOLDER;
    const mailboxKey = `${env.IMAP_USER}@${url.hostname}:${port}/${folder}`.slice(0, 500);
    const client = new ImapFlow({
      host: url.hostname,
      port,
      secure,
      auth: { user: env.IMAP_USER, pass: env.IMAP_PASSWORD },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: 30_000,
    });
    await client.connect();
    try {
      const mailbox = await client.mailboxOpen(folder);
      const uidValidity = String(mailbox.uidValidity);
      const cursor = await this.db.query<{ uid_validity: string; last_uid: string }[]>(
        'SELECT uid_validity, last_uid FROM imap_cursor WHERE mailbox_key = $1',
        [mailboxKey],
      );
      const sameValidity = cursor[0]?.uid_validity === uidValidity;
      if (cursor[0] && !sameValidity) {
        this.logger.warn(
          { mailboxKey, was: cursor[0].uid_validity, now: uidValidity },
          'IMAP UIDVALIDITY changed: reading the folder again from the start',
        );
      }
      let lastUid = sameValidity ? BigInt(cursor[0]?.last_uid ?? '0') : 0n;
      const startUid = lastUid;
      const stored: { id: string; uid: number }[] = [];
      if (mailbox.exists > 0) {
        for await (const message of client.fetch(
          `${lastUid + 1n}:*`,
          { uid: true, source: true },
          { uid: true },
        )) {
          if (BigInt(message.uid) <= lastUid || !message.source) continue;
          if (message.source.length > this.settings.maxBytes) {
            this.logger.warn(
              { mailboxKey, uid: message.uid, bytes: message.source.length },
              'IMAP message over INTAKE_MAX_BYTES left in the mailbox',
            );
            lastUid = BigInt(message.uid);
            continue;
          }
          const id = await this.db.transaction(async (em) => {
            const inserted = await this.store.store(
              {
                source: 'imap',
                raw: message.source as Buffer,
                envelopeTo: [this.settings.mailbox],
                imap: { uidValidity, uid: String(message.uid) },
              },
              em,
            );
            await em.query(
              `INSERT INTO imap_cursor (mailbox_key, uid_validity, last_uid) VALUES ($1, $2, $3)
               ON CONFLICT (mailbox_key) DO UPDATE SET uid_validity = EXCLUDED.uid_validity, last_uid = EXCLUDED.last_uid, updated_at = now()`,
              [mailboxKey, uidValidity, String(message.uid)],
            );
            return inserted;
          });
          lastUid = BigInt(message.uid);
          stored.push({ id, uid: message.uid });
          if (stored.length >= BATCH) break;
        }
      }
      if (!sameValidity || lastUid !== startUid) {
        await this.db.query(
          `INSERT INTO imap_cursor (mailbox_key, uid_validity, last_uid) VALUES ($1, $2, $3)
           ON CONFLICT (mailbox_key) DO UPDATE SET uid_validity = EXCLUDED.uid_validity, last_uid = EXCLUDED.last_uid, updated_at = now()`,
          [mailboxKey, uidValidity, String(lastUid)],
        );
      }
      if (stored.length > 0) {
        // Only now, with every message committed, does the mailbox hear that we have them.
        const uids = stored.map((s) => s.uid).join(',');
        if (env.IMAP_MOVE_TO) await client.messageMove(uids, env.IMAP_MOVE_TO, { uid: true });
        else await client.messageFlagsAdd(uids, ['\\Seen'], { uid: true });
        await this.store.enqueue(stored.map((s) => s.id));
        this.logger.log(
          { mailboxKey, stored: stored.length, lastUid: String(lastUid) },
          'IMAP poll stored messages',
        );
      }
      return { ran: true, stored: stored.length, uidValidity, lastUid: String(lastUid) };
    } finally {
      await client.logout().catch(() => client.close());
    }
  }
}
