import type { VoiceStep } from './domain/call-menu';
import type { Recording } from './call-incidents.service';
import type { TwilioParams } from './twilio-signature.guard';

/** One voice webhook as the controller hands it over. */
export interface VoiceWebhook {
  step: 'incoming' | VoiceStep;
  callSid: string;
  params: TwilioParams;
  /** The turn from the action URL's `?n=` (null when absent). */
  turn: number | null;
  /** `I-Twilio-Idempotency-Token`. */
  token: string | null;
}

/** A form field's value (the first, if repeated), or null when absent or empty. */
export function field(params: TwilioParams, name: string): string | null {
  const value = params[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : null;
}

export function positiveInt(value: string | null): number | null {
  if (value === null || !/^\d{1,9}$/.test(value)) return null;
  return Number(value);
}

/** Twilio's SIDs: two letters and 32 hex digits (CA… calls, SM…/MM… messages, RE… recordings). */
export function isSid(value: string | null, prefixes: readonly string[]): value is string {
  return value !== null && /^[A-Z]{2}[0-9a-fA-F]{32}$/.test(value) && prefixes.includes(value.slice(0, 2));
}

/** Keys a caller pressed, as kept in the call log: digits, `*` and `#` only, at most 20. */
export function digitsOf(params: TwilioParams): string | null {
  const digits = field(params, 'Digits');
  return digits === null ? null : digits.replace(/[^0-9*#]/g, '').slice(0, 20);
}

/** The recording a `recorded` webhook names: an http(s) link of printable ASCII, with its SID and length. */
export function recordingOf(params: TwilioParams): Recording | null {
  const url = field(params, 'RecordingUrl');
  if (!url || url.length > 1000 || !/^https?:\/\/[\x21-\x7e]+$/.test(url)) return null;
  const sid = field(params, 'RecordingSid');
  return {
    url,
    sid: isSid(sid, ['RE']) ? sid : null,
    seconds: positiveInt(field(params, 'RecordingDuration')),
  };
}
