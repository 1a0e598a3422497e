import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { SmtpIntakeServer } from '../../src/modules/intake/email/smtp-intake.server';
import { deliver, type SmtpDelivery } from './smtp-client';
import type { TestApp } from './test-app';
import { waitFor } from './wait-for';

export const DESK = 'servicedesk@rosedesk.local';

/** The SMTP intake port of an in-process test app (started with SMTP_INTAKE_PORT=0). */
export function smtpPort(t: TestApp): number {
  const port = t.app.get(SmtpIntakeServer).port;
  if (port === null) throw new Error('the SMTP intake listener is not running in this app');
  return port;
}

export interface MailSpec {
  from?: string;
  fromName?: string;
  to?: string;
  cc?: string;
  subject?: string;
  body?: string;
  messageId?: string | null;
  inReplyTo?: string;
  references?: string;
  headers?: Record<string, string>;
  date?: string;
}

export const uniqueMessageId = (domain = 'nhs.example'): string =>
  `${randomBytes(8).toString('hex')}@${domain}`;

/** A plain RFC 822 message (CRLF), with a fresh Message-ID unless `messageId: null`. */
export function buildMail(spec: MailSpec = {}): { raw: string; messageId: string | null } {
  const messageId = spec.messageId === undefined ? uniqueMessageId() : spec.messageId;
  const from = spec.from ?? `jane.${randomBytes(3).toString('hex')}@nhs.example`;
  const lines = [
    `From: ${spec.fromName ?? 'Jane Reporter'} <${from}>`,
    `To: ${spec.to ?? `Service Desk <${DESK}>`}`,
    ...(spec.cc ? [`Cc: ${spec.cc}`] : []),
    `Subject: ${spec.subject ?? 'Wi-Fi down in outpatients'}`,
    `Date: ${spec.date ?? new Date().toUTCString()}`,
    ...(messageId ? [`Message-ID: <${messageId}>`] : []),
    ...(spec.inReplyTo ? [`In-Reply-To: ${spec.inReplyTo}`] : []),
    ...(spec.references ? [`References: ${spec.references}`] : []),
    ...Object.entries(spec.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    spec.body ?? 'Hello,\n\nNo device can join the clinical Wi-Fi since 09:10.\n\nJane',
  ];
  return { raw: lines.join('\r\n').replace(/\r?\n/g, '\r\n'), messageId };
}

/** Sends one message to the desk over SMTP and expects 250. */
export async function send(
  port: number,
  raw: string | Buffer,
  envelopeFrom = 'sender@nhs.example',
  to: readonly string[] = [DESK],
): Promise<SmtpDelivery> {
  const delivery = await deliver(port, envelopeFrom, to, raw);
  if (delivery.final?.code !== 250) throw new Error(`expected 250, got ${JSON.stringify(delivery)}`);
  return delivery;
}

export interface InboundRow {
  id: string;
  status: string;
  decision: string | null;
  step: number | null;
  reason: string | null;
  error: string | null;
  kind: string | null;
  incident_id: string | null;
  reference: string | null;
  dedupe_key: string | null;
  duplicate_of: string | null;
  message_id: string | null;
  log: { step: number; name: string; decision: string; reason: string }[];
}

const ROW_SQL = `SELECT m.id, m.status, m.decision, m.step, m.reason, m.error, m.kind, m.incident_id, m.dedupe_key, m.duplicate_of,
  m.message_id, m.log, CASE WHEN i.number IS NULL THEN NULL ELSE 'INC-' || lpad(i.number::text, 6, '0') END AS reference
  FROM inbound_message m LEFT JOIN incident i ON i.id = m.incident_id`;

/** Every stored copy of a message, by its Message-ID as parsed (oldest first). */
export async function rowsByMessageId(db: DataSource, messageId: string): Promise<InboundRow[]> {
  return db.query(`${ROW_SQL} WHERE m.message_id = $1 ORDER BY m.received_at`, [messageId]);
}

/** Waits until a message's copies are all finished (processed, refused or failed); returns them. */
export function processed(
  db: DataSource,
  messageId: string,
  copies = 1,
  timeoutMs = 20_000,
): Promise<InboundRow[]> {
  return waitFor(
    async () => {
      const rows = await rowsByMessageId(db, messageId);
      return rows.length >= copies && rows.every((r) => ['processed', 'refused', 'failed'].includes(r.status))
        ? rows
        : undefined;
    },
    `inbound message <${messageId}> to be processed`,
    timeoutMs,
  );
}

/** The newest inbound row whose raw bytes contain `marker` (for mail without a Message-ID). */
export function processedByMarker(db: DataSource, marker: string, timeoutMs = 20_000): Promise<InboundRow> {
  return waitFor(
    async () => {
      const rows: InboundRow[] = await db.query(
        `${ROW_SQL} WHERE position($1::bytea in m.raw) > 0 ORDER BY m.received_at DESC LIMIT 1`,
        [Buffer.from(marker)],
      );
      const row = rows[0];
      return row && ['processed', 'refused', 'failed'].includes(row.status) ? row : undefined;
    },
    `the message marked ${marker} to be processed`,
    timeoutMs,
  );
}

/** Outbox files (.eml) that contain `needle`. */
export function outboxMail(dir: string, needle: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .filter((text) => text.includes(needle));
}
