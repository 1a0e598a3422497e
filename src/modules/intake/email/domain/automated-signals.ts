import {
  domainOf,
  headerValue,
  headerValues,
  localPartOf,
  senderAddressOf,
  type InboundMail,
} from './inbound-mail';

/**
 * Automated mail that carries no RFC 3834 header, found by its other marks. Two strengths:
 *
 * - **bulk** (`bulkReason`): a spam verdict from upstream (`X-Spam-Flag: YES`, `X-Spam-Status: Yes`, a `[SPAM]`
 *   subject tag, a SpamAssassin report wrapper), mailing-list marks (`List-Post`/`-Help`/`-Subscribe`/
 *   `-Archive`/`-Owner`, `X-Mailman-Version`, `X-BeenThere`, `X-Mailing-List`, ezmlm's `Mailing-List`, a list
 *   `Sender:` or `Return-Path:` such as `owner-…`, `…-request`, `…-bounces`, `…-admin`, a LISTSERV hop, a
 *   `From:`/`Sender:` at a list host such as `yahoogroups.com`) and bulk-sender headers of mailing services
 *   (`X-Campaign`, `X-MC-User`, `X-SG-EID`, `X-CSA-Complaints`, a mailing job's `X-JobID`).
 *   Such mail is recorded, never an incident: answering it would mail a whole list.
 * - **machine** (`machineReason`): sent by a program for a person to read, which may well be about a fault:
 *   a no-reply, mailer or bounce sender or Return-Path, a transactional sender (`ship-confirm@`, `orders@`,
 *   `billing@`, `…-notifications@`), a system account sender (`oracle@host`, often with a
 *   JavaMail Message-ID), vendor notification headers (`X-JIRA-FingerPrint`, `X-GitHub-Reason`,
 *   `X-GitLab-Project`, `X-Bugzilla-Product`, `X-Redmine-Project`), `Feedback-ID`, or a template mailer's
 *   `X-Mailer: MIME::Lite`. It becomes an incident in triage, never acknowledged.
 */
export function bulkReason(mail: InboundMail): string | null {
  if (/^\s*yes\b/i.test(headerValue(mail, 'x-spam-flag') ?? ''))
    return 'X-Spam-Flag: YES (spam verdict upstream)';
  if (/^\s*yes\b/i.test(headerValue(mail, 'x-spam-status') ?? ''))
    return 'X-Spam-Status: Yes (spam verdict upstream)';
  if (/^\s*yes\b/i.test(headerValue(mail, 'x-spam') ?? '')) return 'X-Spam: yes (spam verdict upstream)';
  const tag = SPAM_SUBJECT.exec(mail.subject)?.[0];
  if (tag) return `subject tagged ${tag.trim()} upstream (spam verdict)`;
  if (/^\s*Spam detection software, running on the system/i.test(mail.text)) {
    return 'SpamAssassin report wrapper (spam verdict upstream)';
  }
  const list = listCopyReason(mail);
  if (list !== null) return list;
  for (const name of BULK_SENDER_HEADERS) {
    if (headerValue(mail, name) !== null) return `${display(name)} header (bulk mailing service)`;
  }
  return null;
}

/** The marks of a copy delivered by a mailing list (without `List-Id`, which RFC 3834-style checks see first). */
export function listCopyReason(mail: InboundMail): string | null {
  for (const name of LIST_HEADERS) {
    if (headerValue(mail, name) !== null) return `${display(name)} header (mailing list)`;
  }
  for (const name of ['sender', 'return-path']) {
    const local = localPartOf(addressIn(headerValue(mail, name))).toLowerCase();
    if (LIST_LOCAL_PART.test(local)) return `${display(name)} is a mailing list's address (${local}@…)`;
  }
  if (headerValues(mail, 'received').some((r) => /\bLISTSERV\b/.test(r)))
    return 'relayed by LISTSERV (mailing list)';
  for (const address of [senderAddressOf(mail) ?? '', addressIn(headerValue(mail, 'sender'))]) {
    const host = domainOf(address).toLowerCase();
    const listHost = LIST_HOSTS.find((h) => host === h || host.endsWith(`.${h}`));
    if (listHost !== undefined) return `sent from a mailing-list host (…@${listHost})`;
  }
  return null;
}

