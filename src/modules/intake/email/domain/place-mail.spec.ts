import { copiedAddresses, placeMail, type SiteFacts } from './place-mail';

const none: SiteFacts = { textCode: null, textCodeKnown: false, contactSite: null, domainTrust: null };

describe('placeMail', () => {
  it('takes a known site code from the text before the contact’s usual site', () => {
    expect(placeMail({ ...none, textCode: '2003', textCodeKnown: true, contactSite: '2001' })).toMatchObject({
      placed: true,
      siteCode: '2003',
      by: 'text',
    });
  });

  it('falls back to the contact’s usual site, saying when a written code was unknown', () => {
    const placed = placeMail({ ...none, textCode: '9876', textCodeKnown: false, contactSite: '2001' });
    expect(placed).toMatchObject({ placed: true, siteCode: '2001', by: 'contact' });
    expect(placed.reason).toContain('9876');
  });

  it('uses the domain’s trust only when it has exactly one site', () => {
    expect(placeMail({ ...none, domainTrust: { code: 'BWD', siteCodes: ['2001'] } })).toMatchObject({
      placed: true,
      siteCode: '2001',
      by: 'domain',
    });
    expect(placeMail({ ...none, domainTrust: { code: 'BWD', siteCodes: ['2001', '2002'] } })).toMatchObject({
      placed: false,
      trustHint: 'BWD',
    });
  });

  it('needs triage when nothing places it', () => {
    expect(placeMail(none)).toMatchObject({ placed: false, trustHint: null });
  });
});

describe('copiedAddresses', () => {
  const options = { deskAddresses: ['ServiceDesk@rosedesk.local'], sender: 'jane@nhs.example', limit: 3 };

  it('keeps To and Cc less the desk, the sender, no-reply and duplicates, lower-cased', () => {
    expect(
      copiedAddresses(
        ['servicedesk@rosedesk.local', 'Bob@NHS.example'],
        ['jane@nhs.example', 'bob@nhs.example', 'noreply@x.example', 'not an address'],
        options,
      ),
    ).toEqual({
      addresses: ['bob@nhs.example'],
      dropped: 0,
    });
  });

  it('caps the list', () => {
    const many = Array.from({ length: 500 }, (_, i) => `person${i}@nhs.example`);
    expect(copiedAddresses(many, [], options)).toEqual({ addresses: many.slice(0, 3), dropped: 497 });
  });
});
