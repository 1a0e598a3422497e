import { Client } from 'pg';

export interface PgListenerHandlers {
  /** A NOTIFY on the channel, with its payload. */
  onNotification(payload: string): void;
  /**
   * The connection is LISTENing again after a start or a loss: notifications sent while it was away are gone, so
   * whatever they would have cleared must be cleared now. Also called when the connection is lost.
   */
  onGap(): void;
}

const RETRY_MS = [100, 500, 1_000, 2_000, 5_000];

/**
 * One connection that LISTENs on one channel for the life of the process, and connects again (after a short,
 * growing wait) whenever it is lost. Works against PostgreSQL and against the embedded database, whose wire queue
 * hands a NOTIFY to the connections that LISTEN on its channel (pglite-wire-queue.ts).
 * `listening` is true only while notifications are known to arrive.
 */
export class PgListener {
  private client: Client | null = null;
  private stopped = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  listening = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly handlers: PgListenerHandlers,
    private readonly onError: (err: unknown) => void,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Invalid channel name ${channel}`);
  }

  /** Resolves once the first LISTEN has run (or failed: it then keeps trying in the background). */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.listening = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url, keepAlive: true });
    this.client = client;
    client.on('notification', (n) => {
      if (n.channel === this.channel) this.handlers.onNotification(n.payload ?? '');
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (err) {
      this.lost(client, err);
      return;
    }
    if (this.client !== client) return;
    this.attempt = 0;
    this.listening = true;
    this.handlers.onGap();
  }

  private lost(client: Client, err: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    this.listening = false;
    this.handlers.onGap();
    if (this.stopped) return;
    if (err) this.onError(err);
    client.end().catch(() => undefined);
    const wait = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)];
    this.retryTimer = setTimeout(() => void this.connect(), wait);
    this.retryTimer.unref();
  }
}
