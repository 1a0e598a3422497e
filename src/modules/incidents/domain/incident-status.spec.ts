import fc from 'fast-check';
import { IncidentStatus, RESOLUTION_CODES, STATUSES, TERMINAL_STATUSES } from './incident-enums';
import { IncidentDomainError } from './incident-errors';
import {
  allowedTransitions,
  autoCloseAt,
  decideTransition,
  shouldAutoClose,
  TransitionDecision,
  TransitionInput,
  transitionRefusedError,
} from './incident-status';

const MINUTE = 60_000;
const T0 = new Date('2011-06-01T09:00:00.000Z');
const at = (minutes: number, ms = 0) => new Date(T0.getTime() + minutes * MINUTE + ms);
const RESOLUTION = { code: 'fixed', notes: 'Replaced faulty access point' } as const;

/** The graph, written out independently of the implementation. */
const GRAPH: Record<IncidentStatus, IncidentStatus[]> = {
  new: ['assigned', 'in_progress', 'awaiting_caller', 'awaiting_supplier', 'resolved', 'cancelled'],
  assigned: ['new', 'in_progress', 'awaiting_caller', 'awaiting_supplier', 'resolved', 'cancelled'],
  in_progress: ['assigned', 'awaiting_caller', 'awaiting_supplier', 'resolved', 'cancelled'],
  awaiting_caller: ['assigned', 'in_progress', 'awaiting_supplier', 'resolved', 'cancelled'],
  awaiting_supplier: ['assigned', 'in_progress', 'awaiting_caller', 'resolved', 'cancelled'],
  resolved: ['in_progress', 'closed'],
  closed: [],
  cancelled: [],
};

const sorted = (xs: readonly string[]) => [...xs].sort();

/** A transition with everything it could need: resolution given, reopen well inside a 60-minute window. */
function attempt(
  from: IncidentStatus,
  to: IncidentStatus,
  extra: Partial<TransitionInput> = {},
): TransitionDecision {
  return decideTransition({
    from,
    to,
    resolvedAt: from === 'resolved' ? at(0) : null,
    now: at(10),
    reopenWindowMinutes: 60,
    resolution: RESOLUTION,
    ...extra,
  });
}

describe('allowedTransitions', () => {
  it.each(STATUSES.map((s) => [s, GRAPH[s]] as const))('%s → %j', (from, expected) => {
    expect(sorted(allowedTransitions(from))).toEqual(sorted(expected));
  });

  it('never lists the same state and returns a fresh array', () => {
    for (const s of STATUSES) expect(allowedTransitions(s)).not.toContain(s);
    allowedTransitions('new').push('closed');
    expect(allowedTransitions('new')).not.toContain('closed');
  });
});

describe('decideTransition over every (from, to) pair', () => {
  const pairs = STATUSES.flatMap((from) =>
    STATUSES.map((to) => [from, to, GRAPH[from].includes(to)] as const),
  );

  it('covers all 64 pairs', () => expect(pairs).toHaveLength(64));

  it.each(pairs)('%s → %s allowed=%s', (from, to, allowed) => {
    const decision = attempt(from, to);
    if (allowed) {
      expect(decision).toMatchObject({ ok: true, to });
    } else {
      expect(decision.ok).toBe(false);
      if (decision.ok) return;
      expect(decision.code).toBe('INCIDENT.INVALID_TRANSITION');
      expect(sorted(decision.allowed)).toEqual(sorted(GRAPH[from]));
      expect(decision.message).toContain(from);
      expect(decision.message).toContain(to);
    }
  });
});

describe('decideTransition effects', () => {
  it.each(['new', 'assigned', 'in_progress', 'awaiting_caller', 'awaiting_supplier'] as const)(
    'resolving from %s stamps resolvedAt and carries the trimmed resolution',
    (from) => {
      const now = at(5);
      expect(
        decideTransition({
          from,
          to: 'resolved',
          resolvedAt: null,
          now,
          reopenWindowMinutes: 60,
          resolution: { code: 'workaround', notes: '  rebooted switch  ' },
        }),
      ).toEqual({
        ok: true,
        to: 'resolved',
        effects: { setResolvedAt: now, setResolution: { code: 'workaround', notes: 'rebooted switch' } },
      });
    },
  );

  it('closing stamps closedAt', () => {
    const now = at(30);
    expect(attempt('resolved', 'closed', { now })).toEqual({
      ok: true,
      to: 'closed',
      effects: { setClosedAt: now },
    });
  });

  it('reopening clears the resolution and counts a reopen', () => {
    expect(attempt('resolved', 'in_progress')).toEqual({
      ok: true,
      to: 'in_progress',
      effects: { clearResolution: true, reopened: true },
    });
  });

  it.each([
    ['new', 'assigned'],
    ['assigned', 'new'],
    ['in_progress', 'awaiting_caller'],
    ['awaiting_caller', 'awaiting_supplier'],
    ['awaiting_supplier', 'in_progress'],
    ['new', 'cancelled'],
    ['awaiting_supplier', 'cancelled'],
  ] as const)('%s → %s has no effects', (from, to) => {
    expect(attempt(from, to)).toEqual({ ok: true, to, effects: {} });
  });

  it('ignores a resolution given for another transition', () => {
    expect(attempt('new', 'assigned', { resolution: { code: 'nonsense', notes: '' } })).toEqual({
      ok: true,
      to: 'assigned',
      effects: {},
    });
  });
});

