/**
 * LISTEN/NOTIFY over one shared PGlite session, at the wire-protocol level (PostgreSQL protocol 3.0):
 * which channels a client's message subscribes to or drops, and which NotificationResponse messages are in
 * the backend's output. Pure functions over bytes, used by PgliteWireQueue.
 */

const NOTIFICATION_RESPONSE = 0x41; // 'A'
const SIMPLE_QUERY = 0x51; // 'Q'
const PARSE = 0x50; // 'P'

export type ListenChange = { listen: string } | { unlisten: string } | { unlistenAll: true };

export interface Notification {
  channel: string;
  /** The whole NotificationResponse message, ready to write to a client. */
  message: Uint8Array;
}

const decoder = new TextDecoder();

/** The C string that starts at `offset` (without its NUL), and where the next field starts. */
function cString(bytes: Uint8Array, offset: number): { text: string; next: number } {
  let end = offset;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return { text: decoder.decode(bytes.subarray(offset, end)), next: end + 1 };
}

/** SQL without `--` and `/* *\/` comments (enough to find a leading LISTEN keyword). */
function withoutComments(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
}

/** `bullmq_jobs` from `bullmq_jobs` or `"bullmq_jobs"`; unquoted names fold to lower case, as PostgreSQL does. */
function channelName(raw: string): string {
  return raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw.toLowerCase();
}

const STATEMENT = /^\s*(LISTEN|UNLISTEN)\s+("(?:[^"]|"")+"|\*|[A-Za-z_][A-Za-z0-9_$]*)\s*;?\s*$/i;

/** The LISTEN or UNLISTEN a client's Query or Parse message carries, if it is one of those statements. */
export function listenChangeOf(message: Uint8Array): ListenChange | null {
  const type = message[0];
  if (type !== SIMPLE_QUERY && type !== PARSE) return null;
  // Query: 'Q' int32 text. Parse: 'P' int32 name text ...
  const textAt = type === SIMPLE_QUERY ? 5 : cString(message, 5).next;
  const match = STATEMENT.exec(withoutComments(cString(message, textAt).text));
  if (!match) return null;
  const [, verb, name] = match;
  if (verb.toUpperCase() === 'LISTEN') return name === '*' ? null : { listen: channelName(name) };
  return name === '*' ? { unlistenAll: true } : { unlisten: channelName(name) };
}

/**
 * Splits the backend's output into what stays in the stream and the NotificationResponse messages in it.
 * `output` must be whole messages (the output of one protocol message). Without notifications the same
 * array comes back untouched.
 */
export function takeNotifications(output: Uint8Array): { rest: Uint8Array; notifications: Notification[] } {
  const view = new DataView(output.buffer, output.byteOffset, output.byteLength);
  const notifications: Notification[] = [];
  const kept: Uint8Array[] = [];
  let keptFrom = 0;
  let at = 0;
  while (at + 5 <= output.length) {
    const end = at + 1 + view.getInt32(at + 1);
    if (end > output.length || end < at + 5) break; // not a whole message: leave the rest as it is
    if (output[at] === NOTIFICATION_RESPONSE) {
      // 'A' int32 length, int32 pid, channel, payload
      notifications.push({ channel: cString(output, at + 9).text, message: output.slice(at, end) });
      kept.push(output.subarray(keptFrom, at));
      keptFrom = end;
    }
    at = end;
  }
  if (notifications.length === 0) return { rest: output, notifications };
  kept.push(output.subarray(keptFrom));
  return { rest: concatBytes(kept), notifications };
}

/** The parts one after another (the part itself when there is only one). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
