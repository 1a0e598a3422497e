import {
  EMPTY_FORM,
  impactFor,
  isEmailAddress,
  readReportForm,
  validateComment,
  validateReportForm,
  type ReportFormValues,
} from './report-form';

const good: ReportFormValues = {
  name: ' Dr Asha Patel ',
  email: 'Asha.Patel@nhs.net',
  phone: '07700 900123',
  trust: 'LCFT',
  q: '',
  site: '2001',
  service: 'wireless',
  affected: 'several',
  urgency: 'high',
  summary: 'No Wi-Fi\r\nin outpatients',
  description: 'Since 09:10.\r\nRebooted: no change.',
};

describe('readReportForm', () => {
  it('keeps strings, empties anything else, and drops control characters but not line breaks or markup', () => {
    const values = readReportForm({
      name: ['a', 'b'],
      email: { x: 1 },
      description: 'a\u0000b\tc\nd <b>',
      extra: 'ignored',
    });
    expect(values.name).toBe('');
    expect(values.email).toBe('');
    expect(values.description).toBe('ab\tc\nd <b>');
    expect(Object.keys(values)).not.toContain('extra');
    expect(readReportForm(null)).toEqual(EMPTY_FORM);
  });
});

describe('validateReportForm', () => {
  it('maps a valid form to a report: trimmed, phone in E.164, impact from how many people, one-line summary', () => {
    const result = validateReportForm(good);
    expect(result.errors).toEqual([]);
    expect(result.report).toEqual({
      name: 'Dr Asha Patel',
      email: 'Asha.Patel@nhs.net',
      phone: '+447700900123',
      trust: 'LCFT',
      siteCode: '2001',
      serviceCode: 'wireless',
      impact: 'several_users',
      urgency: 'high',
      summary: 'No Wi-Fi in outpatients',
      description: 'Since 09:10.\nRebooted: no change.',
    });
  });

  it('lists every problem in page order, marking malformed codes as unknown references', () => {
    const result = validateReportForm({
      ...EMPTY_FORM,
      email: 'nope',
      phone: 'call me',
      site: 'abc',
      service: 'no such',
      affected: 'all',
      summary: 'x'.repeat(201),
    });
    expect(result.report).toBeNull();
    expect(result.errors.map((e) => [e.field, e.unknownReference === true])).toEqual([
      ['name', false],
      ['email', false],
      ['phone', false],
      ['site', true],
      ['service', true],
      ['affected', false],
      ['urgency', false],
      ['summary', false],
      ['description', false],
    ]);
  });

  it('treats an empty phone and an empty trust as not given', () => {
    const result = validateReportForm({ ...good, phone: '  ', trust: '' });
    expect(result.report).toMatchObject({ phone: null, trust: null });
  });

  it('keeps markup as text', () => {
    const result = validateReportForm({ ...good, description: '<script>alert(1)</script>' });
    expect(result.report?.description).toBe('<script>alert(1)</script>');
  });
});

describe('impactFor', () => {
  it.each([
    ['whole_site', 'site_down'],
    ['several', 'several_users'],
    ['just_me', 'one_user'],
  ] as const)('%s → %s', (affected, impact) => {
    expect(impactFor(affected)).toBe(impact);
  });
});

describe('isEmailAddress', () => {
  it.each(['a@nhs.net', 'first.last+tag@lancashirecare.nhs.uk', 'x@example.test'])('accepts %s', (v) =>
    expect(isEmailAddress(v)).toBe(true),
  );
  it.each([
    '',
    'a',
    'a@b',
    '@nhs.net',
    'a b@nhs.net',
    'a@nhs.net>',
    'a@b@nhs.net',
    '"a"@nhs.net',
    'a@nhs..net',
  ])('refuses %s', (v) => expect(isEmailAddress(v)).toBe(false));
});

describe('validateComment', () => {
  it('trims, requires some text and caps the length', () => {
    expect(validateComment('  hello\r\nthere ')).toEqual({ body: 'hello\nthere', error: null });
    expect(validateComment('   ').error).toBe('Enter your comment');
    expect(validateComment(undefined).error).toBe('Enter your comment');
    expect(validateComment('x'.repeat(5001)).error).toMatch(/5,000 characters or fewer/);
  });
});
