import { maskUrl } from './mask-url';

describe('maskUrl', () => {
  it.each([
    ['/report/status/eyJhbGciOi.abcdef', '/report/status/:token', '/report/status/…'],
    [
      '/report/status/eyJhbGciOi.abcdef/comments',
      '/report/status/:token/comments',
      '/report/status/…/comments',
    ],
    [
      '/report/thanks/eyJhbGciOi.abcdef?attachment=stored',
      '/report/thanks/:token',
      '/report/thanks/…?attachment=stored',
    ],
    [
      '/api/incidents/INC-000123/timeline',
      '/api/incidents/:reference/timeline',
      '/api/incidents/INC-000123/timeline',
    ],
    [
      '/api/incidents?q=hernia%20clinic&limit=5&sort=priority',
      '/api/incidents',
      '/api/incidents?q=…&limit=5&sort=priority',
    ],
    ['/api/users?limit=1&cursor=eyJlbWFpbCI6ImpvQHgifQ', '/api/users', '/api/users?limit=1&cursor=…'],
    ['/api/contacts?name=Jo&flag', '/api/contacts', '/api/contacts?name=…&flag'],
    ['/report/sites?trust=LCFT&q=Fulwood', '/report/sites', '/report/sites?trust=LCFT&q=…'],
    ['/twilio/voice/site?n=3', '/twilio/voice/:step', '/twilio/voice/site?n=3'],
    [
      '/twilio/sms/status?incident=4f1c0a5e-2b7d-4c1e-9a3b-5d6e7f8a9b0c&sms=1',
      '/twilio/sms/status',
      '/twilio/sms/status?incident=…&sms=…',
    ],
  ])('logs %s as its route %s allows', (url, route, masked) => {
    expect(maskUrl(url, route)).toBe(masked);
  });

  it('masks long segments of a path no route matched, taking them for tokens', () => {
    const token = 'a'.repeat(40);
    expect(maskUrl(`/nothing/${token}/here?q=x`)).toBe('/nothing/…/here?q=…');
    expect(maskUrl('/api/nothing-here')).toBe('/api/nothing-here');
  });
});
