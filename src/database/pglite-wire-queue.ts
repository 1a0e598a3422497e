import { concatBytes, listenChangeOf, takeNotifications } from './pg-notifications';

/** The part of PGlite this queue uses. */
export interface WireDatabase {
  isInTransaction(): boolean;
  exec(sql: string): Promise<unknown>;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  execProtocolRawStream(
    message: Uint8Array,
    options: { onRawData: (data: Uint8Array) => void },
  ): Promise<unknown>;
}

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
}

const PROTOCOL_V3 = 196_608;
const SYNC = 0x53; // 'S'
const SIMPLE_QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const PASSWORD = 0x70; // 'p'

/** A message after which the connection is between statements: Sync, a simple Query, Terminate or start-up. */
function endsProtocolUnit(message: Uint8Array): boolean {
  const type = message[0];
  if (type === SYNC || type === SIMPLE_QUERY || type === TERMINATE || type === PASSWORD) return true;
  if (message.length >= 8) {
    const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
    if (view.getInt32(4) === PROTOCOL_V3) return true;
  }
  return false;
}

/**
 * Serialises wire-protocol messages from many client connections onto the one PGlite session.
 *
 * pglite-socket's own queue interleaves connections message by message outside transactions, so one
 * connection's Parse can replace another's unnamed prepared statement between its Parse and Bind
 * ("unnamed prepared statement does not exist" under concurrency). This queue gives a connection the session
 * from its first message until the end of the protocol unit (Sync, or a simple Query), and for as long as
 * it holds an open transaction. Same interface as the queue pglite-socket's handlers call.
 *
 * LISTEN/NOTIFY: PGlite writes a NotificationResponse into the output of whichever message is running when it
 * is raised (usually the notifier's own COMMIT), because all connections share its one session. The queue takes
 * those messages out of that output and writes each to the connections that LISTEN on its channel, as a server
 * would; BullMQ's PostgreSQL backend wakes its workers this way instead of waiting out its block timeout.
 */
export class PgliteWireQueue {
  private readonly pending: Pending[] = [];
  private owner: number | null = null;
  private pumping = false;
  /** Connections that LISTEN, with their channels and the writer to their socket. */
  private readonly listeners = new Map<
    number,
    { channels: Set<string>; write: (data: Uint8Array) => void }
  >();

  constructor(private readonly db: WireDatabase) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  getQueueLength(): number {
    return this.pending.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.listeners.delete(handlerId);
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i].handlerId === handlerId)
        this.pending.splice(i, 1)[0].reject(new Error('Handler disconnected'));
    }
  }

  /** A client went away: roll back what it left open and let the others in. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    await this.pump();
  }

  /** Keeps track of who listens to what, from the LISTEN and UNLISTEN statements that just ran. */
  private noteListen(item: Pending): void {
    const change = listenChangeOf(item.message);
    const entry = this.listeners.get(item.handlerId);
    if (entry) entry.write = item.onData;
    if (!change) return;
    if ('listen' in change) {
      if (entry) entry.channels.add(change.listen);
      else this.listeners.set(item.handlerId, { channels: new Set([change.listen]), write: item.onData });
    } else if ('unlisten' in change) {
      entry?.channels.delete(change.unlisten);
    } else {
      this.listeners.delete(item.handlerId);
    }
  }

  private take(): Pending | undefined {
    if (this.owner === null) return this.pending.shift();
    const index = this.pending.findIndex((p) => p.handlerId === this.owner);
    return index === -1 ? undefined : this.pending.splice(index, 1)[0];
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let next = this.take(); next; next = this.take()) {
        const item = next;
        const chunks: Uint8Array[] = [];
        try {
          await this.db.runExclusive(() =>
            // A chunk may be a view of PGlite's output buffer, which the next chunk overwrites: keep a copy.
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => chunks.push(data.slice()),
            }),
          );
        } catch (err) {
          this.owner = null;
          item.reject(err);
          continue;
        }
        this.owner = endsProtocolUnit(item.message) && !this.db.isInTransaction() ? null : item.handlerId;
        this.noteListen(item);
        const { rest, notifications } = takeNotifications(concatBytes(chunks));
        if (rest.length > 0) item.onData(rest);
        for (const n of notifications) {
          for (const listener of this.listeners.values())
            if (listener.channels.has(n.channel)) listener.write(n.message);
        }
        item.resolve(rest.length);
      }
    } finally {
      this.pumping = false;
    }
  }
}
