import { rateLimitEmail } from './rate-limit-email';

describe('rateLimitEmail', () => {
  it.each([
    ['asha.patel@nhs.net', 'asha.patel@nhs.net'],
    ['  Asha.Patel@NHS.net ', 'asha.patel@nhs.net'],
    ['asha+1@nhs.net', 'asha@nhs.net'],
    ['asha+ward3+again@nhs.net', 'asha@nhs.net'],
    ['ASHA+Tag@Example.TEST', 'asha@example.test'],
    ['asha+@nhs.net', 'asha@nhs.net'],
    // Nothing left of the local part without the tag: kept whole, never "@domain".
    ['+tag@nhs.net', '+tag@nhs.net'],
    // Only the local part is tagged; a "+" elsewhere stays.
    ['"odd@name"+x@nhs.net', '"odd@name"@nhs.net'],
    ['no-at-sign+x', 'no-at-sign+x'],
  ])('counts %j as %j', (given, counted) => {
    expect(rateLimitEmail(given)).toBe(counted);
  });
});
