import { DEFAULT_CALENDARS } from '../../sla/domain/calendars';
import { dueStep, metInTime, nextCheck, planContractClocks } from './contract-clock';

const at = (iso: string): Date => new Date(iso);

describe('supplier contract clocks on the SLA domain', () => {
  it('plans acknowledge and fix from the moment of escalation on the calendar (24x7: wall minutes)', () => {
    const clocks = planContractClocks(
      { calendar: DEFAULT_CALENDARS['24x7'], acknowledgeMinutes: 20, fixMinutes: 240 },
      at('2026-12-06T10:00:00Z'),
    );
    expect(clocks).toEqual([
      expect.objectContaining({
        target: 'acknowledge',
        warnAt: at('2026-12-06T10:15:00Z'),
        dueAt: at('2026-12-06T10:20:00Z'),
      }),
      expect.objectContaining({
        target: 'fix',
        warnAt: at('2026-12-06T13:00:00Z'),
        dueAt: at('2026-12-06T14:00:00Z'),
      }),
    ]);
  });

  it('counts only open time on an office calendar (Saturday escalation starts on Monday)', () => {
    const [ack] = planContractClocks(
      { calendar: DEFAULT_CALENDARS.office, acknowledgeMinutes: 60, fixMinutes: 600 },
      at('2026-12-05T12:00:00Z'),
    );
    expect(ack.dueAt.getUTCDay()).toBe(1);
  });

  it('warns at 75 %, breaches at 100 %, and stops once met', () => {
    const clock = {
      warnAt: at('2026-01-01T00:15:00Z'),
      dueAt: at('2026-01-01T00:20:00Z'),
      metAt: null,
      warnedAt: null,
      breachedAt: null,
    };
    expect(dueStep(clock, at('2026-01-01T00:14:59Z'))).toBeNull();
    expect(dueStep(clock, at('2026-01-01T00:15:00Z'))).toBe('warn');
    expect(nextCheck(clock, 'warn')).toEqual(clock.dueAt);
    const warned = { ...clock, warnedAt: at('2026-01-01T00:15:00Z') };
    expect(dueStep(warned, at('2026-01-01T00:19:00Z'))).toBeNull();
    expect(dueStep(warned, at('2026-01-01T00:20:00Z'))).toBe('breach');
    expect(nextCheck(warned, 'breach')).toBeNull();
    // Found late: the breach comes first, with no warning.
    expect(dueStep(clock, at('2026-01-01T01:00:00Z'))).toBe('breach');
    expect(dueStep({ ...clock, metAt: at('2026-01-01T00:10:00Z') }, at('2026-01-01T01:00:00Z'))).toBeNull();
    expect(metInTime({ dueAt: clock.dueAt, metAt: clock.dueAt })).toBe(true);
    expect(metInTime({ dueAt: clock.dueAt, metAt: at('2026-01-01T00:20:01Z') })).toBe(false);
  });
});
