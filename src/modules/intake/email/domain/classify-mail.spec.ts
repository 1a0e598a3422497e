import { ClassifyContext, MailKind, classifyMail } from './classify-mail';
import { buildInboundMail } from './inbound-mail.factory';

const ctx: ClassifyContext = {
  ourMessageIdDomain: 'rosedesk.local',
  loopStamp: 'servicedesk@rosedesk.local',
  intakeAddresses: ['servicedesk@rosedesk.local', 'Faults@RoseDesk.local'],
};

type Case = [
  name: string,
  mail: Parameters<typeof buildInboundMail>[0],
  kind: MailKind,
  reason: string | RegExp,
  outOfOffice?: boolean,
];

const cases: Case[] = [
  ['ordinary person-to-person mail', {}, 'human', 'no automation, bounce or loop signal'],
  [
    'Outlook sets X-Auto-Response-Suppress on ordinary mail: not a signal',
    { headers: { 'x-auto-response-suppress': 'All', 'x-ms-exchange-organization-authas': 'Internal' } },
    'human',
    /^no automation/,
  ],
  [
    'Auto-Submitted: no is a human statement',
    { headers: { 'auto-submitted': 'no' } },
    'human',
    /^no automation/,
  ],
  [
    'subject mentioning annual leave in passing',
    { subject: 'Annual leave system will not load' },
    'human',
    /^no/,
  ],
  ['subject "Out of office PCs"', { subject: 'Out of office PCs cannot print' }, 'human', /^no/],
  ['a reply to an OOO is not itself an OOO', { subject: 'Re: Out of Office' }, 'human', /^no/],

  // own mail
  [
    'our Message-ID domain',
    { messageId: 'INC-000123.4@RoseDesk.Local' },
    'own_mail',
    /Message-ID is in our domain/,
  ],
  [
    'our X-Loop stamp among several',
    { headers: { 'x-loop': ['other@example.com', 'ServiceDesk@rosedesk.local'] } },
    'own_mail',
    'X-Loop carries our stamp',
  ],
  [
    'From our intake address (forwarding loop)',
    { from: { address: 'faults@rosedesk.local', name: 'RoseDesk' } },
    'own_mail',
    'From is one of our intake addresses',
  ],
  [
    'own mail wins over bounce signals',
    { messageId: 'x@rosedesk.local', from: { address: 'MAILER-DAEMON@example.com', name: '' } },
    'own_mail',
    /our domain/,
  ],
  ['a subdomain is not our domain', { messageId: 'x@mail.rosedesk.local' }, 'human', /^no/],

  // bounces and reports
  [
    'DSN',
    {
      contentType: 'multipart/report; report-type=delivery-status',
      headers: { 'auto-submitted': 'auto-replied' },
    },
    'bounce',
    'Content-Type: multipart/report; report-type=delivery-status',
  ],
  [
    'MAILER-DAEMON sender',
    { from: { address: 'Mailer-Daemon@mx.example.com', name: '' } },
    'bounce',
    /MAILER-DAEMON/,
  ],
  ['postmaster sender', { from: { address: 'POSTMASTER@nhs.example', name: '' } }, 'bounce', /POSTMASTER/],
  [
    'Exim X-Failed-Recipients',
    { headers: { 'x-failed-recipients': 'gone@example.com' } },
    'bounce',
    /X-Failed/,
  ],
  [
    'ARF abuse report is automated, not a bounce',
    { contentType: 'multipart/report; report-type=feedback-report' },
    'automated',
    /ARF/,
  ],
  [
    'read receipt (MDN)',
    { contentType: 'multipart/report; report-type=disposition-notification' },
    'automated',
    'Content-Type: multipart/report; report-type=disposition-notification',
  ],

  // RFC 3834 and common autoresponders
  [
    'RFC 3834 vacation reply',
    {
      subject: 'Auto: Wireless down',
      headers: { 'auto-submitted': 'auto-replied; owner-email="jo@example.com"' },
    },
    'automated',
    'Auto-Submitted: auto-replied',
    false,
  ],
  [
    'Auto-Submitted: auto-generated',
    { headers: { 'auto-submitted': 'Auto-Generated' } },
    'automated',
    'Auto-Submitted: auto-generated',
  ],
  [
    'Exchange automatic reply',
    {
      subject: 'Automatic reply: [INC-000123] Wireless down',
      headers: { 'auto-submitted': 'auto-replied', 'x-auto-response-suppress': 'All' },
    },
    'automated',
    'Auto-Submitted: auto-replied',
    true,
  ],
  [
    'Exchange OOF with only the subject to go on',
    { subject: 'Out of Office: Wireless down' },
    'automated',
    'Subject starts with an out-of-office phrase ("Out of Office")',
    true,
  ],
  [
    'iCloud vacation',
    { headers: { 'x-apple-action': 'VACATION' } },
    'automated',
    'X-Apple-Action: VACATION',
    true,
  ],
  ['Precedence: bulk', { headers: { precedence: 'Bulk' } }, 'automated', 'Precedence: bulk'],
  ['Precedence: junk', { headers: { precedence: 'junk' } }, 'automated', 'Precedence: junk'],
  ['Precedence: list', { headers: { precedence: 'list' } }, 'automated', 'Precedence: list'],
  [
    'Precedence: auto_reply',
    { headers: { precedence: 'auto_reply' } },
    'automated',
    'Precedence: auto_reply',
  ],
  ['Precedence: first-class is not a signal', { headers: { precedence: 'first-class' } }, 'human', /^no/],
  ['X-Autoreply', { headers: { 'x-autoreply': 'yes' } }, 'automated', 'X-Autoreply header'],
  ['X-Autorespond', { headers: { 'x-autorespond': 'Thank you' } }, 'automated', 'X-Autorespond header'],
  ['X-Autoreply: no is not a signal', { headers: { 'x-autoreply': 'no' } }, 'human', /^no/],
  ['mailing list', { headers: { 'list-id': '<riak-users.lists.basho.com>' } }, 'automated', /List-Id/],
  [
    'newsletter',
    { headers: { 'list-unsubscribe': '<mailto:u@example.com>' } },
    'automated',
    /List-Unsubscribe/,
  ],
  [
    'null sender',
    { headers: { 'return-path': ['< >', '<jo@example.com>'] } },
    'automated',
    'Return-Path: <> (null sender)',
  ],
  [
    'only the topmost Return-Path counts',
    { headers: { 'return-path': ['<jo@example.com>', '<>'] } },
    'human',
    /^no/,
  ],
  [
    'Mimecast-style auto response',
    { subject: 'Auto Response: Re: [INC-000123] Wireless', headers: { 'auto-submitted': 'auto-generated' } },
    'automated',
    'Auto-Submitted: auto-generated',
    true,
  ],
];

