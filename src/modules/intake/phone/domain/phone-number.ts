import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { LRUCache } from 'lru-cache';

/**
 * A caller's or texter's number as Twilio gives it (`+447700900123`), or as a person writes it (`01772 123456`,
 * `+44 (0)1772 123456`), in E.164; null for a withheld caller (`anonymous`, `+266696687`, empty), a short code or
 * anything that cannot be a phone number. UK numbers are assumed without a country code. A number that is possible
 * (the right length for its country) is accepted even when no operator has it yet: reserved test ranges such as
 * Ofcom's drama numbers still normalise.
 */
export function toE164(raw: string | null | undefined): string | null {
  const text = raw?.trim() ?? '';
  if (text === '' || !/\d/.test(text)) return null;
  return remembered(e164s, text, () => {
    const parsed = parsePhoneNumberFromString(text, 'GB');
    if (!parsed?.isPossible()) return { e164: null };
    return { e164: /^\+[1-9]\d{6,14}$/.test(parsed.number) ? parsed.number : null };
  }).e164;
}

/**
 * Parsing with libphonenumber's full metadata costs a fraction of a millisecond, and every webhook of a call asks
 * again about the same numbers: the last answers are kept (a pure function's results, so a cache changes nothing).
 */
const REMEMBERED = 2_000;
const e164s = new LRUCache<string, { e164: string | null }>({ max: REMEMBERED });
const textable = new LRUCache<string, boolean>({ max: REMEMBERED });

function remembered<T extends object | boolean>(
  cache: LRUCache<string, T>,
  key: string,
  compute: () => T,
): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    cache.set(key, value);
  }
  return value;
}

/** Kinds of number a text cannot reach. */
const NOT_TEXTABLE = new Set([
  'FIXED_LINE',
  'TOLL_FREE',
  'PREMIUM_RATE',
  'SHARED_COST',
  'UAN',
  'VOICEMAIL',
  'PAGER',
]);

/**
 * Whether a text to this E.164 number could arrive: anything but a number known to be a landline or a service
 * number (a ward's reception phone gets no texts). A number whose kind is unknown (a new or reserved range) is
 * tried: Twilio's delivery status says whether it worked.
 */
export function canReceiveTexts(e164: string): boolean {
  return remembered(textable, e164, () => {
    const type = parsePhoneNumberFromString(e164)?.getType();
    return type === undefined || !NOT_TEXTABLE.has(type);
  });
}
