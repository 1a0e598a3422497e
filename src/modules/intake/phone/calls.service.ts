import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../../common/http/pagination';
import { parseReference } from '../../incidents/domain/incident-reference';
import { CALL_ROW_COLUMNS, presentCall, type CallRow } from './call-view';
import type { CallDto, CallQueryDto } from './dto/call.dto';

export const CALL_PAGE_DEFAULT = 50;

/** The call log as the desk reads it: every call, newest first, keyset-paged on (started_at, id). */
@Injectable()
export class CallsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(query: CallQueryDto): Promise<Page<CallDto>> {
    const limit = query.limit ?? CALL_PAGE_DEFAULT;
    const params: unknown[] = [limit + 1];
    const where: string[] = [];
    if (query.outcome) {
      params.push(query.outcome);
      where.push(`c.outcome = $${params.length}`);
    }
    if (query.incident) {
      params.push(String(parseReference(query.incident) ?? 0));
      where.push(`ci.number = $${params.length}::bigint`);
    }
    if (query.cursor) {
      const key = decodeCursor(query.cursor, { s: 'timestamp', id: 'uuid' });
      params.push(key.s, key.id);
      where.push(`(c.started_at, c.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const rows = await this.db.query<(CallRow & { id: string; started_key: string })[]>(
      `SELECT c.id, ${CALL_ROW_COLUMNS},
              to_char(c.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS started_key
         FROM phone_call c LEFT JOIN incident ci ON ci.id = c.incident_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY c.started_at DESC, c.id DESC LIMIT $1`,
      params,
    );
    return toPage(rows, limit, (r) => encodeCursor({ s: r.started_key, id: r.id }), presentCall);
  }
}
