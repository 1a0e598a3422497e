import { randomUUID } from 'node:crypto';
import type { SmsPurpose } from './outbound-sms.entity';

/** Longest text the outbox keeps (two SMS parts). */
export const SMS_MAX_LENGTH = 320;

/** Texts to queue: one row per number. */
export interface SmsInput {
  incidentId: string | null;
  to: readonly string[];
  body: string;
  /** Where Twilio posts each text's delivery status; each row's copy names the row (`sms={row id}`). */
  statusCallback?: string | null;
  /** A text sent once per incident (none: any number of times). */
  purpose?: SmsPurpose | null;
}

/** One pending outbound_sms row as the insert reads it from a jsonb array (the other columns take defaults). */
export interface SmsRecord {
  id: string;
  incident_id: string | null;
  to_number: string;
  body: string;
  status_callback: string | null;
  purpose: SmsPurpose | null;
}

/** The rows of these texts, ids fixed now (a number given twice is one row). */
export function smsRecords(input: SmsInput): SmsRecord[] {
  return [...new Set(input.to)].map((to) => {
    const id = randomUUID();
    const callback = input.statusCallback ?? null;
    return {
      id,
      incident_id: input.incidentId,
      to_number: to,
      body: input.body.slice(0, SMS_MAX_LENGTH),
      status_callback: callback && `${callback}${callback.includes('?') ? '&' : '?'}sms=${id}`,
      purpose: input.purpose ?? null,
    };
  });
}

/**
 * Inserts the SmsRecord rows of the jsonb array `param`, leaving out every number that has texted STOP and every
 * text of a purpose its incident already has (once per incident), and where `where` (if any) does not hold.
 * The one statement every text is queued by: NotificationsService.queueSms, and the create path's share for a
 * text decided with a new incident (a participant's insertSql).
 */
export function insertSmsSql(param: string, where = ''): string {
  return `INSERT INTO outbound_sms (id, incident_id, to_number, body, status_callback, purpose)
  SELECT r.id, r.incident_id, r.to_number, r.body, r.status_callback, r.purpose
  FROM jsonb_populate_recordset(NULL::outbound_sms, ${param}::jsonb) AS r
  WHERE NOT EXISTS (SELECT 1 FROM sms_opt_out o WHERE o.phone_number = r.to_number)
    AND (r.purpose IS NULL OR NOT EXISTS (
      SELECT 1 FROM outbound_sms p WHERE p.incident_id = r.incident_id AND p.purpose = r.purpose))${where ? `\n    AND ${where}` : ''}
  ON CONFLICT DO NOTHING`;
}
