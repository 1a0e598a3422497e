import { parseDay, readCalendarForm, readDate, readPolicyForm, type PolicyValues } from './sla-forms';

const current: PolicyValues[] = [
  { siteClass: 'prison', priority: 'P4', calendar: null, responseMinutes: 1440, resolutionMinutes: 14400 },
  { siteClass: 'hospital', priority: 'P1', calendar: '24x7', responseMinutes: 15, resolutionMinutes: 240 },
];
const row = (
  c: string,
  p: string,
  v: Partial<Record<'calendar' | 'responseMinutes' | 'resolutionMinutes', string>>,
) => Object.fromEntries(Object.entries(v).map(([k, value]) => [`${c}.${p}.${k}`, value]));

describe('the SLA forms', () => {
  it('returns only the policies that changed', () => {
    const read = readPolicyForm(
      {
        ...row('prison', 'P4', { calendar: '', responseMinutes: '1440', resolutionMinutes: '14400' }),
        ...row('hospital', 'P1', { calendar: '24x7', responseMinutes: '10', resolutionMinutes: '240' }),
        reason: '  Contract   variation 3 ',
      },
      current,
      ['24x7', 'gp_core'],
    );
    expect(read.problems).toEqual([]);
    expect(read.changes).toEqual([
      {
        siteClass: 'hospital',
        priority: 'P1',
        calendar: '24x7',
        responseMinutes: 10,
        resolutionMinutes: 240,
      },
    ]);
    expect(read.reason).toBe('Contract variation 3');
  });

  it('refuses minutes that are not whole, out of range, a response longer than the resolution, an unknown calendar', () => {
    const read = readPolicyForm(
      {
        ...row('prison', 'P4', { responseMinutes: '1.5', resolutionMinutes: '14400' }),
        ...row('hospital', 'P1', { calendar: 'nope', responseMinutes: '300', resolutionMinutes: '240' }),
        ...row('hospital', 'P2', { responseMinutes: '0', resolutionMinutes: '600000' }),
      },
      current,
      ['24x7'],
    );
    expect(read.changes).toEqual([]);
    expect(read.problems.map((p) => p.field)).toEqual([
      'policy-hospital-P1-calendar',
      'policy-hospital-P1-response',
      'policy-hospital-P2-response',
      'policy-hospital-P2-resolution',
      'policy-prison-P4-response',
    ]);
    expect(read.problems[1].message).toBe('Hospital P1: Response must not be longer than resolution');
    expect(read.values['prison.P4.responseMinutes']).toBe('1.5');
  });

  it.each([
    ['', []],
    ['08:00-18:30', [{ open: '08:00', close: '18:30' }]],
    [
      '9:00 – 13:00, 14:00 to 17:00',
      [
        { open: '09:00', close: '13:00' },
        { open: '14:00', close: '17:00' },
      ],
    ],
    ['00:00-24:00', [{ open: '00:00', close: '24:00' }]],
    ['7am-8pm', null],
    ['18:00-08:00', null],
    ['24:00-24:00', null],
    ['08:00-25:00', null],
  ])('reads the day %j', (text, expected) => {
    expect(parseDay(text)).toEqual(expected);
  });

  it('reads a calendar, naming each bad day and a week that never opens', () => {
    const week = { mon: '08:00-18:30', tue: '', wed: '', thu: '', fri: '', sat: '', sun: '' };
    expect(readCalendarForm({ name: ' Core ', zone: '', bankHolidays: 'true', ...week })).toEqual({
      ok: true,
      calendar: {
        name: 'Core',
        zone: 'Europe/London',
        bankHolidays: true,
        week: { 1: [{ open: '08:00', close: '18:30' }], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] },
      },
    });
    expect(readCalendarForm({ name: 'X', ...week, mon: '' })).toMatchObject({
      ok: false,
      problems: [{ field: 'calendar-mon', message: expect.stringContaining('never opens') }],
    });
    expect(readCalendarForm({ name: '', zone: 'Mars/Olympus', ...week, sat: 'noon' })).toMatchObject({
      ok: false,
      problems: [{ field: 'calendar-name' }, { field: 'calendar-zone' }, { field: 'calendar-sat' }],
    });
  });

  it.each([
    ['13/06/2035', '2035-06-13'],
    ['1/1/2030', '2030-01-01'],
    ['2035-06-13', '2035-06-13'],
    ['31/02/2035', null],
    ['13/06/35', null],
    ['06-13-2035', null],
  ])('reads the date %j', (text, expected) => {
    expect(readDate(text)).toBe(expected);
  });
});
