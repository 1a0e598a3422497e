import {
  MS_PER_DAY,
  dayOfIsoDate,
  isValidZone,
  isoDateOfDay,
  localDayNumber,
  wallTimeToInstant,
  weekdayOfDay,
  zoneOf,
} from './zoned-time';

const utc = (iso: string): number => Date.parse(iso);
const day = (iso: string): number => dayOfIsoDate(iso) as number;
const london = zoneOf('Europe/London');

describe('civil dates', () => {
  it.each([
    ['1970-01-01', 0, 4],
    ['2010-12-24', 14967, 5],
    ['2010-12-25', 14968, 6],
    ['2010-12-26', 14969, 7],
    ['2010-12-27', 14970, 1],
    ['1969-12-31', -1, 3],
  ])('%s is day %i, weekday %i', (iso, dayNumber, weekday) => {
    expect(dayOfIsoDate(iso)).toBe(dayNumber);
    expect(isoDateOfDay(dayNumber)).toBe(iso);
    expect(weekdayOfDay(dayNumber)).toBe(weekday);
  });

  it.each(['2010-02-29', '2010-13-01', '2010-1-01', '2010-01-32', 'not a date', ''])('rejects %p', (iso) => {
    expect(dayOfIsoDate(iso)).toBeNull();
  });

  it('accepts 29 February in a leap year', () => {
    expect(dayOfIsoDate('2012-02-29')).not.toBeNull();
  });
});

describe('zones', () => {
  it('validates IANA names', () => {
    expect(isValidZone('Europe/London')).toBe(true);
    expect(isValidZone('UTC')).toBe(true);
    expect(isValidZone('Europe/Londinium')).toBe(false);
  });

  it.each([
    ['2010-12-24T23:59:59.999Z', '2010-12-24'],
    ['2010-07-01T23:30:00Z', '2010-07-02'], // 00:30 BST
    ['2010-07-01T22:59:59Z', '2010-07-01'],
  ])('the London wall day of %s is %s', (instant, iso) => {
    expect(isoDateOfDay(localDayNumber(london, utc(instant)))).toBe(iso);
  });
});

describe('wallTimeToInstant', () => {
  it.each([
    ['ordinary winter time', '2010-12-24', 17 * 60, '2010-12-24T17:00:00Z'],
    ['ordinary summer time', '2010-07-01', 8 * 60, '2010-07-01T07:00:00Z'],
    ['24:00 is the next midnight', '2010-07-01', 1440, '2010-07-01T23:00:00Z'],
    ['spring: 00:59 GMT', '2010-03-28', 59, '2010-03-28T00:59:00Z'],
    ['spring: 01:00 does not exist → the jump', '2010-03-28', 60, '2010-03-28T01:00:00Z'],
    ['spring: 01:30 does not exist → the jump', '2010-03-28', 90, '2010-03-28T01:00:00Z'],
    ['spring: 02:00 BST', '2010-03-28', 120, '2010-03-28T01:00:00Z'],
    ['spring: 03:00 BST', '2010-03-28', 180, '2010-03-28T02:00:00Z'],
    ['autumn: 00:30 BST', '2010-10-31', 30, '2010-10-30T23:30:00Z'],
    ['autumn: 01:00 happens twice → first', '2010-10-31', 60, '2010-10-31T00:00:00Z'],
    ['autumn: 01:30 happens twice → first', '2010-10-31', 90, '2010-10-31T00:30:00Z'],
    ['autumn: 02:00 GMT', '2010-10-31', 120, '2010-10-31T02:00:00Z'],
  ])('Europe/London, %s', (_name, iso, minute, expected) => {
    expect(new Date(wallTimeToInstant(london, day(iso), minute)).toISOString()).toBe(
      new Date(expected).toISOString(),
    );
  });

  it('handles a spring-forward at midnight (America/Sao_Paulo, 2010-10-17)', () => {
    const saoPaulo = zoneOf('America/Sao_Paulo');
    expect(wallTimeToInstant(saoPaulo, day('2010-10-17'), 0)).toBe(utc('2010-10-17T03:00:00Z'));
    expect(wallTimeToInstant(saoPaulo, day('2010-10-16'), 1440)).toBe(utc('2010-10-17T03:00:00Z'));
    expect(wallTimeToInstant(saoPaulo, day('2010-10-17'), 60)).toBe(utc('2010-10-17T03:00:00Z'));
    expect(wallTimeToInstant(saoPaulo, day('2010-10-17'), 120)).toBe(utc('2010-10-17T04:00:00Z'));
  });

  it('is monotonic across a whole clock-change day', () => {
    for (const iso of ['2010-03-28', '2010-10-31']) {
      let previous = -Infinity;
      for (let minute = 0; minute <= 1440; minute++) {
        const t = wallTimeToInstant(london, day(iso), minute);
        expect(t).toBeGreaterThanOrEqual(previous);
        previous = t;
      }
      expect(wallTimeToInstant(london, day(iso), 1440) - wallTimeToInstant(london, day(iso), 0)).toBe(
        iso === '2010-03-28' ? MS_PER_DAY - 3_600_000 : MS_PER_DAY + 3_600_000,
      );
    }
  });
});
