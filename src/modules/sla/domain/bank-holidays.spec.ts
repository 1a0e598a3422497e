import {
  BANK_HOLIDAY_TABLE_FIRST_YEAR,
  BANK_HOLIDAY_TABLE_LAST_YEAR,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  bankHolidayDates,
  bankHolidays,
} from './bank-holidays';
import { InvalidCalendarError } from './sla-domain.errors';
import { dayOfIsoDate, isoDateOfDay, weekdayOfDay } from './zoned-time';

const dates = ENGLAND_AND_WALES_BANK_HOLIDAYS.map((h) => h.date);
const day = (iso: string): number => dayOfIsoDate(iso) as number;

/** Independent re-derivation of the standard rules, to check the hand-written table against. */
function easterSunday(year: number): number {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
  return day(`${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`);
}

function standardRules(year: number): string[] {
  const nextWeekday = (d: number): number =>
    weekdayOfDay(d) === 6 ? d + 2 : weekdayOfDay(d) === 7 ? d + 1 : d;
  const firstMonday = (d: number): number => d + ((8 - weekdayOfDay(d)) % 7);
  const lastMonday = (d: number): number => d - ((weekdayOfDay(d) + 6) % 7);
  const easter = easterSunday(year);
  const christmas = day(`${year}-12-25`);
  const christmasDays =
    weekdayOfDay(christmas) === 6 || weekdayOfDay(christmas) === 7
      ? [christmas + 2, weekdayOfDay(christmas) === 6 ? christmas + 3 : christmas + 1]
      : [christmas, nextWeekday(christmas + 1)];
  return [
    nextWeekday(day(`${year}-01-01`)),
    easter - 2,
    easter + 1,
    firstMonday(day(`${year}-05-01`)),
    lastMonday(day(`${year}-05-31`)),
    lastMonday(day(`${year}-08-31`)),
    ...christmasDays,
  ]
    .sort((x, y) => x - y)
    .map(isoDateOfDay);
}

/** gov.uk one-off changes: what the standard rules would say vs what actually happened. */
const SPECIAL_YEARS: Record<number, { removed: string[]; added: string[] }> = {
  2011: { removed: [], added: ['2011-04-29'] },
  2012: { removed: ['2012-05-28'], added: ['2012-06-04', '2012-06-05'] },
  2020: { removed: ['2020-05-04'], added: ['2020-05-08'] },
  2022: { removed: ['2022-05-30'], added: ['2022-06-02', '2022-06-03', '2022-09-19'] },
  2023: { removed: [], added: ['2023-05-08'] },
};

describe('ENGLAND_AND_WALES_BANK_HOLIDAYS', () => {
  it.each([
    ['2010-12-27', 'Christmas Day (substitute day)'],
    ['2010-12-28', 'Boxing Day (substitute day)'],
    ['2011-01-03', 'New Year’s Day (substitute day)'],
    ['2011-04-29', 'Royal wedding'],
    ['2012-06-04', 'Spring bank holiday'],
    ['2012-06-05', 'Queen’s Diamond Jubilee'],
    ['2020-05-08', 'Early May bank holiday (VE day)'],
    ['2022-06-02', 'Spring bank holiday'],
    ['2022-06-03', 'Platinum Jubilee bank holiday'],
    ['2022-09-19', 'Bank Holiday for the State Funeral of Queen Elizabeth II'],
    ['2023-05-08', 'Bank holiday for the coronation of King Charles III'],
    ['2015-12-28', 'Boxing Day (substitute day)'],
    ['2016-12-27', 'Christmas Day (substitute day)'],
  ])('includes %s (%s)', (date, name) => {
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS).toContainEqual({ date, name });
  });

  it.each(['2010-12-25', '2010-12-26', '2012-05-28', '2020-05-04', '2022-05-30', '2011-01-01', '2010-12-24'])(
    'does not include %s',
    (date) => {
      expect(dates).not.toContain(date);
    },
  );

  it('covers every year 2009–2030, sorted, unique, only on weekdays', () => {
    const years = new Set(dates.map((d) => Number(d.slice(0, 4))));
    expect([...years]).toEqual(
      Array.from(
        { length: BANK_HOLIDAY_TABLE_LAST_YEAR - BANK_HOLIDAY_TABLE_FIRST_YEAR + 1 },
        (_, i) => BANK_HOLIDAY_TABLE_FIRST_YEAR + i,
      ),
    );
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
    for (const date of dates) expect(weekdayOfDay(day(date))).toBeLessThanOrEqual(5);
  });

  it.each(Array.from({ length: 22 }, (_, i) => 2009 + i))(
    '%i = the standard rules plus that year’s one-offs',
    (year) => {
      const special = SPECIAL_YEARS[year] ?? { removed: [], added: [] };
      const expected = [
        ...standardRules(year).filter((d) => !special.removed.includes(d)),
        ...special.added,
      ].sort();
      expect(dates.filter((d) => d.startsWith(`${year}-`))).toEqual(expected);
    },
  );
});

describe('bankHolidayDates / bankHolidays', () => {
  it('without overrides returns the table dates', () => {
    expect(bankHolidayDates()).toEqual(dates);
  });

  it('applies remove then add, keeps dates sorted and unique', () => {
    const result = bankHolidayDates({
      remove: ['2010-12-27', '2099-01-01'],
      add: [
        { date: '2010-12-24', name: 'Christmas Eve closure' },
        { date: '2010-12-28', name: 'Duplicate of an existing one' },
      ],
    });
    expect(result).not.toContain('2010-12-27');
    expect(result).toContain('2010-12-24');
    expect(result.filter((d) => d === '2010-12-28')).toHaveLength(1);
    expect([...result].sort()).toEqual(result);
    expect(result).toHaveLength(dates.length);
  });

  it('an added date overrides the name of a table date', () => {
    const renamed = bankHolidays({ add: [{ date: '2011-04-29', name: 'Wedding of Prince William' }] });
    expect(renamed.find((h) => h.date === '2011-04-29')?.name).toBe('Wedding of Prince William');
  });

  it('can re-add a removed date', () => {
    expect(
      bankHolidayDates({ remove: ['2012-06-05'], add: [{ date: '2012-06-05', name: 'Jubilee' }] }),
    ).toContain('2012-06-05');
  });

  it('rejects malformed override dates with SLA.INVALID_CALENDAR', () => {
    expect(() => bankHolidayDates({ add: [{ date: '2031-02-30', name: 'x' }] })).toThrow(
      InvalidCalendarError,
    );
    expect(() => bankHolidayDates({ remove: ['25/12/2030'] })).toThrow('25/12/2030');
  });

  it('does not let callers mutate the table', () => {
    expect(Object.isFrozen(ENGLAND_AND_WALES_BANK_HOLIDAYS)).toBe(true);
    bankHolidayDates().pop();
    expect(bankHolidayDates()).toEqual(dates);
  });
});
