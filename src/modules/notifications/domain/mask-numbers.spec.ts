import { maskPhoneNumbers } from './mask-numbers';

describe('maskPhoneNumbers', () => {
  it.each([
    [
      "The 'To' number +447700900123 is not a valid phone number.",
      "The 'To' number [number] is not a valid phone number.",
    ],
    ['Call 01772 123456 or +44 (0)1772 123-456 now', 'Call [number] or [number] now'],
    [
      'Error 21610: attempt to send to unsubscribed recipient',
      'Error 21610: attempt to send to unsubscribed recipient',
    ],
    ['timeout after 30000 ms (HTTP 503)', 'timeout after 30000 ms (HTTP 503)'],
  ])('%s', (text, masked) => {
    expect(maskPhoneNumbers(text)).toBe(masked);
  });
});
