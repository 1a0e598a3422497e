import { buildInboundMail } from './inbound-mail.factory';
import {
  ThreadContext,
  ThreadIncident,
  replyEffect,
  supplierReferenceKey,
  supplierReferencesIn,
  threadMail,
} from './thread-mail';

const incident = (overrides: Partial<ThreadIncident> = {}): ThreadIncident => ({
  reporterEmail: 'Jane.Smith@example.nhs.uk',
  copiedEmails: ['practice.manager@example.nhs.uk'],
  supplierEmails: ['noc@vmb.example'],
  status: 'in_progress',
  resolvedAt: null,
  closedAt: null,
  ...overrides,
});

const ctx = (overrides: Partial<ThreadContext> = {}): ThreadContext => ({
  ourMessageIdDomain: 'rosedesk.local',
  incidentsByMessageId: new Map([
    ['<INC-000123.ack@RoseDesk.local>', 'INC-000123'],
    ['first-inbound@example.nhs.uk', 'INC-000456'],
  ]),
  incidents: new Map([
    ['INC-000123', incident()],
    ['INC-000456', incident({ reporterEmail: 'other@example.nhs.uk', copiedEmails: [], supplierEmails: [] })],
  ]),
  agentEmails: new Set(['agent.one@rosedesk.local']),
  supplierPatterns: [
    { supplierCode: 'VMB', pattern: '\\bVMB-(\\d{5,})\\b', senderDomains: ['vmb.example'] },
    { supplierCode: 'BROKEN', pattern: '([', senderDomains: ['broken.example'] },
  ],
  incidentsBySupplierReference: new Map([[supplierReferenceKey('VMB', '55555'), 'INC-000789']]),
  senderVerified: true,
  ...overrides,
});

const from = (address: string) => ({ address, name: '' });

