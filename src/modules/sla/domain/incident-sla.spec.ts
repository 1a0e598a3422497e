import { DEFAULT_CALENDARS } from './calendars';
import {
  type IncidentSlaFacts,
  type TargetTerms,
  metAtFor,
  parseWarningThresholds,
  slaLevels,
  targetClock,
} from './incident-sla';
import type { StatusChange } from './pauses-from-history';

const at = (iso: string): Date => new Date(iso);
const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

// A community_health (gp_core) site, P3: response 120, resolution 1890 business minutes. Reported Friday
// 24 December 2010 17:00 Europe/London (GMT): resolution due Fri 31 Dec 17:00 (see sla-clock.spec.ts).
const reportedAt = at('2010-12-24T17:00:00Z');
const response: TargetTerms = { target: 'response', calendar: DEFAULT_CALENDARS.gp_core, targetMinutes: 120 };
const resolution: TargetTerms = {
  target: 'resolution',
  calendar: DEFAULT_CALENDARS.gp_core,
  targetMinutes: 1890,
};

const facts = (overrides: Partial<IncidentSlaFacts> = {}): IncidentSlaFacts => ({
  reportedAt,
  status: 'new',
  resolvedAt: null,
  respondedAt: null,
  history: [],
  warningThresholds: [0.75, 0.9],
  now: reportedAt,
  ...overrides,
});
const change = (status: string, when: string): StatusChange => ({ status, at: at(when) });

