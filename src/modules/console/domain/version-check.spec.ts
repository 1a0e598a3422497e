import { countsAsChange, newerThan, readSeen } from './version-check';

describe('version check', () => {
  it('reads the version and the newest entry a form was filled in against', () => {
    expect(readSeen({ version: '3', seen: '120' })).toEqual({ ok: true, seen: { version: 3, event: '120' } });
    expect(readSeen({ body: 'x' })).toEqual({ ok: true, seen: null });
  });

  it.each([
    [{ version: '3' }, ['seen']],
    [{ version: 'x', seen: '1' }, ['version']],
    [{ version: ['1', '2'], seen: '1' }, ['version']],
    [{ version: '1', seen: '-5' }, ['seen']],
    [{ version: '1', seen: '9'.repeat(40) }, ['seen']],
  ])('refuses %j', (body, fields) => {
    const read = readSeen(body);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problems.map((p) => p.field)).toEqual(fields);
  });

  it("does not count the SLA engine's own entries as someone's change", () => {
    expect(countsAsChange({ event: 'sla_warning' })).toBe(false);
    expect(countsAsChange({ event: 'status_changed' })).toBe(true);
    expect(countsAsChange({ event: null })).toBe(true);
  });

  it('compares entry ids as numbers', () => {
    expect(newerThan('10', '9')).toBe(true);
    expect(newerThan('9', '10')).toBe(false);
    expect(newerThan('9007199254740993', '9007199254740992')).toBe(true);
  });
});