describe('resolution required', () => {
  it.each<[string, TransitionInput['resolution'], RegExp]>([
    ['missing', undefined, /resolution code/],
    ['null', null, /resolution code/],
    ['an unknown code', { code: 'solved', notes: 'done' }, /resolution code/],
    ['an upper-case code', { code: 'FIXED', notes: 'done' }, /resolution code/],
    ['empty notes', { code: 'fixed', notes: '' }, /resolution notes/],
    ['blank notes', { code: 'fixed', notes: ' \n\t ' }, /resolution notes/],
  ])('refuses a resolution that is %s', (_case, resolution, message) => {
    const decision = attempt('in_progress', 'resolved', { resolution });
    expect(decision).toMatchObject({ ok: false, code: 'INCIDENT.RESOLUTION_REQUIRED' });
    if (decision.ok) return;
    expect(decision.message).toMatch(message);
    expect(sorted(decision.allowed)).toEqual(sorted(GRAPH.in_progress));
  });

  it.each(RESOLUTION_CODES)('accepts the code %s', (code) => {
    expect(attempt('in_progress', 'resolved', { resolution: { code, notes: 'n' } }).ok).toBe(true);
  });
});

describe('reopen window', () => {
  const reopen = (now: Date, resolvedAt: Date | null = at(0), reopenWindowMinutes = 60) =>
    decideTransition({ from: 'resolved', to: 'in_progress', resolvedAt, now, reopenWindowMinutes });

  it.each([
    ['at the moment of resolution', at(0), true],
    ['one minute in', at(1), true],
    ['1 ms before the boundary', at(60, -1), true],
    ['exactly at the boundary', at(60), true],
    ['1 ms after the boundary', at(60, 1), false],
    ['a day later', at(24 * 60), false],
  ] as const)('%s: allowed=%s', (_case, now, allowed) => {
    const decision = reopen(now);
    if (allowed) {
      expect(decision.ok).toBe(true);
    } else {
      expect(decision).toMatchObject({
        ok: false,
        code: 'INCIDENT.REOPEN_WINDOW_EXPIRED',
        allowed: ['closed'],
      });
    }
  });

  it('a zero-minute window allows a reopen only at the instant of resolution', () => {
    expect(reopen(at(0), at(0), 0).ok).toBe(true);
    expect(reopen(at(0, 1), at(0), 0).ok).toBe(false);
  });

  it('refuses a reopen when resolvedAt is unknown', () => {
    expect(reopen(at(0), null)).toMatchObject({ ok: false, code: 'INCIDENT.REOPEN_WINDOW_EXPIRED' });
  });

  it('leaves in_progress out of `allowed` once the window has passed', () => {
    expect(attempt('resolved', 'assigned', { now: at(61) })).toMatchObject({
      ok: false,
      code: 'INCIDENT.INVALID_TRANSITION',
      allowed: ['closed'],
    });
    expect(attempt('resolved', 'assigned', { now: at(59) })).toMatchObject({
      ok: false,
      allowed: expect.arrayContaining(['closed', 'in_progress']) as unknown,
    });
  });

  it('still allows closing after the window', () => {
    expect(attempt('resolved', 'closed', { now: at(10_000) }).ok).toBe(true);
  });
});

describe('programmer errors', () => {
  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('throws RangeError for reopenWindowMinutes %s', (m) => {
    expect(() => attempt('new', 'assigned', { reopenWindowMinutes: m })).toThrow(RangeError);
  });

  it('throws RangeError for an invalid now', () => {
    expect(() => attempt('new', 'assigned', { now: new Date(Number.NaN) })).toThrow(RangeError);
  });
});

