import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../../common/http/pagination';
import { formatReference } from '../../incidents/domain/incident-reference';
import type { IntakeMessageDto, IntakeMessageQueryDto } from './dto/intake-message.dto';
import { InboundRows } from './inbound-rows';
import { InboundStore } from './inbound-store.service';
import type { InboundStatus, IntakeLogEntry } from './inbound-message.entity';

export const INTAKE_PAGE_DEFAULT = 50;

interface Row {
  id: string;
  source: string;
  mailbox: string;
  received_at: Date;
  size: number;
  envelope_from: string | null;
  envelope_to: string[];
  message_id: string | null;
  sender: string | null;
  subject: string | null;
  sender_verified: boolean | null;
  kind: string | null;
  status: InboundStatus;
  decision: string | null;
  step: number | null;
  reason: string | null;
  error: string | null;
  number: string | null;
  duplicate_of: string | null;
  attempts: number;
  processed_at: Date | null;
  log: IntakeLogEntry[];
}

const COLUMNS = `m.id, m.source, m.mailbox, m.received_at, m.size, m.envelope_from, m.envelope_to, m.message_id, m.sender,
  m.subject, m.sender_verified, m.kind, m.status, m.decision, m.step, m.reason, m.error, i.number, m.duplicate_of, m.attempts, m.processed_at, m.log`;

const present = (r: Row): IntakeMessageDto => ({
  id: r.id,
  source: r.source,
  mailbox: r.mailbox,
  receivedAt: r.received_at.toISOString(),
  size: r.size,
  envelopeFrom: r.envelope_from,
  envelopeTo: r.envelope_to,
  messageId: r.message_id,
  sender: r.sender,
  subject: r.subject,
  senderVerified: r.sender_verified,
  kind: r.kind,
  status: r.status,
  decision: r.decision,
  step: r.step,
  reason: r.reason,
  error: r.error,
  incident: r.number === null ? null : formatReference(r.number),
  duplicateOf: r.duplicate_of,
  attempts: r.attempts,
  processedAt: r.processed_at?.toISOString() ?? null,
  log: r.log,
});

const notFound = (): DomainError => new DomainError('INTAKE.MESSAGE_NOT_FOUND', 'No such inbound message.');

/** The intake log as agents read it: every stored message with its status, decision, step and reason. */
@Injectable()
export class IntakeLogService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly rows: InboundRows,
    private readonly store: InboundStore,
  ) {}

  /** Newest first, keyset-paged on (received_at, id). */
  async list(query: IntakeMessageQueryDto): Promise<Page<IntakeMessageDto>> {
    const limit = query.limit ?? INTAKE_PAGE_DEFAULT;
    const params: unknown[] = [limit + 1];
    const where: string[] = [];
    if (query.status?.length) {
      params.push(query.status);
      where.push(`m.status = ANY($${params.length})`);
    }
    if (query.cursor) {
      const key = decodeCursor(query.cursor, { r: 'timestamp', id: 'uuid' });
      params.push(key.r, key.id);
      where.push(`(m.received_at, m.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const rows: (Row & { received_key: string })[] = await this.db.query(
      `SELECT ${COLUMNS}, to_char(m.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_key
         FROM inbound_message m LEFT JOIN incident i ON i.id = m.incident_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY m.received_at DESC, m.id DESC LIMIT $1`,
      params,
    );
    return toPage(rows, limit, (r) => encodeCursor({ r: r.received_key, id: r.id }), present);
  }

  async get(id: string): Promise<IntakeMessageDto> {
    const rows: Row[] = await this.db.query(
      `SELECT ${COLUMNS} FROM inbound_message m LEFT JOIN incident i ON i.id = m.incident_id WHERE m.id = $1`,
      [id],
    );
    if (!rows[0]) throw notFound();
    return present(rows[0]);
  }

  /** The message exactly as it arrived. */
  async raw(id: string): Promise<Buffer> {
    const rows: { raw: Buffer }[] = await this.db.query('SELECT raw FROM inbound_message WHERE id = $1', [
      id,
    ]);
    if (!rows[0]) throw notFound();
    return rows[0].raw;
  }

  /** Runs a failed or refused message through the pipeline again (after a fix: a site, a service, the config). */
  async retry(id: string): Promise<IntakeMessageDto> {
    const before = await this.rows.reopenForRetry(id);
    if (before === null) throw notFound();
    if (before !== 'failed' && before !== 'refused') {
      throw new DomainError(
        'INTAKE.NOT_RETRYABLE',
        `Only failed or refused messages can be run again; this one is ${before}.`,
        { status: before },
      );
    }
    await this.store.requeue(id);
    return this.get(id);
  }
}
