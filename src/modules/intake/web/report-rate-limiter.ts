import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';
import { rateLimitEmail } from './domain/rate-limit-email';

export const REPORT_THROTTLER_STORAGE = Symbol('REPORT_THROTTLER_STORAGE');

/** The app's throttler storage when a ThrottlerModule is registered, else one of our own (in this process's memory). */
export const reportThrottlerStorageProvider = {
  provide: REPORT_THROTTLER_STORAGE,
  useFactory: (shared?: ThrottlerStorage): ThrottlerStorage => shared ?? new ThrottlerStorageService(),
  inject: [{ token: ThrottlerStorage, optional: true }],
};

/** What is being counted: accepted reports per client address and per reporter email, comments per client address. */
export type ReportLimit = 'report-ip' | 'report-email' | 'comment-ip';

export type LimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const HOUR_MS = 3_600_000;

/**
 * Hourly limits on the public form, counted in @nestjs/throttler's storage under throttler names only these
 * routes use. A sliding window: each hit expires an hour after it was
 * made, and a refused attempt is not counted. Emails count without their `+tag` (rateLimitEmail). Keys are hashed,
 * so no address or email sits in memory as text.
 */
@Injectable()
export class ReportRateLimiter {
  constructor(
    @Inject(REPORT_THROTTLER_STORAGE) private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  async hit(limit: ReportLimit, subject: string): Promise<LimitDecision> {
    const counted = limit === 'report-email' ? rateLimitEmail(subject) : subject.trim().toLowerCase();
    const key = createHash('sha256').update(`${limit}:${counted}`).digest('hex');
    const record = await this.storage.increment(key, HOUR_MS, this.limitOf(limit), 0, `rosedesk-${limit}`);
    return record.isBlocked
      ? { allowed: false, retryAfterSeconds: Math.max(1, record.timeToBlockExpire) }
      : { allowed: true };
  }

  private limitOf(limit: ReportLimit): number {
    switch (limit) {
      case 'report-ip':
      case 'comment-ip':
        return this.config.env.REPORT_RATE_LIMIT_PER_IP;
      case 'report-email':
        return this.config.env.REPORT_RATE_LIMIT_PER_EMAIL;
    }
  }
}
