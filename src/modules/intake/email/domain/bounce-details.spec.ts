import { simpleParser } from 'mailparser';

import { bounceDetails } from './bounce-details';
import { buildInboundMail } from './inbound-mail.factory';
import { parseCorpusMail, readCorpusFile } from './mail-corpus.testing';
import { bounceParts, toInboundMail } from './to-inbound-mail';

describe('bounceDetails on real DSNs', () => {
  it('Amazon SES (suppression list)', async () => {
    const { parsed, mail } = await parseCorpusMail('mailparser', 'mailparser-delivery-status.eml');
    expect(bounceDetails(mail, bounceParts(parsed))).toEqual({
      failedRecipients: ['xxxx@xxxx.com'],
      status: '5.1.1',
      referencedMessageIds: ['xxxxx@email.amazonses.com', 'xxxxxx@email.amazonses.com'],
      referencedIncidentRefs: [],
    });
  });

  it('Amazon SES parsed without keepDeliveryStatus: falls back to the text body', async () => {
    const parsed = await simpleParser(readCorpusFile('mailparser', 'mailparser-delivery-status.eml'));
    const details = bounceDetails(toInboundMail(parsed), bounceParts(parsed));
    expect(details.failedRecipients).toEqual(['xxxx@xxxx.com']);
    expect(details.status).toBe('5.1.1');
  });

  it('Postfix at Fastmail (Original- and Final-Recipient the same)', async () => {
    const { parsed, mail } = await parseCorpusMail('postal-mime', 'postal-mime-bounce.eml');
    expect(bounceDetails(mail, bounceParts(parsed))).toEqual({
      failedRecipients: ['htfgvhyufthdgcvhgjyfthgc@ethereal.email'],
      status: '5.0.0',
      referencedMessageIds: ['e85f1c9b-9b51-4028-8ec0-0a657155028e@app.fastmail.com'],
      referencedIncidentRefs: [],
    });
  });

  it('filters Message-IDs to our domain when asked', async () => {
    const { parsed, mail } = await parseCorpusMail('postal-mime', 'postal-mime-bounce.eml');
    expect(
      bounceDetails(mail, bounceParts(parsed), { ourMessageIdDomain: 'rosedesk.local' }).referencedMessageIds,
    ).toEqual([]);
  });
});

const ourDsnStatus = [
  'Reporting-MTA: dns; mx.nhs.example',
  'Arrival-Date: Wed, 1 Jun 2011 10:00:00 +0100',
  '',
  'Original-Recipient: rfc822;Jane.Smith@Old-Trust.nhs.example',
  'Final-Recipient: rfc822; <jane.smith@new-trust.nhs.example>',
  'Action: failed',
  'Status: 5.1.1 (user unknown)',
  'Diagnostic-Code: smtp; 550 5.1.1 unknown',
  '',
  'Final-Recipient: rfc822; slow@nhs.example',
  'Action: delayed',
  'Status: 4.4.7',
  '',
  'Final-Recipient: rfc822; fine@nhs.example',
  'Action: delivered',
  'Status: 2.0.0',
  '',
  'Final-Recipient: rfc822; gone@nhs.example',
  'Action: failed',
  'Status: 5.2.1',
].join('\r\n');

const ourReturnedHeaders = [
  'From: RoseDesk <servicedesk@rosedesk.local>',
  'To: jane.smith@old-trust.nhs.example',
  'Subject: [INC-000123] We have logged your fault',
  'Message-ID: <INC-000123.ack.1@RoseDesk.Local>',
  'In-Reply-To: <CAF=abc@mail.gmail.com>',
  'References: <CAF=abc@mail.gmail.com>',
  '\t<INC-000123.0@rosedesk.local>',
  '',
  'Your reference is INC-000123. See also INC-000124.',
].join('\r\n');

describe('bounceDetails on our own returned mail', () => {
  const mail = buildInboundMail({
    from: { address: 'postmaster@nhs.example', name: 'Mail Delivery System' },
    subject: 'Undeliverable: [INC-000123] We have logged your fault',
    contentType: 'multipart/report; report-type=delivery-status',
  });

  it('lists only failed recipients (original and final), the first status, our ids and references', () => {
    expect(
      bounceDetails(
        mail,
        { deliveryStatus: ourDsnStatus, returnedMessage: ourReturnedHeaders },
        { ourMessageIdDomain: 'RoseDesk.local' },
      ),
    ).toEqual({
      failedRecipients: [
        'jane.smith@old-trust.nhs.example',
        'jane.smith@new-trust.nhs.example',
        'gone@nhs.example',
      ],
      status: '5.1.1',
      referencedMessageIds: ['INC-000123.ack.1@rosedesk.local', 'INC-000123.0@rosedesk.local'],
      referencedIncidentRefs: ['INC-000123', 'INC-000124'],
    });
  });

  it('without a filter returns every id of the returned original', () => {
    expect(bounceDetails(mail, { returnedMessage: ourReturnedHeaders }).referencedMessageIds).toEqual([
      'INC-000123.ack.1@rosedesk.local',
      'CAF=abc@mail.gmail.com',
      'INC-000123.0@rosedesk.local',
    ]);
  });

  it('uses X-Failed-Recipients when there is no status part (Exim)', () => {
    const exim = buildInboundMail({
      headers: { 'x-failed-recipients': 'Gone@NHS.example, other@nhs.example' },
      text: 'This message was created automatically by mail delivery software.',
    });
    expect(bounceDetails(exim)).toEqual({
      failedRecipients: ['gone@nhs.example', 'other@nhs.example'],
      status: null,
      referencedMessageIds: [],
      referencedIncidentRefs: [],
    });
  });

  it('finds a reference in the bounce subject when nothing was returned', () => {
    expect(bounceDetails(mail).referencedIncidentRefs).toEqual(['INC-000123']);
  });

  it('handles folded status fields and recipients without an Action', () => {
    const folded = 'Final-Recipient: rfc822;\r\n  folded@nhs.example\r\nStatus: 5.7.1\r\n';
    expect(bounceDetails(buildInboundMail(), { deliveryStatus: folded })).toMatchObject({
      failedRecipients: ['folded@nhs.example'],
      status: '5.7.1',
    });
  });
});