describe('targetClock — the incident rules', () => {
  it('resolution at a gp_core site, P3, reported Fri 24 Dec 2010 17:00 is due Fri 31 Dec 17:00:00Z', () => {
    const clock = targetClock(resolution, facts());
    expect(iso(clock.state.dueAt)).toBe('2010-12-31T17:00:00.000Z');
    expect(iso(clock.state.nextCheckAt)).toBe('2010-12-31T09:07:30.000Z');
    expect(clock.reached).toEqual([]);
    expect(clock.calendarCode).toBe('gp_core');
  });

  it('awaiting_caller pauses both clocks and moves the due times; awaiting_supplier does not', () => {
    // Paused Wed 29 Dec 10:00 → 14:00 (240 business minutes): due moves from Fri 31 17:00 to Tue 4 Jan 10:30
    // (Mon 3 Jan 2011 is the New Year substitute bank holiday: 17:00 + 240 = 18:30 uses 90, Tue 08:00 + 150).
    const history = [
      change('in_progress', '2010-12-29T09:00:00Z'),
      change('awaiting_caller', '2010-12-29T10:00:00Z'),
      change('in_progress', '2010-12-29T14:00:00Z'),
    ];
    const paused = targetClock(
      resolution,
      facts({ status: 'in_progress', history, now: at('2010-12-29T15:00:00Z') }),
    );
    expect(iso(paused.state.dueAt)).toBe('2011-01-04T10:30:00.000Z');
    const supplier = history.map((c) =>
      c.status === 'awaiting_caller' ? { ...c, status: 'awaiting_supplier' } : c,
    );
    const running = targetClock(
      resolution,
      facts({ status: 'in_progress', history: supplier, now: at('2010-12-29T15:00:00Z') }),
    );
    expect(iso(running.state.dueAt)).toBe('2010-12-31T17:00:00.000Z');
  });

  it('while paused, the clock says so, schedules nothing and its due time is "if resumed now"', () => {
    const history = [change('awaiting_caller', '2010-12-29T10:00:00Z')];
    const clock = targetClock(
      resolution,
      facts({ status: 'awaiting_caller', history, now: at('2010-12-29T12:00:00Z') }),
    );
    expect(clock.state.paused).toBe(true);
    expect(clock.state.nextCheckAt).toBeNull();
    expect(clock.state.elapsedMinutes).toBe(90 + 120);
    // 120 business minutes of pause so far: 17:00 + 120 = 18:30 on Fri 31 (uses 90), Tue 4 Jan 08:30 (Mon 3 is a bank holiday).
    expect(iso(clock.state.dueAt)).toBe('2011-01-04T08:30:00.000Z');
  });

  it('response is met by the first desk reply, and stays met after a resolve and reopen', () => {
    const respondedAt = at('2010-12-29T08:10:00Z');
    const history = [
      change('resolved', '2010-12-29T09:00:00Z'),
      change('in_progress', '2010-12-29T10:00:00Z'),
    ];
    const clock = targetClock(
      response,
      facts({ status: 'in_progress', respondedAt, history, now: at('2010-12-30T09:00:00Z') }),
    );
    expect(iso(clock.state.metAt)).toBe('2010-12-29T08:10:00.000Z');
    expect(clock.state.breached).toBe(false);
    expect(clock.state.nextCheckAt).toBeNull();
  });

  it('response without a desk reply is met by the first resolution; a cancel stops it unmet', () => {
    const history = [
      change('resolved', '2010-12-29T09:00:00Z'),
      change('in_progress', '2010-12-29T10:00:00Z'),
    ];
    expect(
      iso(metAtFor('response', facts({ status: 'in_progress', history, now: at('2010-12-30T09:00:00Z') }))),
    ).toBe('2010-12-29T09:00:00.000Z');
    const cancelled = targetClock(
      response,
      facts({
        status: 'cancelled',
        history: [change('cancelled', '2010-12-29T08:20:00Z')],
        now: at('2010-12-30T09:00:00Z'),
      }),
    );
    expect(cancelled.state.metAt).toBeNull();
    expect(iso(cancelled.state.stoppedAt)).toBe('2010-12-29T08:20:00.000Z');
    expect(cancelled.state.breached).toBe(false);
    expect(cancelled.state.nextCheckAt).toBeNull();
  });

  it('resolution is met on entering resolved and stays met when closed', () => {
    const history = [change('resolved', '2010-12-30T10:00:00Z'), change('closed', '2011-01-06T10:00:00Z')];
    const clock = targetClock(
      resolution,
      facts({
        status: 'closed',
        resolvedAt: at('2010-12-30T10:00:00Z'),
        history,
        now: at('2011-01-07T10:00:00Z'),
      }),
    );
    expect(iso(clock.state.metAt)).toBe('2010-12-30T10:00:00.000Z');
    expect(clock.state.breached).toBe(false);
    expect(clock.state.elapsedMinutes).toBe(90 + 630 + 120);
  });

  it('a reopen resumes the resolution clock where it stopped: time spent resolved does not count', () => {
    // Resolved Wed 29 10:00 (elapsed 90 + 120 = 210), reopened Thu 30 10:00: a whole business day resolved.
    const history = [
      change('resolved', '2010-12-29T10:00:00Z'),
      change('in_progress', '2010-12-30T10:00:00Z'),
    ];
    const clock = targetClock(
      resolution,
      facts({ status: 'in_progress', history, now: at('2010-12-30T11:00:00Z') }),
    );
    expect(clock.state.metAt).toBeNull();
    expect(clock.state.elapsedMinutes).toBe(210 + 60);
    // 1890 − 210 = 1680 left from Thu 30 10:00: 510 on Thu, 630 on Fri 31, Tue 4 Jan (Mon 3 holiday) 08:00 + 540 = 17:00.
    expect(iso(clock.state.dueAt)).toBe('2011-01-04T17:00:00.000Z');
  });

  it('reports each reached level once with the instant it was reached', () => {
    const clock = targetClock(resolution, facts({ status: 'in_progress', now: at('2010-12-31T14:00:00Z') }));
    expect(clock.reached.map((r) => [r.level, iso(r.at)])).toEqual([
      [0.75, '2010-12-31T09:07:30.000Z'],
      [0.9, '2010-12-31T13:51:00.000Z'],
    ]);
    expect(iso(clock.state.nextCheckAt)).toBe('2010-12-31T17:00:00.000Z');
    const breached = targetClock(
      resolution,
      facts({ status: 'in_progress', now: at('2010-12-31T17:00:00Z') }),
    );
    expect(breached.reached.map((r) => r.level)).toEqual([0.75, 0.9, 1]);
    expect(breached.state.breached).toBe(true);
    expect(breached.state.nextCheckAt).toBeNull();
  });
});

describe('slaLevels and parseWarningThresholds', () => {
  it('adds the breach level and sorts', () => {
    expect(slaLevels([0.9, 0.75, 0.9])).toEqual([0.75, 0.9, 1]);
    expect(slaLevels([])).toEqual([1]);
  });

  it.each([
    ['0.75,0.9', [0.75, 0.9]],
    [' 0.9 , .5 ', [0.5, 0.9]],
    ['', []],
  ])('parses %j', (text, value) => {
    expect(parseWarningThresholds(text)).toEqual({ ok: true, value });
  });

  it.each(['1', '0', '75', 'abc', '0.5,1.2', '-0.5'])('refuses %j', (text) => {
    expect(parseWarningThresholds(text)).toMatchObject({ ok: false });
  });
});
