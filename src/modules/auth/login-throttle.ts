import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { errorText } from '../../common/errors/error-text';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { loginThrottleKeys, throttleDecision, type ThrottleCount } from './domain/login-throttle';

const WINDOW_MS = 60_000;

/** A place in the counts, handed back by `take` so a successful sign-in can give its attempt back. */
export interface ThrottleTicket {
  counted: { key: string; windowEndsAt: Date }[];
}

/**
 * Login throttling over counts in PostgreSQL (table login_throttle), shared by every API process in every run
 * mode (the embedded database serves the same SQL). An attempt is counted before its password is checked, in one
 * statement for both counts, so parallel guesses cannot slip past the limit; a successful one is given back, so
 * only failures use up the allowance.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);
  private nextSweep = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Counts this attempt; throws REQUEST.RATE_LIMITED (with `retryAfterSeconds`) when either count is over. */
  async take(email: string, clientAddress: string): Promise<ThrottleTicket> {
    const now = this.clock.now();
    const { account, address } = loginThrottleKeys(email, clientAddress);
    // Always the same order of keys, so two attempts never lock each other's rows the other way round.
    const keys = [account, address].sort();
    const rows = await this.db.query<{ key: string; hits: number; window_ends_at: Date }[]>(
      `INSERT INTO login_throttle AS t (key, hits, window_ends_at)
       VALUES ($1, 1, $3), ($2, 1, $3)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN t.window_ends_at <= $4 THEN 1 ELSE t.hits + 1 END,
         window_ends_at = CASE WHEN t.window_ends_at <= $4 THEN EXCLUDED.window_ends_at ELSE t.window_ends_at END
       RETURNING key, hits, window_ends_at`,
      [keys[0], keys[1], new Date(now.getTime() + WINDOW_MS), now],
    );
    this.sweepNowAndThen(now);
    const counts: ThrottleCount[] = rows.map((r) => ({ hits: r.hits, windowEndsAt: r.window_ends_at }));
    const decision = throttleDecision(counts, this.config.env.LOGIN_RATE_LIMIT, now);
    if (!decision.allowed) {
      this.logger.warn({ retryAfterSeconds: decision.retryAfterSeconds }, 'Sign-in throttled');
      throw new DomainError(
        'REQUEST.RATE_LIMITED',
        `Too many failed sign-ins; try again in ${decision.retryAfterSeconds} s.`,
        { retryAfterSeconds: decision.retryAfterSeconds },
      );
    }
    return { counted: rows.map((r) => ({ key: r.key, windowEndsAt: r.window_ends_at })) };
  }

  /** The attempt succeeded: it does not count against the account or the address. */
  async giveBack(ticket: ThrottleTicket): Promise<void> {
    await this.db.query(
      `UPDATE login_throttle t SET hits = t.hits - 1
       FROM unnest($1::varchar[], $2::timestamptz[]) AS r(key, window_ends_at)
       WHERE t.key = r.key AND t.window_ends_at = r.window_ends_at AND t.hits > 0`,
      [ticket.counted.map((c) => c.key), ticket.counted.map((c) => c.windowEndsAt)],
    );
  }

  /** Ended windows are deleted at most once a minute per process, off the sign-in's path. */
  private sweepNowAndThen(now: Date): void {
    if (now.getTime() < this.nextSweep) return;
    this.nextSweep = now.getTime() + WINDOW_MS;
    this.db.query('DELETE FROM login_throttle WHERE window_ends_at <= $1', [now]).then(
      () => undefined,
      (err: unknown) =>
        this.logger.warn({ err: errorText(err) }, 'Sweeping ended login-throttle windows failed'),
    );
  }
}
