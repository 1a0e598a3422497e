import { parseSupplierPatterns } from './supplier-patterns';

describe('parseSupplierPatterns', () => {
  it('treats an empty value as no patterns', () => {
    expect(parseSupplierPatterns('')).toEqual({ ok: true, patterns: [] });
  });

  it('reads supplier, pattern and domains', () => {
    const parsed = parseSupplierPatterns(
      '[{"supplier":"vmb","pattern":"VMB-(\\\\d{6})","domains":["vmb.example"]}]',
    );
    expect(parsed).toEqual({
      ok: true,
      patterns: [{ supplierCode: 'vmb', pattern: 'VMB-(\\d{6})', senderDomains: ['vmb.example'] }],
    });
  });

  it.each([
    ['not json', 'must be a JSON array'],
    ['{"supplier":"vmb"}', 'must be a JSON array'],
    ['[{"pattern":"x","domains":["a.b"]}]', 'entry 0: "supplier"'],
    ['[{"supplier":"vmb","pattern":"(","domains":["a.b"]}]', 'entry 0: "pattern" is not a valid'],
    ['[{"supplier":"vmb","pattern":"x","domains":[]}]', 'entry 0: "domains"'],
  ])('refuses %s', (json, message) => {
    const parsed = parseSupplierPatterns(json);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});
