/**
 * A phone number as a clinician types it, in E.164. UK national numbers (`01772 123456`, `07700 900123`) become
 * `+44…`; `+44 (0)1772 123456` and `0044 1772 123456` are understood; any other `+` number is kept when it has
 * the digits E.164 allows. Returns null when the text is not a phone number.
 */
export function toE164(input: string): string | null {
  let s = input
    .trim()
    .replace(/\(0\)/g, '')
    .replace(/[\s\-().]/g, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (/^0\d{9,10}$/.test(s)) return `+44${s.slice(1)}`;
  if (!/^\+[1-9]\d{6,14}$/.test(s)) return null;
  if (s.startsWith('+44')) {
    const national = s.slice(3).replace(/^0/, '');
    return /^[1-9]\d{8,9}$/.test(national) ? `+44${national}` : null;
  }
  return s;
}
