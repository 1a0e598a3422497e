import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { isBigintId, isUuid } from './ids';
import { textProblem } from './text-input';

export const MAX_PAGE_SIZE = 500;

/** `limit` and `cursor`, taken by every list endpoint. */
export class PageQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    description: 'Page size (default depends on the list).',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: "Opaque cursor from the previous page's `nextCursor`." })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** What a cursor key holds, so a tampered value is refused here instead of failing in SQL. */
export type CursorKind = 'timestamp' | 'uuid' | 'bigint' | 'text';

/** As the lists write them: toISOString(), or PostgreSQL's microseconds. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z$/;
const CURSOR_TEXT_MAX = 1_000;

function validKey(value: unknown, kind: CursorKind): value is string {
  if (typeof value !== 'string') return false;
  switch (kind) {
    case 'uuid':
      return isUuid(value);
    case 'bigint':
      return isBigintId(value) || value === '0';
    case 'timestamp': {
      const m = TIMESTAMP.exec(value);
      if (!m) return false;
      const at = new Date(`${value.slice(0, 19)}Z`);
      // Date rolls 2026-02-31 over to March: a real date prints back as it was written.
      return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 19) === value.slice(0, 19);
    }
    case 'text':
      return value.length <= CURSOR_TEXT_MAX && textProblem(value) === null;
  }
}

/**
 * The sort key a cursor carries, each value checked against the kind its list says it is (a timestamp, a UUID,
 * a bigint id within range, text without NUL or lone surrogates): anything else, tampered or forged, is 400
 * `LIST.INVALID_CURSOR`, never a value that makes PostgreSQL fail.
 */
export function decodeCursor<K extends string>(
  cursor: string,
  keys: Readonly<Record<K, CursorKind>>,
): Record<K, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const ok =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    (Object.entries(keys) as [K, CursorKind][]).every(([k, kind]) =>
      validKey((parsed as Record<string, unknown>)[k], kind),
    );
  if (!ok)
    throw new DomainError('LIST.INVALID_CURSOR', 'cursor: not a cursor this list produced', {
      field: 'cursor',
    });
  return parsed as Record<K, string>;
}

/** Fetch `limit + 1` rows, then call this: it trims the extra row and builds the next cursor from the last kept. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  cursorOf: (row: R) => string,
  map: (row: R) => T,
): Page<T> {
  const hasMore = rows.length > limit;
  const kept = hasMore ? rows.slice(0, limit) : rows;
  return { items: kept.map(map), nextCursor: hasMore ? cursorOf(kept[kept.length - 1]) : null };
}