const oooSubjects = [
  'Out of Office',
  'Out of the office until Monday',
  'Out of Office AutoReply: Wireless down',
  'Automatic reply: Re: [INC-000123] Wireless',
  'Auto reply: fault',
  'Auto-Reply - away',
  'Autoreply: fault',
  'AutoResponse',
  'Abwesenheitsnotiz: Störung',
  'Automatische Antwort: Störung',
  'Réponse automatique : panne',
  'Respuesta automática: avería',
  'Risposta automatica: guasto',
  'On leave until 5 May',
  'Annual leave',
  'Annual leave - back on the 12th',
  '[EXTERNAL] Automatic reply: Wireless',
];

describe('classifyMail', () => {
  it.each(cases)('%s', (_name, overrides, kind, reason, outOfOffice = false) => {
    const result = classifyMail(buildInboundMail(overrides), ctx);
    expect(result.kind).toBe(kind);
    if (typeof reason === 'string') expect(result.reason).toBe(reason);
    else expect(result.reason).toMatch(reason);
    expect(result.outOfOffice).toBe(outOfOffice);
  });

  it.each(oooSubjects)('out-of-office subject %j', (subject) => {
    expect(classifyMail(buildInboundMail({ subject }), ctx)).toMatchObject({
      kind: 'automated',
      outOfOffice: true,
    });
  });

  it('an empty loop stamp or domain never matches everything', () => {
    const loose: ClassifyContext = { ourMessageIdDomain: '', loopStamp: '', intakeAddresses: [] };
    expect(classifyMail(buildInboundMail({ headers: { 'x-loop': 'anything' } }), loose).kind).toBe('human');
  });

  it('copes with a mail that has no From, subject or headers', () => {
    const bare = buildInboundMail({ from: null, subject: '', messageId: null, contentType: 'text/plain' });
    expect(classifyMail(bare, ctx).kind).toBe('human');
  });
});
