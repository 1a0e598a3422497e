import { DEFAULT_PRIORITY_MATRIX, parsePriorityMatrix } from '../../incidents/domain/priority-matrix';
import { pickSite, readNewIncidentForm, readReportedAt, type FormContext } from './new-incident-form';

const now = new Date('2026-07-01T12:00:00Z');
const ctx: FormContext = {
  now,
  matrix: DEFAULT_PRIORITY_MATRIX,
  sites: [
    { code: '2001', name: 'Fulwood Health Centre' },
    { code: '2002', name: 'Fulwood Clinic' },
    { code: '3001', name: 'Royal Preston Hospital' },
  ],
  serviceCodes: ['lan', 'wireless'],
};
const good = {
  callerName: ' Dr Asha Patel ',
  callerEmail: 'Asha.Patel@NHS.example',
  callerPhone: '01772 123456',
  site: '2001 — Fulwood Health Centre',
  service: 'lan',
  impact: 'several_users',
  urgency: 'high',
  priority: '',
  priorityReason: '',
  summary: 'No network in the treatment rooms',
  description: 'Since 09:10.',
  reportedAt: '',
};

describe('the new-incident form', () => {
  it('reads a complete call: E.164 phone, lower-cased email, site by its listed label, no override', () => {
    const read = readNewIncidentForm(good, ctx);
    expect(read).toMatchObject({
      ok: true,
      call: {
        siteCode: '2001',
        serviceCode: 'lan',
        impact: 'several_users',
        urgency: 'high',
        reporter: { name: 'Dr Asha Patel', email: 'asha.patel@nhs.example', phone: '+441772123456' },
        reportedAt: null,
        override: null,
      },
    });
  });

  it('names every missing field by its input id, keeping what was typed', () => {
    const read = readNewIncidentForm({ summary: 'ab', description: ' ' }, ctx);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems.map((p) => p.field)).toEqual([
      'caller-name',
      'site',
      'service',
      'summary',
      'description',
      'impact-site_down',
      'urgency-high',
    ]);
    expect(read.problems.find((p) => p.field === 'summary')?.message).toBe(
      'The summary must be at least 3 characters',
    );
    expect(read.values.summary).toBe('ab');
  });

  it('takes a priority different from the matrix only with a reason; the matrix’s own is no override', () => {
    const missing = readNewIncidentForm({ ...good, priority: 'P1' }, ctx);
    expect(missing.ok).toBe(false);
    if (!missing.ok)
      expect(missing.problems).toEqual([
        { field: 'priority-reason', message: 'Enter why this is P1 rather than P2 (3 characters or more)' },
      ]);
    const given = readNewIncidentForm({ ...good, priority: 'P1', priorityReason: 'Theatre list' }, ctx);
    expect(given).toMatchObject({ ok: true, call: { override: { priority: 'P1', reason: 'Theatre list' } } });
    const same = readNewIncidentForm({ ...good, priority: 'P2' }, ctx);
    expect(same).toMatchObject({ ok: true, call: { override: null } });
  });

  it('decides the override against the configured matrix, not the default', () => {
    const allP4 = parsePriorityMatrix(
      JSON.stringify({
        site_down: { high: 'P4', medium: 'P4', low: 'P4' },
        several_users: { high: 'P4', medium: 'P4', low: 'P4' },
        one_user: { high: 'P4', medium: 'P4', low: 'P4' },
      }),
    );
    expect(readNewIncidentForm({ ...good, priority: 'P4' }, { ...ctx, matrix: allP4 })).toMatchObject({
      ok: true,
      call: { override: null },
    });
  });

  it.each([
    ['2001', { ok: true, code: '2001' }],
    ['3001 — Royal Preston Hospital', { ok: true, code: '3001' }],
    ['royal preston hospital', { ok: true, code: '3001' }],
    ['Preston', { ok: true, code: '3001' }],
    ['Fulwood', { ok: false, message: '2 sites match "Fulwood": choose one from the list or type its code' }],
    ['9999', { ok: false, message: 'There is no site with code 9999' }],
    ['Nowhere', { ok: false, message: 'No site is called "Nowhere": check the name or use its code' }],
    ['  ', { ok: false, message: "Enter the site's name or code" }],
  ])('picks the site from %j', (text, expected) => {
    expect(pickSite(text, ctx.sites)).toEqual(expected);
  });

  it('reads the time of the call on the desk clock (BST in summer), refusing the future and typos', () => {
    expect(readReportedAt('2026-07-01T09:30', now)).toEqual({
      ok: true,
      at: new Date('2026-07-01T08:30:00Z'),
    });
    expect(readReportedAt('2026-01-05 09:30', now)).toEqual({
      ok: true,
      at: new Date('2026-01-05T09:30:00Z'),
    });
    expect(readReportedAt('', now)).toEqual({ ok: true, at: null });
    expect(readReportedAt('2026-07-01T14:00', now)).toEqual({
      ok: false,
      message: 'The time of the call cannot be in the future',
    });
    expect(readReportedAt('1026-07-01T09:00', now)).toMatchObject({ ok: false });
    expect(readReportedAt('yesterday', now)).toMatchObject({ ok: false });
    expect(readReportedAt('2026-02-30T09:00', now)).toMatchObject({ ok: false });
  });
});