export function machineReason(mail: InboundMail): string | null {
  const sender = senderAddressOf(mail);
  const local = localPartOf(sender ?? '').toLowerCase();
  if (MACHINE_LOCAL_PART.test(local))
    return `From is a ${local.replace(/[-_.+].*$/, '')} address (${local}@…)`;
  const returnPath = addressIn(headerValue(mail, 'return-path')).toLowerCase();
  if (
    returnPath !== '' &&
    (MACHINE_LOCAL_PART.test(localPartOf(returnPath)) || /@bounces?[.-]/.test(returnPath))
  ) {
    return 'Return-Path is a no-reply or bounce address';
  }
  const transactional = local.split(/[-_.+]/).find((token) => TRANSACTIONAL_TOKENS.has(token));
  if (transactional !== undefined) return `From is a transactional or notification address (${local}@…)`;
  if (SYSTEM_ACCOUNTS.has(local)) {
    const javaMail = /\.JavaMail\./i.test(mail.messageId ?? '') ? ', JavaMail Message-ID' : '';
    return `From is the system account ${local}@…${javaMail}`;
  }
  for (const name of NOTIFICATION_HEADERS) {
    if (headerValue(mail, name) !== null) return `${display(name)} header (vendor notification)`;
  }
  if (headerValue(mail, 'feedback-id') !== null) return 'Feedback-ID header (sent by a mailing service)';
  if (/^\s*MIME::Lite\b/i.test(headerValue(mail, 'x-mailer') ?? ''))
    return 'X-Mailer: MIME::Lite (template mailer)';
  return null;
}

const SPAM_SUBJECT =
  /^\s*(?:\[(?:spam|suspected spam|possible spam)\]|\*{2,}\s*spam\s*\*{2,}|\{spam\??\}|spam:)/i;
const LIST_HEADERS = [
  'list-post',
  'list-help',
  'list-subscribe',
  'list-archive',
  'list-owner',
  'x-mailman-version',
  'x-beenthere',
  'x-mailing-list',
  'mailing-list',
];
const LIST_LOCAL_PART = /^(?:owner-.+|.+-owner|.+-request|.+-bounces(?:\+.*)?|.+-admin|listserv|majordomo)$/;
/** Hosts whose every address is a list: mail from them goes back to the whole group. */
const LIST_HOSTS = ['yahoogroups.com', 'googlegroups.com', 'groups.io', 'freelists.org', 'topica.com'];
const BULK_SENDER_HEADERS = [
  'x-campaign',
  'x-campaignid',
  'x-mc-user',
  'x-sg-eid',
  'x-csa-complaints',
  'x-jobid',
];
const MACHINE_LOCAL_PART =
  /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer|bounces?)(?:[-_.+].*)?$|^bounce[s]?[-_.+]/;
/** Words of a sender's local part (split at `-_.+`) that mark order, shipping, billing and alert mailers. */
const TRANSACTIONAL_TOKENS = new Set([
  'confirm',
  'confirmation',
  'order',
  'orders',
  'shipping',
  'shipment',
  'invoice',
  'invoices',
  'billing',
  'receipt',
  'receipts',
  'notification',
  'notifications',
  'notify',
  'alert',
  'alerts',
]);
const SYSTEM_ACCOUNTS = new Set([
  'root',
  'oracle',
  'daemon',
  'nobody',
  'cron',
  'apache',
  'www-data',
  'tomcat',
  'jboss',
  'weblogic',
  'postgres',
  'mysql',
]);
const NOTIFICATION_HEADERS = [
  'x-jira-fingerprint',
  'x-github-reason',
  'x-github-sender',
  'x-gitlab-project',
  'x-bugzilla-product',
  'x-redmine-project',
];

/** The address inside a header value such as `<owner-list@example.org>` or `Name <a@b>` ('' when none). */
function addressIn(value: string | null): string {
  if (value === null) return '';
  const bracketed = /<([^<>]*)>/.exec(value);
  return (bracketed ? (bracketed[1] ?? '') : value).trim();
}

function display(header: string): string {
  return header.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}
