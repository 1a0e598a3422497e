/**
 * Pure rules for outbound mail: identifiers, file names, retry timing and header hygiene. No framework, no I/O,
 * no clock: callers pass times in.
 */

/** Attempts per message, counted on the row (the database is the truth, whatever the queue remembers). */
export const MAX_SEND_ATTEMPTS = 6;

/** First retry delay; each later one doubles (BullMQ's `exponential` backoff with the same base). */
export const RETRY_BASE_DELAY_MS = 2_000;

/** Column widths of `outbound_message` (see the entity). */
export const LIMITS = {
  toAddress: 320,
  subject: 400,
  messageId: 255,
  template: 64,
  lastError: 2_000,
} as const;

/** Our Message-ID for a row: fixed when the row is written, so every retry sends the same message. */
export function messageIdFor(rowId: string, domain: string): string {
  return `<${rowId}@${domain.trim().toLowerCase()}>`;
}

/** The deterministic BullMQ job id of a row's send job. */
export function mailJobId(rowId: string): string {
  return `mail-${rowId}`;
}

/**
 * The development outbox file of a row: `{createdAt, ISO 8601 basic}-{row id}.eml`, e.g.
 * `20261125T101502Z-0b6c….eml`. Sorting the directory sorts by creation; a retry writes the same name.
 */
export function outboxFileName(createdAt: Date, rowId: string): string {
  const compact = createdAt
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `${compact}-${rowId}.eml`;
}

/**
 * How long to wait after the `attemptsMade`-th failed attempt (1-based): 2 s, 4 s, 8 s, ... This is BullMQ's
 * `{ type: 'exponential', delay: RETRY_BASE_DELAY_MS }` formula, so the row's `nextAttemptAt` and the queue's
 * own retry agree.
 */
export function retryDelayMs(attemptsMade: number): number {
  return Math.round(2 ** (Math.max(1, attemptsMade) - 1) * RETRY_BASE_DELAY_MS);
}

/** The bare address of a From value such as `RoseDesk Service Desk <servicedesk@rosedesk.local>`. */
export function bareAddress(from: string): string {
  const angled = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from);
  return (angled ? angled[1] : from).trim().toLowerCase();
}

/** A single header line: control characters (CR, LF, NUL, ...) become spaces, runs of space collapse. */
export function oneLine(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `oneLine`, then cut to `max` characters with an ellipsis (a too-long subject must not fail the caller's transaction). */
export function fitHeader(value: string, max: number): string {
  const line = oneLine(value);
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/** A plausible single mailbox (`local@domain`, no spaces, no header-breaking characters). */
export function isPlainAddress(value: string): boolean {
  return value.length <= LIMITS.toAddress && /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+$/.test(value);
}

/** A value safe for our own `X-RoseDesk-Reference` header (references look like `INC-000123`). */
export function referenceHeader(value: unknown): string | null {
  return typeof value === 'string' && /^[A-Za-z0-9-]{1,40}$/.test(value) ? value : null;
}