describe('threadMail', () => {
  it('threads on our Message-ID in In-Reply-To, whoever sends it', () => {
    const mail = buildInboundMail({
      inReplyTo: ['INC-000123.ack@rosedesk.local'],
      from: from('stranger@x.example'),
    });
    expect(threadMail(mail, ctx())).toEqual({ kind: 'existing', reference: 'INC-000123', by: 'message-id' });
  });

  it('searches References newest first and prefers our domain', () => {
    const mail = buildInboundMail({
      references: ['first-inbound@example.nhs.uk', 'INC-000123.ack@rosedesk.local', 'unknown@rosedesk.local'],
    });
    expect(threadMail(mail, ctx())).toMatchObject({ reference: 'INC-000123', by: 'message-id' });
  });

  it('falls back to a recorded inbound Message-ID', () => {
    const mail = buildInboundMail({ references: ['first-inbound@example.nhs.uk'] });
    expect(threadMail(mail, ctx())).toMatchObject({ reference: 'INC-000456', by: 'message-id' });
  });

  it.each([
    ['the reporter (any case)', 'JANE.SMITH@example.nhs.uk'],
    ['a copied address', 'practice.manager@example.nhs.uk'],
    ['an agent', 'Agent.One@rosedesk.local'],
    ['the incident’s supplier', 'noc@vmb.example'],
  ])('threads on a subject reference from %s', (_who, address) => {
    const mail = buildInboundMail({ subject: 'RE: [INC-000123] Wireless down', from: from(address) });
    expect(threadMail(mail, ctx())).toEqual({
      kind: 'existing',
      reference: 'INC-000123',
      by: 'subject-reference',
    });
  });

  it.each([
    ['an agent', 'Agent.One@rosedesk.local'],
    ['the incident’s supplier', 'noc@vmb.example'],
  ])(
    'an unverified sender with the address of %s is a stranger to the subject reference',
    (_who, address) => {
      const mail = buildInboundMail({ subject: 'RE: [INC-000123] Wireless down', from: from(address) });
      expect(threadMail(mail, ctx({ senderVerified: false }))).toEqual({
        kind: 'new',
        reason:
          'subject quotes INC-000123 but the sender is not the reporter or a copied address, and its address (an agent’s or the incident’s supplier’s) is not verified by the mail relay',
      });
    },
  );

  it('an unverified sender from a supplier domain does not thread on the supplier’s reference', () => {
    const mail = buildInboundMail({ subject: 'Update on VMB-55555', from: from('noc@vmb.example') });
    expect(threadMail(mail, ctx({ senderVerified: false }))).toMatchObject({ kind: 'new' });
  });

  it('the reporter threads on a subject reference whether or not the relay verified them', () => {
    const mail = buildInboundMail({ subject: 'RE: [INC-000123] Wireless down' });
    expect(threadMail(mail, ctx({ senderVerified: false }))).toMatchObject({ kind: 'existing' });
  });

  it('a stranger quoting a reference gets a new incident, with the reason', () => {
    const mail = buildInboundMail({
      subject: 'Re: [INC-000123] Wireless down',
      from: from('stranger@x.example'),
    });
    expect(threadMail(mail, ctx())).toEqual({
      kind: 'new',
      reason:
        'subject quotes INC-000123 but the sender is not the reporter, a copied address, an agent or the incident’s supplier',
    });
  });

  it('a mail with no sender cannot use a subject reference', () => {
    const mail = buildInboundMail({ subject: '[INC-000123]', from: null });
    expect(threadMail(mail, ctx())).toEqual({
      kind: 'new',
      reason: 'subject quotes INC-000123 but the mail has no sender address',
    });
  });

  it('takes the first quoted reference the sender may use', () => {
    const mail = buildInboundMail({
      subject: 'INC-000456 and [INC-000123]',
      from: from('other@example.nhs.uk'),
    });
    expect(threadMail(mail, ctx())).toMatchObject({ reference: 'INC-000456', by: 'subject-reference' });
  });

  it('an unknown subject reference gives a new incident', () => {
    const mail = buildInboundMail({ subject: '[INC-999999] hello' });
    expect(threadMail(mail, ctx())).toEqual({
      kind: 'new',
      reason: 'subject reference INC-999999 is not a known incident',
    });
  });

  it('threads a supplier update on their own reference, from their domain or a subdomain', () => {
    for (const address of ['noc@vmb.example', 'engineer@field.vmb.example']) {
      const mail = buildInboundMail({ subject: 'Update on VMB-55555', from: from(address) });
      expect(threadMail(mail, ctx())).toEqual({
        kind: 'existing',
        reference: 'INC-000789',
        by: 'supplier-reference',
      });
    }
    const inBody = buildInboundMail({
      subject: 'Fault update',
      text: 'Our ref vmb-55555: engineer on site',
      from: from('noc@vmb.example'),
    });
    expect(threadMail(inBody, ctx())).toMatchObject({ reference: 'INC-000789' });
  });

  it('ignores a supplier reference from anyone else, and a broken pattern', () => {
    const spoof = buildInboundMail({ subject: 'VMB-55555', from: from('noc@vmb.example.evil.com') });
    expect(threadMail(spoof, ctx())).toEqual({
      kind: 'new',
      reason: 'no known Message-ID or reference to thread on',
    });
    const broken = buildInboundMail({ subject: 'VMB-55555', from: from('x@broken.example') });
    expect(threadMail(broken, ctx()).kind).toBe('new');
  });

  it('a supplier reference still threads when the quoted INC reference was refused', () => {
    const mail = buildInboundMail({
      subject: '[INC-000456] VMB-55555',
      from: from('new.engineer@vmb.example'),
    });
    expect(threadMail(mail, ctx())).toMatchObject({ reference: 'INC-000789', by: 'supplier-reference' });
  });

  it('everything else is new', () => {
    expect(threadMail(buildInboundMail(), ctx())).toEqual({
      kind: 'new',
      reason: 'no known Message-ID or reference to thread on',
    });
  });
});

