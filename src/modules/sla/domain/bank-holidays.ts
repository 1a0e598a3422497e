import { InvalidCalendarError } from './sla-domain.errors';
import { dayOfIsoDate } from './zoned-time';

/**
 * England & Wales bank holidays, 2009–2030, as published on gov.uk (https://www.gov.uk/bank-holidays), with
 * substitute days already applied where a holiday falls on a weekend. A literal table on purpose: rule-based
 * libraries get the one-off changes wrong (2011 royal wedding; 2012 spring holiday moved to 4 June plus the
 * Diamond Jubilee; 2020 early May moved to VE day; 2022 Platinum Jubilee and the State Funeral; 2023 coronation).
 * Admins adjust it through overrides (see `bankHolidayDates`).
 */

export interface BankHoliday {
  /** Local date in England, 'YYYY-MM-DD'. */
  readonly date: string;
  readonly name: string;
}

export interface BankHolidayOverrides {
  /** Extra closed days (e.g. a newly announced special bank holiday). */
  readonly add?: readonly BankHoliday[];
  /** Dates to drop from the table, 'YYYY-MM-DD'. */
  readonly remove?: readonly string[];
}

export const BANK_HOLIDAY_TABLE_FIRST_YEAR = 2009;
export const BANK_HOLIDAY_TABLE_LAST_YEAR = 2030;

