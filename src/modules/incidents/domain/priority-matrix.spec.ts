import fc from 'fast-check';
import { IMPACTS, Impact, PRIORITIES, Priority, URGENCIES, Urgency } from './incident-enums';
import { IncidentDomainError } from './incident-errors';
import {
  decidePriority,
  DEFAULT_PRIORITY_MATRIX,
  InvalidPriorityMatrixError,
  parsePriorityMatrix,
  PriorityMatrix,
  priorityFor,
} from './priority-matrix';

const defaultJson = JSON.stringify(DEFAULT_PRIORITY_MATRIX);

function withCell(path: readonly string[], value: unknown): string {
  const copy = JSON.parse(defaultJson) as Record<string, Record<string, unknown>>;
  const [impact, urgency] = path;
  if (urgency === undefined) copy[impact] = value as Record<string, unknown>;
  else copy[impact][urgency] = value;
  return JSON.stringify(copy);
}

function withoutCell(impact: string, urgency?: string): string {
  const copy = JSON.parse(defaultJson) as Record<string, Record<string, unknown>>;
  if (urgency === undefined) delete copy[impact];
  else delete copy[impact][urgency];
  return JSON.stringify(copy);
}

function parseError(json: string): InvalidPriorityMatrixError {
  try {
    parsePriorityMatrix(json);
  } catch (error) {
    if (error instanceof InvalidPriorityMatrixError) return error;
    throw error;
  }
  throw new Error('expected InvalidPriorityMatrixError');
}

describe('priorityFor with the default matrix', () => {
  it.each<[Impact, Urgency, Priority]>([
    ['site_down', 'high', 'P1'],
    ['site_down', 'medium', 'P2'],
    ['site_down', 'low', 'P3'],
    ['several_users', 'high', 'P2'],
    ['several_users', 'medium', 'P3'],
    ['several_users', 'low', 'P3'],
    ['one_user', 'high', 'P3'],
    ['one_user', 'medium', 'P4'],
    ['one_user', 'low', 'P4'],
  ])('%s × %s → %s', (impact, urgency, expected) => {
    expect(priorityFor(impact, urgency)).toBe(expected);
    expect(priorityFor(impact, urgency, DEFAULT_PRIORITY_MATRIX)).toBe(expected);
  });

  it('never rises when impact or urgency falls (monotone)', () => {
    const rank = (p: Priority) => PRIORITIES.indexOf(p);
    for (let i = 0; i < IMPACTS.length; i++) {
      for (let j = 0; j < URGENCIES.length; j++) {
        const here = rank(priorityFor(IMPACTS[i], URGENCIES[j]));
        if (i + 1 < IMPACTS.length)
          expect(rank(priorityFor(IMPACTS[i + 1], URGENCIES[j]))).toBeGreaterThanOrEqual(here);
        if (j + 1 < URGENCIES.length)
          expect(rank(priorityFor(IMPACTS[i], URGENCIES[j + 1]))).toBeGreaterThanOrEqual(here);
      }
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_PRIORITY_MATRIX)).toBe(true);
    expect(Object.isFrozen(DEFAULT_PRIORITY_MATRIX.site_down)).toBe(true);
  });

  it('uses a configured matrix when given one', () => {
    const allP4 = parsePriorityMatrix(
      JSON.stringify(Object.fromEntries(IMPACTS.map((i) => [i, { high: 'P4', medium: 'P4', low: 'P4' }]))),
    );
    expect(priorityFor('site_down', 'high', allP4)).toBe('P4');
  });
});