describe('transitionRefusedError', () => {
  it('turns a refusal into an IncidentDomainError with the allowed list', () => {
    const decision = attempt('closed', 'in_progress');
    if (decision.ok) throw new Error('expected refusal');
    const error = transitionRefusedError(decision);
    expect(error).toBeInstanceOf(IncidentDomainError);
    expect(error.code).toBe('INCIDENT.INVALID_TRANSITION');
    expect(error.message).toMatch(/closed is final/);
    expect(error.details).toEqual({ allowed: [] });
  });
});

describe('auto close', () => {
  it('autoCloseAt adds wall-clock minutes', () => {
    expect(autoCloseAt(at(0), 5 * 24 * 60)).toEqual(at(5 * 24 * 60));
    expect(autoCloseAt(at(0), 0)).toEqual(at(0));
  });

  it.each([
    ['before', 'resolved', at(0), at(4320, -1), false],
    ['exactly at', 'resolved', at(0), at(4320), true],
    ['after', 'resolved', at(0), at(4321), true],
    ['not resolved (in_progress)', 'in_progress', at(0), at(9999), false],
    ['already closed', 'closed', at(0), at(9999), false],
    ['cancelled', 'cancelled', null, at(9999), false],
    ['resolved without resolvedAt', 'resolved', null, at(9999), false],
  ] as const)('%s the due time → %s', (_case, status, resolvedAt, now, expected) => {
    expect(shouldAutoClose({ status, resolvedAt, now, autoCloseMinutes: 4320 })).toBe(expected);
  });

  it('throws RangeError for a negative autoCloseMinutes', () => {
    expect(() => autoCloseAt(at(0), -1)).toThrow(RangeError);
  });
});

describe('random walks (property)', () => {
  const terminal: readonly IncidentStatus[] = TERMINAL_STATUSES;

  it('never leave the graph, and never leave closed or cancelled', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATUSES),
        fc.array(fc.record({ pick: fc.nat(), target: fc.constantFrom(...STATUSES), minutes: fc.nat(120) }), {
          maxLength: 40,
        }),
        fc.integer({ min: 0, max: 90 }),
        (start, steps, reopenWindowMinutes) => {
          let status: IncidentStatus = start;
          let now = at(0);
          let resolvedAt: Date | null = start === 'resolved' ? now : null;

          for (const step of steps) {
            now = new Date(now.getTime() + step.minutes * MINUTE);
            const base = { from: status, resolvedAt, now, reopenWindowMinutes, resolution: RESOLUTION };

            // Anything outside the graph is refused, and refusals never move the incident.
            if (!GRAPH[status].includes(step.target)) {
              const refused = decideTransition({ ...base, to: step.target });
              expect(refused).toMatchObject({ ok: false, code: 'INCIDENT.INVALID_TRANSITION' });
            }

            const options = allowedTransitions(status);
            if (terminal.includes(status)) {
              expect(options).toEqual([]);
              continue;
            }
            expect(options.length).toBeGreaterThan(0);
            const to = options[step.pick % options.length];
            const decision = decideTransition({ ...base, to });
            if (!decision.ok) {
              // The only refusal along a graph edge with a resolution at hand is a late reopen.
              expect([status, to, decision.code]).toEqual([
                'resolved',
                'in_progress',
                'INCIDENT.REOPEN_WINDOW_EXPIRED',
              ]);
              expect(decision.allowed).toEqual(['closed']);
              continue;
            }
            expect(GRAPH[status]).toContain(decision.to);
            expect(STATUSES).toContain(decision.to);
            if (decision.effects.setResolvedAt) resolvedAt = decision.effects.setResolvedAt;
            if (decision.effects.clearResolution) resolvedAt = null;
            status = decision.to;
          }

          if (terminal.includes(status)) {
            for (const to of STATUSES) {
              expect(
                decideTransition({
                  from: status,
                  to,
                  resolvedAt,
                  now,
                  reopenWindowMinutes,
                  resolution: RESOLUTION,
                }).ok,
              ).toBe(false);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('accept a transition only along a graph edge (any inputs)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATUSES),
        fc.constantFrom(...STATUSES),
        fc.option(fc.date({ noInvalidDate: true }), { nil: null }),
        fc.date({ noInvalidDate: true }),
        fc.nat(10_000),
        fc.option(fc.record({ code: fc.constantFrom(...RESOLUTION_CODES, 'bogus'), notes: fc.string() }), {
          nil: undefined,
        }),
        (from, to, resolvedAt, now, reopenWindowMinutes, resolution) => {
          const decision = decideTransition({ from, to, resolvedAt, now, reopenWindowMinutes, resolution });
          if (decision.ok) expect(GRAPH[from]).toContain(decision.to);
          else for (const s of decision.allowed) expect(GRAPH[from]).toContain(s);
        },
      ),
    );
  });
});
