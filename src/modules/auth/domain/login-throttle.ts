import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * Login throttling, decided without I/O. Failed sign-ins are counted twice: per account (whatever address they
 * come from, so rotating addresses does not help) and per client address (whatever account they name, so
 * spraying many accounts does not help). Each count lives in a fixed window that starts with its first attempt.
 */

export interface ThrottleCount {
  hits: number;
  windowEndsAt: Date;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * The client as the per-address count sees it: an IPv4 address (an IPv4-mapped IPv6 one too), or the /64 of an
 * IPv6 address, since one subscriber is routinely given a whole /64 and could rotate through it at will.
 */
export function addressBucket(ip: string): string {
  const bare = ip.split('%')[0];
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return ip;
  const [head, tail] = bare.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

const hash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Where the two counts are kept: hashed, so the store never holds an email or an address as text. */
export function loginThrottleKeys(
  email: string,
  clientAddress: string,
): { account: string; address: string } {
  return {
    account: hash(`login-account:${email.trim().toLowerCase()}`),
    address: hash(`login-address:${addressBucket(clientAddress)}`),
  };
}

/**
 * Given the counts after this attempt was added: allowed while every count is within `limit`; otherwise refused
 * until the last of the exceeded windows ends (whole seconds, at least 1, as `Retry-After` wants).
 */
export function throttleDecision(
  counts: readonly ThrottleCount[],
  limit: number,
  now: Date,
): ThrottleDecision {
  const over = counts.filter((c) => c.hits > limit);
  if (over.length === 0) return { allowed: true };
  const until = Math.max(...over.map((c) => c.windowEndsAt.getTime()));
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
}
