import fc from 'fast-check';
import { formatReference, parseReference, REFERENCE_PATTERN } from './incident-reference';

describe('formatReference', () => {
  it.each<[number | bigint | string, string]>([
    [1, 'INC-000001'],
    [123, 'INC-000123'],
    [999_999, 'INC-999999'],
    [1_000_000, 'INC-1000000'],
    [1_234_567, 'INC-1234567'],
    [123n, 'INC-000123'],
    [12_345_678_901n, 'INC-12345678901'],
    ['123', 'INC-000123'],
    ['000123', 'INC-000123'],
    ['1234567', 'INC-1234567'],
    ['9007199254740993', 'INC-9007199254740993'],
  ])('%p → %s', (seq, expected) => {
    expect(formatReference(seq)).toBe(expected);
  });

  it.each<number | bigint | string>([
    0,
    -1,
    1.5,
    Number.NaN,
    Number.MAX_SAFE_INTEGER + 1,
    0n,
    -5n,
    '',
    '0',
    '-1',
    '12a',
    '1e6',
    ' 12',
  ])('refuses %p', (seq) => {
    expect(() => formatReference(seq)).toThrow(RangeError);
  });
});

describe('parseReference', () => {
  it.each<[string, number | null]>([
    ['INC-000123', 123],
    ['inc-000123', 123],
    ['Inc-000123', 123],
    ['[INC-000123]', 123],
    ['[inc-000123]', 123],
    ['[ INC-000123 ]', 123],
    ['  INC-000123\n', 123],
    ['INC-1234567', 1_234_567],
    ['INC-000001', 1],
    ['INC-0001234567', 1_234_567],
    ['INC-123', null],
    ['INC-00123', null],
    ['INC-000000', null],
    ['INC000123', null],
    ['INC 000123', null],
    ['INC-000123a', null],
    ['XINC-000123', null],
    ['[INC-000123', null],
    ['INC-000123]', null],
    ['Re: [INC-000123] wifi down', null],
    ['INC-99999999999999999999', null],
    ['', null],
  ])('%j → %p', (input, expected) => {
    expect(parseReference(input)).toBe(expected);
  });

  it('inverts formatReference (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (seq) => {
        const reference = formatReference(seq);
        expect(reference).toMatch(/^INC-\d{6,}$/);
        expect(parseReference(reference)).toBe(seq);
        expect(parseReference(`[${reference.toLowerCase()}]`)).toBe(seq);
      }),
    );
  });
});

describe('REFERENCE_PATTERN', () => {
  const find = (text: string) => new RegExp(REFERENCE_PATTERN, 'i').exec(text)?.[1] ?? null;

  it.each<[string, string | null]>([
    ['Re: [INC-000123] Wireless down at Royal Preston', '000123'],
    ['RE:INC-1234567 update', '1234567'],
    ['fw: inc-000042', '000042'],
    ['XINC-000123', null],
    ['INC-12345 is too short', null],
    ['INC-000123abc', null],
    ['no reference here', null],
  ])('%j → %p', (text, digits) => {
    expect(find(text)).toBe(digits);
  });

  it('finds several with the g flag', () => {
    const text = '[INC-000001] merged into [INC-000002]';
    expect([...text.matchAll(new RegExp(REFERENCE_PATTERN, 'gi'))].map((m) => m[1])).toEqual([
      '000001',
      '000002',
    ]);
  });
});
