import { referencesInSubject, referencesInText } from './incident-reference';

describe('referencesInSubject', () => {
  it.each<[string, string[]]>([
    ['Re: [INC-000123] Wireless down', ['INC-000123']],
    ['RE: inc-000123 still broken', ['INC-000123']],
    ['Re: INC-000999 and [INC-000123]', ['INC-000123', 'INC-000999']],
    ['[INC-0001234] seven digits', ['INC-0001234']],
    ['[ INC-000123 ] spaced', ['INC-000123']],
    ['INC-12345 too short', []],
    ['XINC-000123 or INC-000123abc are not references', []],
    ['INC-000123, INC-000123 again', ['INC-000123']],
    ['', []],
  ])('%j → %j', (subject, expected) => {
    expect(referencesInSubject(subject)).toEqual(expected);
  });
});

describe('referencesInText', () => {
  it('finds references across lines in order', () => {
    expect(referencesInText('Subject: Re: [INC-000200]\n\nsee also inc-000100.')).toEqual([
      'INC-000200',
      'INC-000100',
    ]);
  });
});
