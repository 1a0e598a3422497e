import { ClassifyContext, MailKind } from './classify-mail';
import { DedupeKey } from './normalise-message-id';

/**
 * What the intake pipeline must decide for every real-world message in `test/data/mail/` (the
 * developer corpus), as data, so that unit tests (`corpus.spec.ts`) and the SMTP integration test can
 * share one table. Kept in step with CORPUS.md (a spec checks that they agree).
 */
export interface CorpusExpectation {
  folder: (typeof CORPUS_FOLDERS)[number];
  file: string;
  kind: MailKind;
  reason: string;
  outOfOffice: boolean;
  /** Which idempotency key the message gets. */
  dedupe: DedupeKey['kind'];
  /** For bounces: the addresses `bounceDetails` reports as failed. */
  failedRecipients?: readonly string[];
  /** Delivered after this file (folder/file), it is the same message: recorded as its duplicate. */
  duplicateOf?: string;
  note: string;
}

/** The corpus folders of `.eml` files (`replies/` holds bodies only). */
export const CORPUS_FOLDERS = ['mailparser', 'postal-mime', 'spamassassin', 'james'] as const;

/** The classification context the table assumes (none of the corpus is ours). */
export const CORPUS_CLASSIFY_CONTEXT: ClassifyContext = {
  ourMessageIdDomain: 'rosedesk.local',
  loopStamp: 'servicedesk@rosedesk.local',
  intakeAddresses: ['servicedesk@rosedesk.local'],
};

const HUMAN = 'no automation, bounce or loop signal';
const DSN = 'Content-Type: multipart/report; report-type=delivery-status';

