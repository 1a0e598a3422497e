import { parseSupplierPatterns, supplierPatternsFor } from './supplier-patterns';

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

describe('supplierPatternsFor', () => {
  const configured = [
    { supplierCode: 'VMB', pattern: 'VMB-(\\d{6})', senderDomains: ['vmb.example'] },
    { supplierCode: 'other', pattern: 'OT-\\d+', senderDomains: ['other.example'] },
  ];

  it.each([
    [
      'a stored pattern wins over the configured one; domains are the configured and the addresses ones',
      [
        {
          supplierCode: 'vmb',
          pattern: 'VM-(\\d{4})',
          addresses: ['desk@noc.vmb.example', 'esc@vmbmail.test'],
        },
      ],
      [
        {
          supplierCode: 'vmb',
          pattern: 'VM-(\\d{4})',
          senderDomains: ['vmb.example', 'noc.vmb.example', 'vmbmail.test'],
        },
        configured[1],
      ],
    ],
    [
      'no stored pattern: the configured one is the default',
      [{ supplierCode: 'vmb', pattern: null, addresses: ['desk@vmb.example'] }],
      [{ supplierCode: 'vmb', pattern: 'VMB-(\\d{6})', senderDomains: ['vmb.example'] }, configured[1]],
    ],
    [
      'a stored pattern with nothing configured: the addresses give the domains',
      [{ supplierCode: 'imerja', pattern: 'IMJ\\d+', addresses: ['noc@imerja.example'] }],
      [{ supplierCode: 'imerja', pattern: 'IMJ\\d+', senderDomains: ['imerja.example'] }, ...configured],
    ],
    [
      'neither stored nor configured, or no domain at all: nothing',
      [
        { supplierCode: 'imerja', pattern: null, addresses: ['noc@imerja.example'] },
        { supplierCode: 'nodomain', pattern: 'X\\d+', addresses: ['local'] },
      ],
      configured,
    ],
  ])('%s', (_, stored, expected) => {
    expect(supplierPatternsFor(stored, configured)).toEqual(expected);
  });
});
