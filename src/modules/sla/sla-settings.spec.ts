import { loadConfig } from '../../config/app-config';
import { SlaSettings } from './sla-settings';

const settings = (env: Record<string, string>): SlaSettings =>
  new SlaSettings(loadConfig({ DATABASE_URL: 'postgres://x@localhost/db', ...env }));

describe('SlaSettings', () => {
  it('parses the thresholds and the on-call list', () => {
    const s = settings({
      SLA_WARNING_THRESHOLDS: '0.9, 0.5',
      ON_CALL_SMS_NUMBERS: '+447700900001, +447700900002',
    });
    expect(s.warningThresholds).toEqual([0.5, 0.9]);
    expect(s.onCallNumbers).toEqual(['+447700900001', '+447700900002']);
  });

  it.each([
    ['auto', 'redis://localhost:6379', '500', true],
    ['auto', '', '500', false],
    ['auto', '', '0', true],
    ['on', '', '500', true],
    ['off', 'redis://localhost:6379', '500', false],
  ])(
    'SLA_QUEUE_TIMERS=%s with REDIS_URL=%j and SLA_POLL_MS=%s → queue timers %s',
    (mode, redis, poll, expected) => {
      expect(settings({ SLA_QUEUE_TIMERS: mode, REDIS_URL: redis, SLA_POLL_MS: poll }).queueTimers).toBe(
        expected,
      );
    },
  );

  it('refuses bad values at boot, naming the variable', () => {
    expect(() => settings({ SLA_WARNING_THRESHOLDS: '75,90' })).toThrow(/SLA_WARNING_THRESHOLDS/);
    expect(() => settings({ SLA_QUEUE_TIMERS: 'sometimes' })).toThrow(/SLA_QUEUE_TIMERS/);
    expect(() => settings({ ON_CALL_SMS_NUMBERS: '07700 900001' })).toThrow(/ON_CALL_SMS_NUMBERS/);
  });
});