export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly BankHoliday[] = Object.freeze([
  // 2009
  { date: '2009-01-01', name: 'New Year’s Day' },
  { date: '2009-04-10', name: 'Good Friday' },
  { date: '2009-04-13', name: 'Easter Monday' },
  { date: '2009-05-04', name: 'Early May bank holiday' },
  { date: '2009-05-25', name: 'Spring bank holiday' },
  { date: '2009-08-31', name: 'Summer bank holiday' },
  { date: '2009-12-25', name: 'Christmas Day' },
  { date: '2009-12-28', name: 'Boxing Day (substitute day)' },
  // 2010
  { date: '2010-01-01', name: 'New Year’s Day' },
  { date: '2010-04-02', name: 'Good Friday' },
  { date: '2010-04-05', name: 'Easter Monday' },
  { date: '2010-05-03', name: 'Early May bank holiday' },
  { date: '2010-05-31', name: 'Spring bank holiday' },
  { date: '2010-08-30', name: 'Summer bank holiday' },
  { date: '2010-12-27', name: 'Christmas Day (substitute day)' },
  { date: '2010-12-28', name: 'Boxing Day (substitute day)' },
  // 2011
  { date: '2011-01-03', name: 'New Year’s Day (substitute day)' },
  { date: '2011-04-22', name: 'Good Friday' },
  { date: '2011-04-25', name: 'Easter Monday' },
  { date: '2011-04-29', name: 'Royal wedding' },
  { date: '2011-05-02', name: 'Early May bank holiday' },
  { date: '2011-05-30', name: 'Spring bank holiday' },
  { date: '2011-08-29', name: 'Summer bank holiday' },
  { date: '2011-12-26', name: 'Boxing Day' },
  { date: '2011-12-27', name: 'Christmas Day (substitute day)' },
  // 2012
  { date: '2012-01-02', name: 'New Year’s Day (substitute day)' },
  { date: '2012-04-06', name: 'Good Friday' },
  { date: '2012-04-09', name: 'Easter Monday' },
  { date: '2012-05-07', name: 'Early May bank holiday' },
  { date: '2012-06-04', name: 'Spring bank holiday' }, // moved from 28 May
  { date: '2012-06-05', name: 'Queen’s Diamond Jubilee' },
  { date: '2012-08-27', name: 'Summer bank holiday' },
  { date: '2012-12-25', name: 'Christmas Day' },
  { date: '2012-12-26', name: 'Boxing Day' },
  // 2013
  { date: '2013-01-01', name: 'New Year’s Day' },
  { date: '2013-03-29', name: 'Good Friday' },
  { date: '2013-04-01', name: 'Easter Monday' },
  { date: '2013-05-06', name: 'Early May bank holiday' },
  { date: '2013-05-27', name: 'Spring bank holiday' },
  { date: '2013-08-26', name: 'Summer bank holiday' },
  { date: '2013-12-25', name: 'Christmas Day' },
  { date: '2013-12-26', name: 'Boxing Day' },
  // 2014
  { date: '2014-01-01', name: 'New Year’s Day' },
  { date: '2014-04-18', name: 'Good Friday' },
  { date: '2014-04-21', name: 'Easter Monday' },
  { date: '2014-05-05', name: 'Early May bank holiday' },
  { date: '2014-05-26', name: 'Spring bank holiday' },
  { date: '2014-08-25', name: 'Summer bank holiday' },
  { date: '2014-12-25', name: 'Christmas Day' },
  { date: '2014-12-26', name: 'Boxing Day' },
  // 2015
  { date: '2015-01-01', name: 'New Year’s Day' },
  { date: '2015-04-03', name: 'Good Friday' },
  { date: '2015-04-06', name: 'Easter Monday' },
  { date: '2015-05-04', name: 'Early May bank holiday' },
  { date: '2015-05-25', name: 'Spring bank holiday' },
  { date: '2015-08-31', name: 'Summer bank holiday' },
  { date: '2015-12-25', name: 'Christmas Day' },
  { date: '2015-12-28', name: 'Boxing Day (substitute day)' },
  // 2016
  { date: '2016-01-01', name: 'New Year’s Day' },
  { date: '2016-03-25', name: 'Good Friday' },
  { date: '2016-03-28', name: 'Easter Monday' },
  { date: '2016-05-02', name: 'Early May bank holiday' },
  { date: '2016-05-30', name: 'Spring bank holiday' },
  { date: '2016-08-29', name: 'Summer bank holiday' },
  { date: '2016-12-26', name: 'Boxing Day' },
  { date: '2016-12-27', name: 'Christmas Day (substitute day)' },
  // 2017
  { date: '2017-01-02', name: 'New Year’s Day (substitute day)' },
  { date: '2017-04-14', name: 'Good Friday' },
  { date: '2017-04-17', name: 'Easter Monday' },
  { date: '2017-05-01', name: 'Early May bank holiday' },
  { date: '2017-05-29', name: 'Spring bank holiday' },
  { date: '2017-08-28', name: 'Summer bank holiday' },
  { date: '2017-12-25', name: 'Christmas Day' },
  { date: '2017-12-26', name: 'Boxing Day' },
  // 2018
  { date: '2018-01-01', name: 'New Year’s Day' },
  { date: '2018-03-30', name: 'Good Friday' },
  { date: '2018-04-02', name: 'Easter Monday' },
  { date: '2018-05-07', name: 'Early May bank holiday' },
  { date: '2018-05-28', name: 'Spring bank holiday' },
  { date: '2018-08-27', name: 'Summer bank holiday' },
  { date: '2018-12-25', name: 'Christmas Day' },
  { date: '2018-12-26', name: 'Boxing Day' },
  // 2019
  { date: '2019-01-01', name: 'New Year’s Day' },
  { date: '2019-04-19', name: 'Good Friday' },
  { date: '2019-04-22', name: 'Easter Monday' },
  { date: '2019-05-06', name: 'Early May bank holiday' },
  { date: '2019-05-27', name: 'Spring bank holiday' },
  { date: '2019-08-26', name: 'Summer bank holiday' },
  { date: '2019-12-25', name: 'Christmas Day' },
  { date: '2019-12-26', name: 'Boxing Day' },
  // 2020
  { date: '2020-01-01', name: 'New Year’s Day' },
  { date: '2020-04-10', name: 'Good Friday' },
  { date: '2020-04-13', name: 'Easter Monday' },
  { date: '2020-05-08', name: 'Early May bank holiday (VE day)' }, // moved from 4 May
  { date: '2020-05-25', name: 'Spring bank holiday' },
  { date: '2020-08-31', name: 'Summer bank holiday' },
  { date: '2020-12-25', name: 'Christmas Day' },
  { date: '2020-12-28', name: 'Boxing Day (substitute day)' },
  // 2021
  { date: '2021-01-01', name: 'New Year’s Day' },
  { date: '2021-04-02', name: 'Good Friday' },
  { date: '2021-04-05', name: 'Easter Monday' },
  { date: '2021-05-03', name: 'Early May bank holiday' },
  { date: '2021-05-31', name: 'Spring bank holiday' },
  { date: '2021-08-30', name: 'Summer bank holiday' },
  { date: '2021-12-27', name: 'Christmas Day (substitute day)' },
  { date: '2021-12-28', name: 'Boxing Day (substitute day)' },
  // 2022
  { date: '2022-01-03', name: 'New Year’s Day (substitute day)' },
  { date: '2022-04-15', name: 'Good Friday' },
  { date: '2022-04-18', name: 'Easter Monday' },
  { date: '2022-05-02', name: 'Early May bank holiday' },
  { date: '2022-06-02', name: 'Spring bank holiday' }, // moved from 30 May
  { date: '2022-06-03', name: 'Platinum Jubilee bank holiday' },
  { date: '2022-08-29', name: 'Summer bank holiday' },
  { date: '2022-09-19', name: 'Bank Holiday for the State Funeral of Queen Elizabeth II' },
  { date: '2022-12-26', name: 'Boxing Day' },
  { date: '2022-12-27', name: 'Christmas Day (substitute day)' },
  // 2023
  { date: '2023-01-02', name: 'New Year’s Day (substitute day)' },
  { date: '2023-04-07', name: 'Good Friday' },
  { date: '2023-04-10', name: 'Easter Monday' },
  { date: '2023-05-01', name: 'Early May bank holiday' },
  { date: '2023-05-08', name: 'Bank holiday for the coronation of King Charles III' },
  { date: '2023-05-29', name: 'Spring bank holiday' },
  { date: '2023-08-28', name: 'Summer bank holiday' },
  { date: '2023-12-25', name: 'Christmas Day' },
  { date: '2023-12-26', name: 'Boxing Day' },
  // 2024
  { date: '2024-01-01', name: 'New Year’s Day' },
  { date: '2024-03-29', name: 'Good Friday' },
  { date: '2024-04-01', name: 'Easter Monday' },
  { date: '2024-05-06', name: 'Early May bank holiday' },
  { date: '2024-05-27', name: 'Spring bank holiday' },
  { date: '2024-08-26', name: 'Summer bank holiday' },
  { date: '2024-12-25', name: 'Christmas Day' },
  { date: '2024-12-26', name: 'Boxing Day' },
  // 2025
  { date: '2025-01-01', name: 'New Year’s Day' },
  { date: '2025-04-18', name: 'Good Friday' },
  { date: '2025-04-21', name: 'Easter Monday' },
  { date: '2025-05-05', name: 'Early May bank holiday' },
  { date: '2025-05-26', name: 'Spring bank holiday' },
  { date: '2025-08-25', name: 'Summer bank holiday' },
  { date: '2025-12-25', name: 'Christmas Day' },
  { date: '2025-12-26', name: 'Boxing Day' },
  // 2026
  { date: '2026-01-01', name: 'New Year’s Day' },
  { date: '2026-04-03', name: 'Good Friday' },
  { date: '2026-04-06', name: 'Easter Monday' },
  { date: '2026-05-04', name: 'Early May bank holiday' },
  { date: '2026-05-25', name: 'Spring bank holiday' },
  { date: '2026-08-31', name: 'Summer bank holiday' },
  { date: '2026-12-25', name: 'Christmas Day' },
  { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
  // 2027–2030: not yet all published when written; computed from the standard rules.
  // 2027
  { date: '2027-01-01', name: 'New Year’s Day' },
  { date: '2027-03-26', name: 'Good Friday' },
  { date: '2027-03-29', name: 'Easter Monday' },
  { date: '2027-05-03', name: 'Early May bank holiday' },
  { date: '2027-05-31', name: 'Spring bank holiday' },
  { date: '2027-08-30', name: 'Summer bank holiday' },
  { date: '2027-12-27', name: 'Christmas Day (substitute day)' },
  { date: '2027-12-28', name: 'Boxing Day (substitute day)' },
  // 2028
  { date: '2028-01-03', name: 'New Year’s Day (substitute day)' },
  { date: '2028-04-14', name: 'Good Friday' },
  { date: '2028-04-17', name: 'Easter Monday' },
  { date: '2028-05-01', name: 'Early May bank holiday' },
  { date: '2028-05-29', name: 'Spring bank holiday' },
  { date: '2028-08-28', name: 'Summer bank holiday' },
  { date: '2028-12-25', name: 'Christmas Day' },
  { date: '2028-12-26', name: 'Boxing Day' },
  // 2029
  { date: '2029-01-01', name: 'New Year’s Day' },
  { date: '2029-03-30', name: 'Good Friday' },
  { date: '2029-04-02', name: 'Easter Monday' },
  { date: '2029-05-07', name: 'Early May bank holiday' },
  { date: '2029-05-28', name: 'Spring bank holiday' },
  { date: '2029-08-27', name: 'Summer bank holiday' },
  { date: '2029-12-25', name: 'Christmas Day' },
  { date: '2029-12-26', name: 'Boxing Day' },
  // 2030
  { date: '2030-01-01', name: 'New Year’s Day' },
  { date: '2030-04-19', name: 'Good Friday' },
  { date: '2030-04-22', name: 'Easter Monday' },
  { date: '2030-05-06', name: 'Early May bank holiday' },
  { date: '2030-05-27', name: 'Spring bank holiday' },
  { date: '2030-08-26', name: 'Summer bank holiday' },
  { date: '2030-12-25', name: 'Christmas Day' },
  { date: '2030-12-26', name: 'Boxing Day' },
]);

/** The table with an admin override list applied. `remove` is applied first, then `add`; sorted by date. */
export function bankHolidays(overrides: BankHolidayOverrides = {}): BankHoliday[] {
  const problems = [...(overrides.add ?? []).map((h) => h.date), ...(overrides.remove ?? [])]
    .filter((date) => dayOfIsoDate(date) === null)
    .map((date) => `override date "${date}" is not a valid YYYY-MM-DD date`);
  if (problems.length > 0) throw new InvalidCalendarError('bank-holidays', problems);

  const removed = new Set(overrides.remove ?? []);
  const byDate = new Map<string, BankHoliday>();
  for (const holiday of ENGLAND_AND_WALES_BANK_HOLIDAYS) {
    if (!removed.has(holiday.date)) byDate.set(holiday.date, holiday);
  }
  for (const holiday of overrides.add ?? []) byDate.set(holiday.date, holiday);
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Sorted, de-duplicated 'YYYY-MM-DD' dates of the table with an admin override list applied. */
export function bankHolidayDates(overrides: BankHolidayOverrides = {}): string[] {
  return bankHolidays(overrides).map((h) => h.date);
}