describe('replyEffect', () => {
  const resolvedAt = new Date('2011-06-01T10:00:00Z');
  const at = (minutes: number) => new Date(resolvedAt.getTime() + minutes * 60_000);
  it.each<[string, Date | null, number, ReturnType<typeof replyEffect>]>([
    ['new', null, 0, 'append'],
    ['assigned', null, 0, 'append'],
    ['in_progress', null, 0, 'append'],
    ['awaiting_caller', null, 0, 'append'],
    ['on_hold', null, 0, 'append'],
    ['resolved', resolvedAt, 60, 'reopen'],
    ['resolved', resolvedAt, 7 * 24 * 60, 'reopen'],
    ['resolved', resolvedAt, 7 * 24 * 60 + 1, 'new_linked'],
    ['resolved', resolvedAt, -5, 'reopen'],
    ['resolved', null, 1, 'new_linked'],
    ['closed', resolvedAt, 1, 'new_linked'],
    ['cancelled', null, 1, 'new_linked'],
  ])('%s (resolved %s, reply %d min later) → %s', (status, resolved, minutesLater, expected) => {
    expect(replyEffect(status, resolved, 7 * 24 * 60, at(minutesLater))).toBe(expected);
  });

  it('a zero window never reopens after the instant of resolution', () => {
    expect(replyEffect('resolved', resolvedAt, 0, at(0))).toBe('reopen');
    expect(replyEffect('resolved', resolvedAt, 0, at(1))).toBe('new_linked');
  });
});

describe('supplierReferencesIn', () => {
  const patterns = [
    { supplierCode: 'VMB', pattern: '\\bVMB-(\\d{5,})\\b', senderDomains: ['@VMB.example '] },
    { supplierCode: 'IMJ', pattern: 'IMJ\\d{4}', senderDomains: ['imerja.example'] },
    { supplierCode: 'BROKEN', pattern: '([', senderDomains: ['vmb.example'] },
  ];
  const mail = (sender: string, subject: string, text = '') =>
    buildInboundMail({ subject, text, from: from(sender) });

  it('reads each supplier pattern of the sender’s domain (or a subdomain), subject first, the group when there is one', () => {
    const m = mail('noc@ops.vmb.example', 'VMB-12345 update', 'see also VMB-67890 and IMJ1234');
    expect(supplierReferencesIn(m, 'noc@ops.vmb.example', patterns)).toEqual([
      { supplierCode: 'VMB', reference: '12345' },
      { supplierCode: 'VMB', reference: '67890' },
    ]);
    const imerja = mail('desk@imerja.example', 'Ticket IMJ0042', '');
    expect(supplierReferencesIn(imerja, 'desk@imerja.example', patterns)).toEqual([
      { supplierCode: 'IMJ', reference: 'IMJ0042' },
    ]);
  });

  it('reads nothing for an unknown sender, a look-alike domain, no sender, or a pattern that does not compile', () => {
    const m = mail('x@notvmb.example', 'VMB-12345', '');
    expect(supplierReferencesIn(m, 'x@notvmb.example', patterns)).toEqual([]);
    expect(supplierReferencesIn(m, null, patterns)).toEqual([]);
    expect(supplierReferencesIn(m, 'x@vmb.example', [patterns[2]])).toEqual([]);
  });

  it('takes each reference once and 20 at the most', () => {
    const many = Array.from({ length: 30 }, (_, k) => `VMB-${10000 + k}`).join(' ');
    const m = mail('noc@vmb.example', 'VMB-10000', many);
    const refs = supplierReferencesIn(m, 'noc@vmb.example', patterns);
    expect(refs).toHaveLength(20);
    expect(new Set(refs.map((r) => r.reference)).size).toBe(20);
    expect(refs[0]).toEqual({ supplierCode: 'VMB', reference: '10000' });
  });
});
