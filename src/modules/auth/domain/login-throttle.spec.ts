import { addressBucket, loginThrottleKeys, throttleDecision } from './login-throttle';

const now = new Date('2026-12-05T10:00:00.000Z');
const at = (seconds: number): Date => new Date(now.getTime() + seconds * 1000);

describe('addressBucket', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['not an address', 'not an address'],
  ])('counts %j as %j (an IPv6 client as its /64: one host owns a whole /64)', (ip, bucket) => {
    expect(addressBucket(ip)).toBe(bucket);
  });
});

describe('loginThrottleKeys', () => {
  it('keys the account by its normalised email and the client by its address, both hashed', () => {
    const a = loginThrottleKeys(' Jo.Bloggs@NHS.net ', '192.0.2.7');
    expect(a).toEqual(loginThrottleKeys('jo.bloggs@nhs.net', '::ffff:192.0.2.7'));
    expect(a.account).toMatch(/^[0-9a-f]{64}$/);
    expect(a.address).toMatch(/^[0-9a-f]{64}$/);
    expect(a.account).not.toBe(a.address);
    expect(loginThrottleKeys('jo.bloggs@nhs.net', '192.0.2.8').account).toBe(a.account);
    expect(loginThrottleKeys('jo.bloggs@nhs.net', '192.0.2.8').address).not.toBe(a.address);
    expect(loginThrottleKeys('other@nhs.net', '192.0.2.7').address).toBe(a.address);
  });
});

describe('throttleDecision', () => {
  it('allows up to the limit in a window and refuses past it, with the seconds until the window ends', () => {
    expect(throttleDecision([{ hits: 5, windowEndsAt: at(30) }], 5, now)).toEqual({ allowed: true });
    expect(throttleDecision([{ hits: 6, windowEndsAt: at(30) }], 5, now)).toEqual({
      allowed: false,
      retryAfterSeconds: 30,
    });
  });

  it('refuses when any count is over, waiting for the latest window to end', () => {
    expect(
      throttleDecision(
        [
          { hits: 1, windowEndsAt: at(59) },
          { hits: 9, windowEndsAt: at(12.2) },
          { hits: 7, windowEndsAt: at(40) },
        ],
        5,
        now,
      ),
    ).toEqual({ allowed: false, retryAfterSeconds: 40 });
  });

  it('rounds up to whole seconds and never says less than 1', () => {
    expect(throttleDecision([{ hits: 6, windowEndsAt: at(0.2) }], 5, now)).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    expect(throttleDecision([{ hits: 6, windowEndsAt: at(-3) }], 5, now)).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    expect(throttleDecision([{ hits: 6, windowEndsAt: at(10.001) }], 5, now)).toEqual({
      allowed: false,
      retryAfterSeconds: 11,
    });
  });
});
