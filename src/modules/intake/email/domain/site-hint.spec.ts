import { siteCodeFromText, trustFromDomain } from './site-hint';

describe('siteCodeFromText', () => {
  it.each<[string, string, string | null]>([
    ['SITE 1234 wireless down', '', '1234'],
    ['Wireless down', 'Site code: 0456\nThanks', '0456'],
    ['Wireless down', 'we are site 123, ward 5', '123'],
    ['Wireless down', 'Site #98765 is out', '98765'],
    ['Wireless down', 'site no. 4321', '4321'],
    ['Wireless down', 'Site number 2345', '2345'],
    ['Wireless down', 'site:7777', '7777'],
    ['Site 1111', 'Site code: 2222', '1111'],
    ['', 'site 12 and then site 3456', '3456'],
    ['', 'site 123456 is a phone number', null],
    ['', 'the website 1234 is down', null],
    ['', 'no site here, call 01772 123456', null],
    ['', '', null],
  ])('%j / %j → %j', (subject, body, expected) => {
    expect(siteCodeFromText(subject, body)).toBe(expected);
  });
});

describe('trustFromDomain', () => {
  const domains = {
    'lancashirecare.nhs.uk': 'RW5',
    'Blackpool.NHS.uk': 'PCT-BPL',
    'nhs.net': 'SHOULD-NOT-BE-HERE',
  } as const;

  it.each<[string, string | null]>([
    ['jane@lancashirecare.nhs.uk', 'RW5'],
    ['Jane@LancashireCare.NHS.uk', 'RW5'],
    ['jane@ward5.lancashirecare.nhs.uk', 'RW5'],
    ['jo@blackpool.nhs.uk', 'PCT-BPL'],
    ['jo@evil-lancashirecare.nhs.uk', null],
    ['jo@nhs.uk', null],
    ['no-at-sign', null],
    ['', null],
  ])('%j → %j', (address, expected) => {
    const { 'nhs.net': _shared, ...map } = domains;
    expect(trustFromDomain(address, map)).toBe(expected);
  });

  it('an exact match wins over a parent', () => {
    expect(trustFromDomain('a@x.trust.nhs.uk', { 'trust.nhs.uk': 'A', 'x.trust.nhs.uk': 'B' })).toBe('B');
  });
});
