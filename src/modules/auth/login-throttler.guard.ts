import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { createHash } from 'node:crypto';

/**
 * Throttles login attempts per client address and per account name, so guessing one account from many
 * addresses and many accounts from one address are both slowed. Every route it guards (the API's login, the
 * console's sign-in) counts against one budget per address and account, so using both does not double it.
 */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const body = (req.body ?? {}) as { email?: unknown };
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    return Promise.resolve(`login:${String(req.ip)}:${email}`);
  }

  protected override generateKey(_context: ExecutionContext, suffix: string, name: string): string {
    return createHash('sha256').update(`${name}-${suffix}`).digest('hex');
  }
}
