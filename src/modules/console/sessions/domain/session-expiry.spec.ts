import { sessionCookieOptions, sessionState, shouldTouch, touchIntervalMs } from './session-expiry';

const at = (iso: string): Date => new Date(iso);
const MIN = 60_000;

describe('console session expiry', () => {
  const session = {
    createdAt: at('2026-12-01T08:00:00Z'),
    lastSeenAt: at('2026-12-01T09:00:00Z'),
    expiresAt: at('2026-12-01T20:00:00Z'),
  };
  const limits = { idleMs: 30 * MIN };

  it.each([
    ['just used', '2026-12-01T09:00:00Z', 'active'],
    ['29:59 idle', '2026-12-01T09:29:59Z', 'active'],
    ['30 min idle', '2026-12-01T09:30:00Z', 'idle_timeout'],
    ['at the absolute end, even when just used', '2026-12-01T20:00:00Z', 'absolute_timeout'],
    ['past the absolute end', '2026-12-02T09:00:00Z', 'absolute_timeout'],
  ])('%s → %s', (_, now, expected) => {
    expect(sessionState(session, limits, at(now))).toBe(expected);
  });

  it('is touched at most once a minute, or a tenth of a short idle timeout', () => {
    expect(touchIntervalMs({ idleMs: 30 * MIN })).toBe(MIN);
    expect(touchIntervalMs({ idleMs: 2 * MIN })).toBe(12_000);
    expect(shouldTouch(session, limits, at('2026-12-01T09:00:59Z'))).toBe(false);
    expect(shouldTouch(session, limits, at('2026-12-01T09:01:00Z'))).toBe(true);
  });

  it('marks the cookie Secure only when the desk is served over https', () => {
    expect(sessionCookieOptions('http://localhost:3000', 60)).toEqual({
      httpOnly: true,
      sameSite: 'lax',
      secure: false,
      path: '/console',
      maxAge: 60,
    });
    expect(sessionCookieOptions('https://desk.example.nhs.uk', 60).secure).toBe(true);
    expect(sessionCookieOptions('HTTPS://desk.example.nhs.uk', 60).secure).toBe(true);
  });
});
