import type { OutboundMessage } from './outbound-message.entity';

/** A checked pending mail, not yet written. */
export type PreparedEmail = Pick<
  OutboundMessage,
  | 'id'
  | 'incidentId'
  | 'template'
  | 'toAddress'
  | 'ccAddresses'
  | 'subject'
  | 'context'
  | 'messageId'
  | 'inReplyTo'
  | 'references'
  | 'automatic'
  | 'status'
  | 'attempts'
  | 'lastError'
  | 'sentAt'
>;

/**
 * A prepared mail as outbound_message columns, to insert from one jsonb parameter with
 * `jsonb_populate_record(NULL::outbound_message, $n)` (the columns it leaves out take their defaults).
 */
export function outboundRecord(mail: PreparedEmail): Record<string, unknown> {
  return {
    id: mail.id,
    incident_id: mail.incidentId,
    template: mail.template,
    to_address: mail.toAddress,
    cc_addresses: mail.ccAddresses,
    subject: mail.subject,
    context: mail.context,
    message_id: mail.messageId,
    in_reply_to: mail.inReplyTo,
    references: mail.references,
    automatic: mail.automatic,
  };
}

/** The outbound_message columns outboundRecord fills. */
export const OUTBOUND_RECORD_COLUMNS =
  'id, incident_id, template, to_address, cc_addresses, subject, context, message_id, in_reply_to, "references", automatic';
