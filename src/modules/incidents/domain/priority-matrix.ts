import { IMPACTS, Impact, isPriority, Priority, PRIORITIES, URGENCIES, Urgency } from './incident-enums';
import { IncidentDomainError } from './incident-errors';

/** Impact × urgency → priority. A plain value so the desk can configure it. */
export type PriorityMatrix = Readonly<Record<Impact, Readonly<Record<Urgency, Priority>>>>;

/**
 * The default matrix, the usual ITIL 3×3 impact/urgency grid mapped onto four priorities:
 *
 * |               | high | medium | low |
 * |---------------|------|--------|-----|
 * | site_down     | P1   | P2     | P3  |
 * | several_users | P2   | P3     | P3  |
 * | one_user      | P3   | P4     | P4  |
 *
 * Only a whole site down that needs fixing now is P1. Priority never rises when impact falls or urgency falls
 * (monotone on both axes). One user is never above P3: on this network a single-user fault that is clinically
 * urgent is raised by an override with a reason, not by the matrix.
 */
export const DEFAULT_PRIORITY_MATRIX: PriorityMatrix = Object.freeze({
  site_down: Object.freeze({ high: 'P1', medium: 'P2', low: 'P3' }),
  several_users: Object.freeze({ high: 'P2', medium: 'P3', low: 'P3' }),
  one_user: Object.freeze({ high: 'P3', medium: 'P4', low: 'P4' }),
});

export function priorityFor(
  impact: Impact,
  urgency: Urgency,
  matrix: PriorityMatrix = DEFAULT_PRIORITY_MATRIX,
): Priority {
  return matrix[impact][urgency];
}

/**
 * A configured matrix is unusable. Not an `IncidentDomainError`: it is a configuration fault found when the
 * config is validated at boot, never an answer to a request. `cell` names the bad cell ("site_down.high"),
 * the bad row ("site_down") or is null when the whole value is wrong (not JSON, not an object).
 */
export class InvalidPriorityMatrixError extends Error {
  override readonly name = 'InvalidPriorityMatrixError';

  constructor(
    readonly cell: string | null,
    reason: string,
  ) {
    super(
      cell === null ? `Invalid priority matrix: ${reason}` : `Invalid priority matrix at ${cell}: ${reason}`,
    );
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses and validates a priority matrix from its JSON config value, for example
 * `{"site_down":{"high":"P1","medium":"P2","low":"P3"},"several_users":{...},"one_user":{...}}`.
 * Every cell must be present and hold one of P1–P4 exactly; unknown impacts or urgencies are refused so that a
 * misspelt key is reported instead of silently ignored. Throws `InvalidPriorityMatrixError` naming the first bad
 * cell. The result is frozen.
 */
export function parsePriorityMatrix(json: string): PriorityMatrix {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new InvalidPriorityMatrixError(null, 'not valid JSON');
  }
  if (!isPlainObject(value)) {
    throw new InvalidPriorityMatrixError(null, 'expected an object keyed by impact');
  }

  for (const key of Object.keys(value)) {
    if (!(IMPACTS as readonly string[]).includes(key)) {
      throw new InvalidPriorityMatrixError(key, `unknown impact (expected one of ${IMPACTS.join(', ')})`);
    }
  }

  return Object.freeze({
    site_down: readRow(value, 'site_down'),
    several_users: readRow(value, 'several_users'),
    one_user: readRow(value, 'one_user'),
  });
}

function readRow(matrix: Record<string, unknown>, impact: Impact): Readonly<Record<Urgency, Priority>> {
  const row = matrix[impact];
  if (row === undefined) throw new InvalidPriorityMatrixError(impact, 'row missing');
  if (!isPlainObject(row))
    throw new InvalidPriorityMatrixError(impact, 'expected an object keyed by urgency');

  for (const key of Object.keys(row)) {
    if (!(URGENCIES as readonly string[]).includes(key)) {
      throw new InvalidPriorityMatrixError(
        `${impact}.${key}`,
        `unknown urgency (expected one of ${URGENCIES.join(', ')})`,
      );
    }
  }

  return Object.freeze({
    high: readCell(row, impact, 'high'),
    medium: readCell(row, impact, 'medium'),
    low: readCell(row, impact, 'low'),
  });
}

function readCell(row: Record<string, unknown>, impact: Impact, urgency: Urgency): Priority {
  const cell = row[urgency];
  const name = `${impact}.${urgency}`;
  if (cell === undefined) throw new InvalidPriorityMatrixError(name, 'cell missing');
  if (!isPriority(cell)) {
    throw new InvalidPriorityMatrixError(
      name,
      `${JSON.stringify(cell)} is not a priority (expected one of ${PRIORITIES.join(', ')})`,
    );
  }
  return cell;
}

export interface PriorityInput {
  readonly impact: Impact;
  readonly urgency: Urgency;
  readonly override?: { readonly priority: Priority; readonly reason?: string | null };
}

export interface PriorityDecision {
  /** The priority the incident gets. */
  readonly priority: Priority;
  /** What the matrix says; kept so reports can show how often agents override it. */
  readonly calculated: Priority;
  readonly overridden: boolean;
  /** The trimmed override reason, or null when not overridden. */
  readonly reason: string | null;
}

/**
 * Decides an incident's priority from the matrix, honouring an override. An override that differs from the
 * calculated priority needs a non-blank reason, else `INCIDENT.PRIORITY_REASON_REQUIRED`. An "override" equal to
 * the calculated priority is not an override: it is accepted without a reason and recorded as not overridden.
 */
export function decidePriority(
  input: PriorityInput,
  matrix: PriorityMatrix = DEFAULT_PRIORITY_MATRIX,
): PriorityDecision {
  const calculated = priorityFor(input.impact, input.urgency, matrix);
  const override = input.override;
  if (override === undefined || override.priority === calculated) {
    return { priority: calculated, calculated, overridden: false, reason: null };
  }

  const reason = override.reason?.trim() ?? '';
  if (reason === '') {
    throw new IncidentDomainError(
      'INCIDENT.PRIORITY_REASON_REQUIRED',
      `Overriding priority ${calculated} with ${override.priority} needs a reason`,
      { calculated, requested: override.priority },
    );
  }
  return { priority: override.priority, calculated, overridden: true, reason };
}
