import { classifyMail } from './classify-mail';
import { CORPUS_CLASSIFY_CONTEXT } from './corpus-expectations';
import { buildInboundMail } from './inbound-mail.factory';

const kindOf = (overrides: Parameters<typeof buildInboundMail>[0]) =>
  classifyMail(buildInboundMail(overrides), CORPUS_CLASSIFY_CONTEXT);

describe('automated mail without RFC 3834 headers', () => {
  it.each([
    ['X-Spam-Flag: YES', { headers: { 'x-spam-flag': 'YES' } }],
    ['X-Spam-Status: Yes', { headers: { 'x-spam-status': 'Yes, score=8.8 required=5.0' } }],
    ['a [SPAM] subject tag', { subject: '[SPAM] Cheap meds' }],
    ['a ***SPAM*** subject tag', { subject: '*****SPAM***** Cheap meds' }],
    [
      'a SpamAssassin report wrapper',
      { text: 'Spam detection software, running on the system "mx", has identified' },
    ],
    ['List-Post', { headers: { 'list-post': '<mailto:list@example.org>' } }],
    ['X-Mailman-Version', { headers: { 'x-mailman-version': '2.1.21' } }],
    ['X-Mailing-List', { headers: { 'x-mailing-list': 'linux-kernel@vger.kernel.org' } }],
    ['Sender: owner-…', { headers: { sender: 'owner-nhs-it@LISTSERV.EXAMPLE.AC.UK' } }],
    ['Sender: …-request', { headers: { sender: '<clinical-it-request@lists.example>' } }],
    ['Return-Path: …-bounces', { headers: { 'return-path': '<clinical-it-bounces@lists.example>' } }],
    [
      'a LISTSERV hop',
      {
        headers: {
          received: 'from LISTSERV.EXAMPLE.AC.UK by LISTSERV.EXAMPLE.AC.UK (LISTSERV-TCP/IP release 16.5)',
        },
      },
    ],
    ['X-Campaign', { headers: { 'x-campaign': 'mailchimp82ba5f25cf3d9826cda415d7c.f3f69a7688' } }],
    ['X-SG-EID', { headers: { 'x-sg-eid': 'abc' } }],
    ['X-JobID (a mailing job, MyPoints BonusMail)', { headers: { 'x-jobid': '107974' } }],
    [
      'a From at a list host (Yahoo! Groups, no List-* header)',
      { from: { address: 'InfoInternational@yahoogroups.com', name: 'Biju K Abraham' } },
    ],
    ['a Sender at a list host', { headers: { sender: '<nhs-it@googlegroups.com>' } }],
    [
      "a postmaster's notice relayed by a list",
      {
        from: { address: 'postmaster@minet.example', name: 'Content-filter' },
        headers: { 'x-mailman-version': '2.1.15' },
      },
    ],
  ])('%s is automated (recorded only)', (_what, overrides) => {
    expect(kindOf(overrides).kind).toBe('automated');
  });

  it.each([
    ['a noreply sender', { from: { address: 'noreply@invoices.example', name: 'Invoices' } }],
    ['a no-reply sender', { from: { address: 'no-reply@e.example.com', name: 'News' } }],
    ['a mailer sender', { from: { address: 'mailer@shop.example', name: 'Shop' } }],
    ['a bounce sender', { from: { address: 'bounce-123@mail.example', name: 'x' } }],
    ['a no-reply Return-Path', { headers: { 'return-path': '<noreply@bounce.billing.example>' } }],
    ['a Return-Path at a bounce host', { headers: { 'return-path': '<a1b2@bounce.billing.example>' } }],
    [
      'oracle@host with a JavaMail Message-ID',
      {
        from: { address: 'oracle@dbhost01.trust.example', name: '' },
        messageId: '395344347.0.1391053313086.JavaMail.oracle@dbhost01',
      },
    ],
    [
      'X-JIRA-FingerPrint',
      {
        subject: '[JIRA] (NET-12) Switch down',
        headers: { 'x-jira-fingerprint': '34ed612e0c4ee035f333de85b64c81ec' },
      },
    ],
    ['X-GitHub-Reason', { headers: { 'x-github-reason': 'subscribed' } }],
    [
      'X-Mailer: MIME::Lite',
      { headers: { 'x-mailer': 'MIME::Lite 3.030 (F2.85; T2.11; A2.14; B3.14; Q3.13)' } },
    ],
    ['Feedback-ID', { headers: { 'feedback-id': '1:campaign:ses' } }],
    ['a ship-confirm sender', { from: { address: 'ship-confirm@amazon.example', name: '' } }],
    ['an orders sender', { from: { address: 'orders@amazon.example', name: '' } }],
    ['a billing-notifications sender', { from: { address: 'billing-notifications@saas.example', name: '' } }],
  ])('%s is machine-sent (triage, never acknowledged)', (_what, overrides) => {
    expect(kindOf(overrides).kind).toBe('machine');
  });

  it.each([
    ['a person at a trust', {}],
    [
      'a person whose JavaMail client wrote the Message-ID',
      {
        from: { address: 'randy.dunlap@oracle.example', name: 'Randy' },
        messageId: '11832867.1210617383201.JavaMail.oracle@acsmt302.oracle.example',
      },
    ],
    ['a subject that merely mentions spam', { subject: 'Spam filter blocks the lab results' }],
    ['X-Spam-Flag: NO', { headers: { 'x-spam-flag': 'NO', 'x-spam-status': 'No, score=0.1' } }],
    ['a person named in Sender', { headers: { sender: 'Practice Manager <pm@nhs.example>' } }],
    [
      'a person whose name contains a token word',
      { from: { address: 'alerton.smith@nhs.example', name: '' } },
    ],
  ])('%s stays human', (_what, overrides) => {
    expect(kindOf(overrides).kind).toBe('human');
  });
});
