/**
 * The text with every run that looks like a phone number (7 or more digits, with +, spaces, dots, dashes or
 * brackets between) replaced by `[number]`: for a provider's error message going to a log or a `last_error` column
 * (Twilio names the `To` number in some, e.g. "The 'To' number +447700900123 is not a valid phone number.").
 */
export function maskPhoneNumbers(text: string): string {
  return text.replace(/\+?\(?\d(?:[\s().-]*\d){6,}/g, '[number]');
}
