import { simpleParser } from 'mailparser';

import { headerValue, headerValues } from './inbound-mail';
import { parseCorpusMail, readCorpusFile } from './mail-corpus.testing';
import { bounceParts, toInboundMail } from './to-inbound-mail';

describe('toInboundMail (real corpus through simpleParser)', () => {
  it('maps a simple message with defaults filled in', async () => {
    const { mail } = await parseCorpusMail('mailparser', 'mailparser-simple.eml');
    expect(mail).toEqual({
      messageId: null,
      inReplyTo: [],
      references: [],
      from: { address: 'andris@kreata.ee', name: '' },
      to: expect.any(Array),
      cc: [],
      replyTo: [],
      subject: 'test',
      date: new Date('2017-01-08T18:37:44.000Z'),
      text: 'Hello world!\n',
      html: null,
      headers: expect.any(Map),
      contentType: 'text/plain',
      attachments: [],
    });
    expect(headerValue(mail, 'Subject')).toBe('test');
  });

  it('keeps the root content type with report-type but without the boundary', async () => {
    const { mail } = await parseCorpusMail('mailparser', 'mailparser-delivery-status.eml');
    expect(mail.contentType).toBe('multipart/report; report-type=delivery-status');
    expect(mail.messageId).toBe('xxxxxxxxxxx@email.amazonses.com');
    expect(mail.from).toEqual({ address: 'MAILER-DAEMON@amazonses.com', name: '' });
    expect(mail.attachments.map((a) => a.contentType)).toEqual(['message/delivery-status', 'message/rfc822']);
  });

  it('collects repeated headers topmost first, unfolded and raw', async () => {
    const { mail } = await parseCorpusMail('mailparser', 'mailparser-sparrow.eml');
    expect(headerValues(mail, 'return-path')).toEqual([
      '<andris+caf_=andris.reinman=gmail.com@node.ee>',
      '<mailer@node.ee>',
      '<mailer@node.ee>',
    ]);
    expect(headerValue(mail, 'subject')).toBe('Tere =?utf-8?Q?=C3=B6=C3=A4=C3=B5=C3=BC?=');
    expect(mail.subject).toBe('Tere öäõü');
    expect(headerValues(mail, 'received').every((v) => !/[\r\n]/.test(v))).toBe(true);
  });

  it('decodes subjects and attachment names, keeps inline related parts', async () => {
    const { mail } = await parseCorpusMail('mailparser', 'mailparser-nodemailer.eml');
    expect(mail.subject).toContain('✔');
    expect(mail.messageId).toBe('012d606e-3550-2d94-b566-6cd996de88e3@kreata.ee');
    const nyan = mail.attachments.find((a) => a.filename === 'nyan cat ✔.gif');
    expect(nyan).toMatchObject({ contentType: 'image/gif', contentId: '<nyan@example.com>', related: true });
    expect(mail.attachments.find((a) => a.filename === 'notes.txt')).toMatchObject({ related: false });
    expect(mail.html).toContain('<');
  });

  it('takes the first of two From mailboxes and lists Cc', async () => {
    const two = await parseCorpusMail('mailparser', 'mailparser-mail.eml');
    expect(two.mail.from?.address).toBe('andris.reinman@gmail.com');
    const cc = await parseCorpusMail('mailparser', 'mailparser-test.eml');
    expect(cc.mail.cc.length).toBeGreaterThan(0);
  });

  it('copes with no headers at all and with an attachment-only root', async () => {
    const mixed = await parseCorpusMail('mailparser', 'mailparser-mixed.eml');
    expect(mixed.mail).toMatchObject({ from: null, subject: '', date: null, messageId: null });
    expect(mixed.mail.text).toContain('Good Morning;');
    const root = await parseCorpusMail('mailparser', 'mailparser-base64encodedroot.eml');
    expect(root.mail.contentType).toBe('image/png; name=screenshot.png');
    expect(root.mail.attachments).toEqual([
      { filename: 'screenshot.png', contentType: 'image/png', size: 425, contentId: null, related: false },
    ]);
  });

  it('normalises In-Reply-To and References', async () => {
    const raw = [
      'From: a@example.com',
      'Message-ID: <Reply.1@Example.COM>',
      'In-Reply-To: <INC-000123.2@RoseDesk.Local>',
      'References: <first@x.example>',
      ' <INC-000123.2@RoseDesk.Local>',
      'Subject: Re: [INC-000123] Wireless',
      '',
      'Still down.',
      '',
    ].join('\r\n');
    const mail = toInboundMail(await simpleParser(raw));
    expect(mail.messageId).toBe('Reply.1@example.com');
    expect(mail.inReplyTo).toEqual(['INC-000123.2@rosedesk.local']);
    expect(mail.references).toEqual(['first@x.example', 'INC-000123.2@rosedesk.local']);
  });
});

describe('bounceParts', () => {
  it('returns the delivery-status text and the returned original of a DSN', async () => {
    const { parsed } = await parseCorpusMail('postal-mime', 'postal-mime-bounce.eml');
    const parts = bounceParts(parsed);
    expect(parts.deliveryStatus).toContain(
      'Final-Recipient: rfc822; htfgvhyufthdgcvhgjyfthgc@ethereal.email',
    );
    expect(parts.returnedMessage).toContain('Subject: Proovikiri');
    expect(parts.feedbackReport).toBeNull();
  });

  it('without keepDeliveryStatus mailparser folds the status into text and no part is returned', async () => {
    const parsed = await simpleParser(readCorpusFile('mailparser', 'mailparser-delivery-status.eml'));
    expect(bounceParts(parsed).deliveryStatus).toBeNull();
    expect(parsed.text).toContain('Final-Recipient: rfc822; xxxx@xxxx.com');
  });

  it('returns the ARF feedback report', async () => {
    const { parsed } = await parseCorpusMail('postal-mime', 'postal-mime-arf.eml');
    expect(bounceParts(parsed).feedbackReport).toContain('Feedback-Type: abuse');
  });
});
