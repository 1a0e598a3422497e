import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { parseWarningThresholds } from './domain/incident-sla';

/** The SLA engine's settings, parsed once from the validated environment. */
@Injectable()
export class SlaSettings {
  /** Warning fractions, ascending (the breach, 1, is added by the domain). */
  readonly warningThresholds: readonly number[];
  /** How often a worker acts on due checks straight from the database; 0 = never. */
  readonly pollMs: number;
  /**
   * Whether checks are also woken by BullMQ delayed jobs. On Redis they are cheap and precise (tens of ms); on
   * BullMQ's PostgreSQL backend each costs several transactions (and deadlocks under concurrency, TOOLCHAIN §8),
   * while the poll is one indexed query per tick whatever the load, so `auto` leaves them to the poll there.
   */
  readonly queueTimers: boolean;
  readonly onCallNumbers: readonly string[];

  constructor(config: AppConfig) {
    const env = config.env;
    const parsed = parseWarningThresholds(env.SLA_WARNING_THRESHOLDS);
    if (!parsed.ok) throw new Error(`SLA_WARNING_THRESHOLDS: ${parsed.problem}`);
    this.warningThresholds = parsed.value;
    this.pollMs = env.SLA_POLL_MS;
    this.queueTimers =
      env.SLA_QUEUE_TIMERS === 'on' ||
      (env.SLA_QUEUE_TIMERS === 'auto' && (!!env.REDIS_URL || env.SLA_POLL_MS === 0));
    this.onCallNumbers = env.ON_CALL_SMS_NUMBERS.split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '');
  }
}
