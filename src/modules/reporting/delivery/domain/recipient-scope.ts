/**
 * Whom a report may go to, decided each time the mail is built (not only when subscribing): a trust manager
 * receives only their own trust; a desk manager or an administrator any trust, or all trusts; nobody else any.
 * Pure: the caller re-reads the user and passes what it found.
 */

export interface Recipient {
  active: boolean;
  role: string;
  trustId: string | null;
}

export const SKIP_REASONS = [
  'recipient_missing',
  'recipient_disabled',
  'recipient_role',
  'recipient_trust',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Roles that may receive a report; trust managers only of their own trust. */
export const REPORT_RECIPIENT_ROLES = ['trust_manager', 'desk_manager', 'admin'] as const;

/** Null when the report of `trustId` (null: every trust) may go to the recipient, else why not. */
export function recipientRefusal(recipient: Recipient | null, trustId: string | null): SkipReason | null {
  if (!recipient) return 'recipient_missing';
  if (!recipient.active) return 'recipient_disabled';
  switch (recipient.role) {
    case 'desk_manager':
    case 'admin':
      return null;
    case 'trust_manager':
      return trustId !== null && recipient.trustId === trustId ? null : 'recipient_trust';
    default:
      return 'recipient_role';
  }
}
