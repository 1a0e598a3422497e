import { badlyEncodedQuery, jsonNestsDeeperThan, scanInput, textProblem } from './text-input';

describe('textProblem', () => {
  it.each([
    ['plain text', null],
    ['emoji in a pair \ud83d\ude00 and accents é', null],
    ['tabs\tand\nline breaks', null],
  ])('takes %j', (text, expected) => {
    expect(textProblem(text)).toBe(expected);
  });

  it.each([
    ['a\u0000b', /NUL/],
    ['lone high \ud800 surrogate', /surrogate/],
    ['lone low \udc00 surrogate', /surrogate/],
    ['reversed pair \ude00\ud83d', /surrogate/],
    ['high at the end \ud83d', /surrogate/],
  ])('refuses %j', (text, reason) => {
    expect(textProblem(text)).toMatch(reason);
  });
});

describe('scanInput', () => {
  it('names every bad string by its field path, in objects and arrays at any depth', () => {
    const scan = scanInput({
      summary: 'ok',
      reporter: { name: 'Jo\u0000', email: 'jo@example.test' },
      list: ['fine', '\ud800'],
      deep: { a: { b: [{ c: 'x\u0000' }] } },
      n: 5,
      b: true,
      nil: null,
    });
    expect(scan.problems.map((p) => p.field)).toEqual(['reporter.name', 'list.1', 'deep.a.b.0.c']);
    expect(scan.values).toBe(15);
  });

  it('names the field given as prefix, and a bad top-level string as the body', () => {
    expect(scanInput('a\u0000', 'q').problems).toEqual([
      { field: 'q', reasons: [expect.stringMatching(/NUL/)] },
    ]);
    expect(scanInput('a\u0000').problems[0].field).toBe('(body)');
  });

  it('stops listing at the most problems asked for, and stops walking past the most values', () => {
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, '\u0000']));
    expect(scanInput(many, '', 100).problems).toHaveLength(100);
    expect(scanInput(many, '', 100, 50).values).toBe(500);
  });
});

describe('badlyEncodedQuery', () => {
  it('names the parameters whose value is not UTF-8 percent-encoding', () => {
    expect(
      badlyEncodedQuery('q=Pres%ED%A0%80&trust=CLN&x=%E0%A4%A&ok=caf%C3%A9&flag').map((p) => p.field),
    ).toEqual(['q', 'x']);
  });
});

describe('jsonNestsDeeperThan', () => {
  it.each([
    ['{"a":{"b":[1,2,{"c":3}]}}', 4, false],
    ['{"a":{"b":[1,2,{"c":3}]}}', 3, true],
    ['{"a":"[[[[[[[[[[{{{{{{{{"}', 2, false],
    ['{"a":"\\"[[[[[[["}', 1, false],
    [`${'['.repeat(5000)}${']'.repeat(5000)}`, 32, true],
    ['[[],[],[],[]]', 2, false],
  ])('%s nests deeper than %i: %s', (text, max, expected) => {
    expect(jsonNestsDeeperThan(text, max)).toBe(expected);
  });
});
