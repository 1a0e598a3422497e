import { IncidentDomainError } from './incident-errors';

/**
 * When the fault was reported. A caller-supplied time (an agent logging a phone call afterwards, an API client)
 * is kept when it is in the past. A time slightly ahead of `now`, within `maxSkewMs` of clock skew, is taken as
 * `now`, so the SLA clock never starts in the future. Anything further ahead is refused with
 * `INCIDENT.REPORTED_AT_IN_FUTURE`. Throws RangeError for an invalid Date or a negative skew (programmer errors:
 * DTO validation must already have rejected malformed input).
 */
export function decideReportedAt(requested: Date | undefined, now: Date, maxSkewMs = 60_000): Date {
  if (Number.isNaN(now.getTime())) throw new RangeError('now is an invalid Date');
  if (!Number.isFinite(maxSkewMs) || maxSkewMs < 0) {
    throw new RangeError(`maxSkewMs must be a finite number >= 0, got ${maxSkewMs}`);
  }
  if (requested === undefined) return now;
  if (Number.isNaN(requested.getTime())) throw new RangeError('reportedAt is an invalid Date');

  const aheadMs = requested.getTime() - now.getTime();
  if (aheadMs <= 0) return requested;
  if (aheadMs <= maxSkewMs) return now;
  throw new IncidentDomainError(
    'INCIDENT.REPORTED_AT_IN_FUTURE',
    `reportedAt ${requested.toISOString()} is in the future`,
    { reportedAt: requested.toISOString(), now: now.toISOString(), maxSkewMs },
  );
}
