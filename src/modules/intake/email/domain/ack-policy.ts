import { localPartOf } from './inbound-mail';
import { MailKind } from './classify-mail';

export interface AckLimits {
  perRecipientPerHour: number;
  perIncident: number;
}

export const DEFAULT_ACK_LIMITS: AckLimits = { perRecipientPerHour: 10, perIncident: 5 };

export interface AckRequest {
  recipient: string;
  /** The classification of the mail we would answer. */
  kind: MailKind;
  /** Until when the recipient's address is known to bounce (null: not bouncing). */
  bouncingUntil: Date | null;
  /** Mail we sent this recipient in the last hour. */
  sentInLastHour: number;
  /** Automatic mail we sent about this incident so far. */
  sentForIncident: number;
  now: Date;
}

export type AckRefusal =
  | 'not_human'
  | 'invalid_address'
  | 'no_reply_address'
  | 'recipient_bouncing'
  | 'recipient_rate_limited'
  | 'incident_limit_reached';

export type AckDecision = { ok: true } | { ok: false; reason: AckRefusal; detail: string };

/**
 * `noreply`, `no-reply`, `no_reply`, `donotreply`, `do-not-reply`, `mailer-daemon`, `postmaster`, alone or
 * followed by a tag (`noreply+abc`, `no-reply-notifications`, `noreply.alerts`).
 */
const NO_REPLY_LOCAL_PART =
  /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster)(?:[-_.+].*)?$/i;

export function isNoReplyAddress(address: string): boolean {
  return NO_REPLY_LOCAL_PART.test(localPartOf(address.trim()));
}

/**
 * May we send an automatic acknowledgement? Never for anything but human mail, never to an invalid or a
 * no-reply address, never while the address bounces, and not beyond the per-recipient hourly cap or the
 * per-incident cap (the loop breakers of DESIGN.md "No loops").
 */
export function mayAcknowledge(request: AckRequest, limits: AckLimits = DEFAULT_ACK_LIMITS): AckDecision {
  if (request.kind !== 'human') {
    return { ok: false, reason: 'not_human', detail: `never acknowledge ${request.kind} mail` };
  }
  const recipient = request.recipient.trim();
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(recipient)) {
    return { ok: false, reason: 'invalid_address', detail: 'recipient is not a usable address' };
  }
  if (isNoReplyAddress(recipient)) {
    return { ok: false, reason: 'no_reply_address', detail: 'recipient is a no-reply or system address' };
  }
  if (request.bouncingUntil !== null && request.bouncingUntil.getTime() > request.now.getTime()) {
    return {
      ok: false,
      reason: 'recipient_bouncing',
      detail: `recipient bounces until ${request.bouncingUntil.toISOString()}`,
    };
  }
  if (request.sentInLastHour >= limits.perRecipientPerHour) {
    return {
      ok: false,
      reason: 'recipient_rate_limited',
      detail: `already ${request.sentInLastHour} sent to this recipient in the last hour (cap ${limits.perRecipientPerHour})`,
    };
  }
  if (request.sentForIncident >= limits.perIncident) {
    return {
      ok: false,
      reason: 'incident_limit_reached',
      detail: `already ${request.sentForIncident} sent for this incident (cap ${limits.perIncident})`,
    };
  }
  return { ok: true };
}