describe('parsePriorityMatrix', () => {
  it('round-trips the default matrix', () => {
    const parsed = parsePriorityMatrix(defaultJson);
    expect(parsed).toEqual(DEFAULT_PRIORITY_MATRIX);
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(Object.isFrozen(parsed.one_user)).toBe(true);
  });

  it('round-trips any complete matrix (property)', () => {
    const priority = fc.constantFrom(...PRIORITIES);
    const row = fc.record({ high: priority, medium: priority, low: priority });
    fc.assert(
      fc.property(
        fc.record({ site_down: row, several_users: row, one_user: row }),
        (matrix: PriorityMatrix) => {
          const parsed = parsePriorityMatrix(JSON.stringify(matrix));
          for (const i of IMPACTS)
            for (const u of URGENCIES) expect(priorityFor(i, u, parsed)).toBe(matrix[i][u]);
        },
      ),
    );
  });

  it.each<[string, string, string | null, RegExp]>([
    ['not JSON', '{site_down:', null, /not valid JSON/],
    ['an array', '[]', null, /expected an object/],
    ['null', 'null', null, /expected an object/],
    ['a string', '"P1"', null, /expected an object/],
    ['an empty object', '{}', 'site_down', /row missing/],
    ['a missing row', withoutCell('several_users'), 'several_users', /row missing/],
    ['a row that is not an object', withCell(['one_user'], 'P4'), 'one_user', /keyed by urgency/],
    ['a row that is an array', withCell(['one_user'], ['P3', 'P4', 'P4']), 'one_user', /keyed by urgency/],
    ['a missing cell', withoutCell('site_down', 'medium'), 'site_down.medium', /cell missing/],
    [
      'a lower-case priority',
      withCell(['site_down', 'high'], 'p1'),
      'site_down.high',
      /"p1" is not a priority/,
    ],
    ['an unknown priority', withCell(['one_user', 'low'], 'P5'), 'one_user.low', /"P5" is not a priority/],
    [
      'a numeric priority',
      withCell(['several_users', 'medium'], 2),
      'several_users.medium',
      /2 is not a priority/,
    ],
    ['a null cell', withCell(['several_users', 'low'], null), 'several_users.low', /null is not a priority/],
    ['an unknown impact', withCell(['site-down'], { high: 'P1' }), 'site-down', /unknown impact/],
    ['an unknown urgency', withCell(['one_user', 'critical'], 'P1'), 'one_user.critical', /unknown urgency/],
  ])('refuses %s, naming the cell', (_case, json, cell, message) => {
    const error = parseError(json);
    expect(error.cell).toBe(cell);
    expect(error.message).toMatch(message);
    if (cell !== null) expect(error.message).toContain(cell);
    expect(error).not.toBeInstanceOf(IncidentDomainError);
  });
});

describe('decidePriority', () => {
  it('uses the matrix when there is no override', () => {
    expect(decidePriority({ impact: 'site_down', urgency: 'high' })).toEqual({
      priority: 'P1',
      calculated: 'P1',
      overridden: false,
      reason: null,
    });
  });

  it('uses the given matrix', () => {
    const matrix = parsePriorityMatrix(withCell(['one_user', 'low'], 'P1'));
    expect(decidePriority({ impact: 'one_user', urgency: 'low' }, matrix).priority).toBe('P1');
  });

  it('honours an override with a reason, trimming it', () => {
    expect(
      decidePriority({
        impact: 'one_user',
        urgency: 'high',
        override: { priority: 'P1', reason: '  A&E triage PC, no spare  ' },
      }),
    ).toEqual({ priority: 'P1', calculated: 'P3', overridden: true, reason: 'A&E triage PC, no spare' });
  });

  it('can lower the priority too', () => {
    expect(
      decidePriority({
        impact: 'site_down',
        urgency: 'high',
        override: { priority: 'P3', reason: 'site closed' },
      }),
    ).toMatchObject({ priority: 'P3', calculated: 'P1', overridden: true });
  });

  it.each([undefined, null, '', '   ', '\n\t'])('refuses an override with reason %j', (reason) => {
    const attempt = () =>
      decidePriority({ impact: 'one_user', urgency: 'low', override: { priority: 'P2', reason } });
    expect(attempt).toThrow(IncidentDomainError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({
        code: 'INCIDENT.PRIORITY_REASON_REQUIRED',
        details: { calculated: 'P4', requested: 'P2' },
      });
    }
  });

  it('treats an override equal to the calculated priority as no override (no reason needed)', () => {
    expect(
      decidePriority({ impact: 'several_users', urgency: 'high', override: { priority: 'P2', reason: '' } }),
    ).toEqual({ priority: 'P2', calculated: 'P2', overridden: false, reason: null });
    expect(
      decidePriority({
        impact: 'several_users',
        urgency: 'high',
        override: { priority: 'P2', reason: 'same' },
      }),
    ).toEqual({ priority: 'P2', calculated: 'P2', overridden: false, reason: null });
  });
});
