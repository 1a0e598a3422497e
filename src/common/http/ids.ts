import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { validationFailed } from './validation';

/** A UUID as PostgreSQL's `uuid` reads it: 8-4-4-4-12 hex digits (a loose `[0-9a-f-]{36}` takes 36 dashes). */
export const UUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const UUID = new RegExp(`^${UUID_PATTERN}$`, 'i');
const BIGINT_MAX = 9223372036854775807n;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** A positive id of a `bigint` column (timeline events, audit entries) written in decimal, within its range. */
export const isBigintId = (value: unknown): value is string =>
  typeof value === 'string' && /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= BIGINT_MAX;

/**
 * A route parameter that must be a UUID: anything else is 400 `REQUEST.VALIDATION_FAILED` naming the parameter,
 * before a query could fail on it. `@Param('id', UuidPipe)`.
 */
@Injectable()
export class UuidPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (isUuid(value)) return value;
    throw validationFailed([{ field: metadata.data ?? 'id', reasons: ['must be a UUID'] }]);
  }
}