export const CORPUS_EXPECTATIONS: readonly CorpusExpectation[] = [
  {
    folder: 'mailparser',
    file: 'mailparser-applequoted.eml',
    kind: 'human',
    reason: HUMAN,
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'Apple Mail, binary QP text attachment',
  },
  {
    folder: 'mailparser',
    file: 'mailparser-base64encodedroot.eml',
    kind: 'human',
    reason: HUMAN,
    outOfOffice: false,
    dedupe: 'hash',
    note: 'attachment-only root, no Subject/Date/Message-ID',
  },
  {
    folder: 'mailparser',
    file: 'mailparser-decoderended.eml',
    kind: 'human',
    reason: HUMAN,
    outOfOffice: false,
    dedupe: 'hash',
    note: 'forward with an empty message/rfc822 part',
  },
  {
    folder: 'mailparser',
    file: 'mailparser-delivery-status.eml',
    kind: 'bounce',
    reason: DSN,
    outOfOffice: false,
    dedupe: 'message-id',
    failedRecipients: ['xxxx@xxxx.com'],
    note: 'Amazon SES DSN from MAILER-DAEMON, Status 5.1.1',
  },
  {
    folder: 'mailparser',
    file: 'mailparser-mail.eml',
    kind: 'human',
    reason: HUMAN,
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'two From addresses; the first is the sender',
  },
  {
    folder: 'mailparser',
    file: 'mailparser-mixed.eml',
    kind: 'human',
    reason: HUMAN,
    outOfOffice: false,
    dedupe: 'hash',
    note: 'no From at all; same bytes (and dedupe key) as postal-mime-mixed.eml',
  },
  {
    folder: 'mailparser',
    file: 'mailparser-nested.eml',
    kind: 'human',
    reason: HUMAN,
    outOfOffice: false,
    dedupe: 'hash',
    note: 'deep nesting with a footer part',
  },
  {
    folder: 'mailparser',
    file: 'mailparser-nodemailer.eml',
    kind: 'human',
    reason: HUMAN,
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'cid: images, non-ASCII attachment name',
  },
  {
    folder: 'mailparser',
    file: 'mailparser-simple.eml',
    kind: 'human',
    reason: HUMAN,
    outOfOffice: false,
    dedupe: 'hash',
    note: 'four headers, one line',
  },
  {
    folder: 'mailparser',
    file: 'mailparser-spam.eml',
    kind: 'machine',
    reason: 'From is a noreply address (noreply@…)',
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'spam with no verdict header, from noreply@: an incident in triage, never acknowledged',
  },
  {
    folder: 'mailparser',
    file: 'mailparser-sparrow.eml',
    kind: 'machine',
    reason: 'From is a mailer address (mailer@…)',
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'a test mail from mailer@: machine-sent by its address, so triage without acknowledgement',
  },
  {
    folder: 'mailparser',
    file: 'mailparser-test.eml',
    kind: 'human',
    reason: HUMAN,
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'Cc list, attachments with Content-ID',
  },
  {
    folder: 'postal-mime',
    file: 'postal-mime-arf.eml',
    kind: 'automated',
    reason: 'Content-Type: multipart/report; report-type=feedback-report (ARF abuse report)',
    outOfOffice: false,
    dedupe: 'hash',
    note: 'ARF is machine-made but not a bounce: it must not mark any address as bouncing',
  },
  {
    folder: 'postal-mime',
    file: 'postal-mime-bounce.eml',
    kind: 'bounce',
    reason: DSN,
    outOfOffice: false,
    dedupe: 'message-id',
    failedRecipients: ['htfgvhyufthdgcvhgjyfthgc@ethereal.email'],
    note: 'Postfix DSN; also Auto-Submitted and Return-Path <>',
  },
  {
    folder: 'postal-mime',
    file: 'postal-mime-calendar-event.eml',
    kind: 'human',
    reason: HUMAN,
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'Google Calendar invitation sent on a person’s behalf',
  },
  {
    folder: 'postal-mime',
    file: 'postal-mime-mimetorture.eml',
    kind: 'human',
    reason: HUMAN,
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'MIME torture test',
  },
  {
    folder: 'postal-mime',
    file: 'postal-mime-mixed.eml',
    kind: 'human',
    reason: HUMAN,
    outOfOffice: false,
    dedupe: 'hash',
    duplicateOf: 'mailparser/mailparser-mixed.eml',
    note: 'same bytes as mailparser-mixed.eml: delivering both is one message',
  },
  {
    folder: 'spamassassin',
    file: 'spamassassin-esp-mailchimp.eml',
    kind: 'automated',
    reason: 'X-Campaign header (bulk mailing service)',
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'newsletter through Mailchimp with no List-* header; Return-Path bounce-mc…',
  },
  {
    folder: 'spamassassin',
    file: 'spamassassin-esp-sendgrid_id.eml',
    kind: 'automated',
    reason: 'X-Sg-Eid header (bulk mailing service)',
    outOfOffice: false,
    dedupe: 'message-id',
    duplicateOf: 'spamassassin/spamassassin-esp-mailchimp.eml',
    note: 'SendGrid X-SG-EID, Return-Path bounces+…; same Message-ID, sender, date, subject and body as the Mailchimp file',
  },
  {
    folder: 'spamassassin',
    file: 'spamassassin-nice-mailman_reminder.eml',
    kind: 'automated',
    reason: 'Precedence: bulk',
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'Mailman membership reminder: From mailman-owner@, Sender …-admin@, X-Mailman-Version; mbox From_ line',
  },
  {
    folder: 'spamassassin',
    file: 'spamassassin-whitelists-action.eff.org.eml',
    kind: 'machine',
    reason: 'From is a transactional or notification address (alerts@…)',
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'EFFector newsletter from alerts@ with a JavaMail Message-ID and no list header: acknowledged before',
  },
  {
    folder: 'spamassassin',
    file: 'spamassassin-whitelists-amazon_co_uk_ship.eml',
    kind: 'machine',
    reason: 'From is a transactional or notification address (orders@…)',
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'order-dispatched notice from orders@ with no automation header at all: was acknowledged before',
  },
  {
    folder: 'spamassassin',
    file: 'spamassassin-whitelists-amazon_com_ship.eml',
    kind: 'machine',
    reason: 'From is a transactional or notification address (ship-confirm@…)',
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'shipping confirmation from ship-confirm@ with no automation header: was acknowledged before',
  },
  {
    folder: 'spamassassin',
    file: 'spamassassin-whitelists-mypoints.eml',
    kind: 'automated',
    reason: 'X-Jobid header (bulk mailing service)',
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'MyPoints BonusMail newsletter: X-JobID/X-Indiv, no List-* header: acknowledged before this change',
  },
  {
    folder: 'spamassassin',
    file: 'spamassassin-whitelists-oracle_net_techblast.eml',
    kind: 'automated',
    reason: 'X-Spam-Flag: YES (spam verdict upstream)',
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'Oracle newsletter tagged spam by SpamAssassin 2.20 upstream (X-Spam-Status: Yes, SPAM: report header)',
  },
  {
    folder: 'spamassassin',
    file: 'spamassassin-whitelists-mlist_yahoo_groups_message.eml',
    kind: 'automated',
    reason: 'sent from a mailing-list host (…@yahoogroups.com)',
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'Yahoo! Groups post relayed by a Lyris list with no List-* header: an acknowledgement would mail the group',
  },
  {
    folder: 'james',
    file: 'james-spamMail.eml',
    kind: 'automated',
    reason: 'Precedence: list',
    outOfOffice: false,
    dedupe: 'message-id',
    note: 'amavis content-filter notice from postmaster@, relayed by a Mailman list: a list copy, not a bounce',
  },
];
