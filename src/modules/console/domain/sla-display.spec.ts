import { clockDisplay, nextClock, toneFor, type SlaClockFacts } from './sla-display';

const now = new Date('2026-12-01T10:00:00Z');
const clock = (over: Partial<SlaClockFacts> = {}): SlaClockFacts => ({
  dueAt: '2026-12-01T12:05:00Z',
  metAt: null,
  breached: false,
  percentElapsed: 10,
  paused: false,
  stopped: false,
  remainingMinutes: 125,
  targetMinutes: 240,
  ...over,
});

describe('SLA clock display', () => {
  it.each([
    [0, false, 'ok'],
    [74, false, 'ok'],
    [75, false, 'warn75'],
    [89, false, 'warn75'],
    [90, false, 'warn90'],
    [99, false, 'warn90'],
    [100, false, 'breached'],
    [40, true, 'breached'],
  ])('%d %% used, breached=%s → %s', (percent, breached, tone) => {
    expect(toneFor(percent, breached)).toBe(tone);
  });

  it('counts down to the due time in wall-clock time', () => {
    const d = clockDisplay('resolution', clock({ percentElapsed: 80 }), now);
    expect(d).toMatchObject({
      state: 'running',
      tone: 'warn75',
      toneText: 'past 75 %',
      remainingMs: 125 * 60_000,
      text: '2 h 05 m',
      dueText: 'Tue 1 Dec 2026, 12:05',
    });
  });

  it('shows paused, without a countdown, while waiting for the caller', () => {
    const d = clockDisplay('response', clock({ paused: true, percentElapsed: 95 }), now);
    expect(d).toMatchObject({ state: 'paused', tone: 'paused', text: 'paused' });
    expect(d.detail).toContain('125 business minutes');
  });

  it('counts up once past due, even before the checker has marked it breached', () => {
    const d = clockDisplay('response', clock({ dueAt: '2026-12-01T09:47:30Z', percentElapsed: 100 }), now);
    expect(d).toMatchObject({ state: 'breached', tone: 'breached', text: 'overdue 12 m 30 s' });
  });

  it('says met (or met late) and stopped for clocks that no longer run', () => {
    expect(clockDisplay('response', clock({ metAt: '2026-12-01T09:00:00Z' }), now)).toMatchObject({
      state: 'met',
      text: 'met',
      tone: 'neutral',
    });
    expect(clockDisplay('response', clock({ metAt: '2026-12-01T09:00:00Z', breached: true }), now).text).toBe(
      'met late',
    );
    expect(clockDisplay('resolution', clock({ stopped: true }), now).state).toBe('stopped');
  });

  it('follows the response clock until it is met, then the resolution clock', () => {
    expect(nextClock({ response: clock(), resolution: clock() })).toBe('response');
    expect(nextClock({ response: clock({ metAt: '2026-12-01T09:00:00Z' }), resolution: clock() })).toBe(
      'resolution',
    );
  });
});
