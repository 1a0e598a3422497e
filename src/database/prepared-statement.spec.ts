import { wireName } from './prepared-statement';

describe('wireName', () => {
  it('keeps a name that fits in 63 bytes', () => {
    const name = 'incident_counts_0123456789abcdef0123';
    expect(wireName(name)).toBe(name);
    expect(wireName('x'.repeat(63))).toBe('x'.repeat(63));
  });

  it('gives two long names alike in their first 63 bytes different names of at most 63 bytes', () => {
    const base = 'incident_create:console,escalation,on_call,phone,sla+inbound_fin';
    const a = wireName(`${base}ish`);
    const b = wireName(`${base}ished`);
    expect(a).not.toBe(b);
    for (const n of [a, b]) expect(Buffer.byteLength(n)).toBeLessThanOrEqual(63);
    expect(a.startsWith('incident_create:console,escalation,on_call,ph')).toBe(true);
  });

  it('sends a long name as its first 46 characters, a tilde and 16 hex digits of its hash', () => {
    const name = `incident_create:${'participant,'.repeat(8)}`;
    const sent = wireName(name);
    expect(sent).toMatch(/^.{46}~[0-9a-f]{16}$/);
    expect(sent.slice(0, 46)).toBe(name.slice(0, 46));
    expect(wireName(`${name}x`)).not.toBe(sent);
  });
});
