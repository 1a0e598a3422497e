/**
 * What the console's processes tell each other over PostgreSQL NOTIFY (channel `console_live`), and the presence
 * book each process keeps from it. Pure: times are numbers (ms) given by the caller.
 */

/** An incident changed: its number, its trust (the trust manager's scope), and whether only the desk may know. */
export interface IncidentSignal {
  type: 'incident';
  n: number;
  trust: string;
  deskOnly: boolean;
}

/** A desk user's console on an incident page: here (a heartbeat), typing a reply or a note, or gone. */
export interface PresenceSignal {
  type: 'presence';
  n: number;
  /** The browser connection (one per open page). */
  conn: string;
  user: string;
  name: string;
  state: 'here' | 'typing_reply' | 'typing_note' | 'left';
}

export type LiveSignal = IncidentSignal | PresenceSignal;

const UUIDISH = /^[0-9a-f-]{36}$/i;

/** A signal read back from a NOTIFY payload; null for anything malformed (never trusted blindly). */
export function parseSignal(payload: string): LiveSignal | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.n !== 'number' || !Number.isSafeInteger(v.n) || v.n <= 0) return null;
  if (v.type === 'incident' && typeof v.trust === 'string' && typeof v.deskOnly === 'boolean')
    return { type: 'incident', n: v.n, trust: v.trust, deskOnly: v.deskOnly };
  if (
    v.type === 'presence' &&
    typeof v.conn === 'string' &&
    UUIDISH.test(v.conn) &&
    typeof v.user === 'string' &&
    typeof v.name === 'string' &&
    (v.state === 'here' || v.state === 'typing_reply' || v.state === 'typing_note' || v.state === 'left')
  )
    return {
      type: 'presence',
      n: v.n,
      conn: v.conn,
      user: v.user,
      name: v.name.slice(0, 200),
      state: v.state,
    };
  return null;
}

/** A heartbeat every this often keeps a connection present for PRESENCE_TTL_MS. */
export const PRESENCE_HEARTBEAT_MS = 10_000;
export const PRESENCE_TTL_MS = 25_000;
/** "Typing" lasts this long after the last keystroke the browser reported. */
export const TYPING_TTL_MS = 6_000;

interface Present {
  user: string;
  name: string;
  until: number;
  typing: 'reply' | 'note' | null;
  typingUntil: number;
}

/** What a page shows: the others on the incident, and who of them is typing what. */
export interface PresenceView {
  others: string[];
  typing: { name: string; what: 'reply' | 'note' }[];
}

/** Who has which incident open, from the signals of every process. */
export class PresenceBook {
  private readonly byIncident = new Map<number, Map<string, Present>>();

  /** Applies a signal; true when what the incident's pages show may have changed. */
  apply(signal: PresenceSignal, now: number): boolean {
    let book = this.byIncident.get(signal.n);
    if (signal.state === 'left') {
      const had = book?.delete(signal.conn) ?? false;
      if (book?.size === 0) this.byIncident.delete(signal.n);
      return had;
    }
    if (!book) this.byIncident.set(signal.n, (book = new Map<string, Present>()));
    const before = book.get(signal.conn);
    const typing = signal.state === 'typing_reply' ? 'reply' : signal.state === 'typing_note' ? 'note' : null;
    const entry: Present = {
      user: signal.user,
      name: signal.name,
      until: now + PRESENCE_TTL_MS,
      typing: typing ?? (before && before.typingUntil > now ? before.typing : null),
      typingUntil: typing ? now + TYPING_TTL_MS : (before?.typingUntil ?? 0),
    };
    book.set(signal.conn, entry);
    return !before || before.typing !== entry.typing || before.name !== entry.name;
  }

  /** Forgets connections not heard of in time and typing that stopped; the incidents whose view changed. */
  expire(now: number): number[] {
    const changed: number[] = [];
    for (const [n, book] of this.byIncident) {
      let any = false;
      for (const [conn, p] of book) {
        if (p.until <= now) {
          book.delete(conn);
          any = true;
        } else if (p.typing && p.typingUntil <= now) {
          p.typing = null;
          any = true;
        }
      }
      if (book.size === 0) this.byIncident.delete(n);
      if (any) changed.push(n);
    }
    return changed;
  }

  /** What a viewer (a user) sees on incident n: everyone else there, each named once, and their typing. */
  view(n: number, viewer: string): PresenceView {
    const others = new Map<string, Present>();
    for (const p of this.byIncident.get(n)?.values() ?? []) {
      if (p.user === viewer) continue;
      const seen = others.get(p.user);
      if (!seen || (p.typing && !seen.typing)) others.set(p.user, p);
    }
    const people = [...others.values()].sort((a, b) => a.name.localeCompare(b.name));
    return {
      others: people.map((p) => p.name),
      typing: people.flatMap((p) => (p.typing ? [{ name: p.name, what: p.typing }] : [])),
    };
  }

  /** Forgets everything (the notifications were lost: the heartbeats rebuild it). */
  clear(): void {
    this.byIncident.clear();
  }
}
