import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { errorText } from '../../../common/errors/error-text';
import { Clock } from '../../../common/time/clock';
import type { CreateGuard } from '../../incidents/create/create-sql';

const KEEP_MS = 24 * 60 * 60_000;
const SWEEP_EVERY_MS = 60_000;

/** The form was sent before: its incident exists (thrown by the create's guard, which then wrote nothing). */
export class FormAlreadySent extends Error {
  constructor() {
    super('This form was sent before');
    this.name = 'FormAlreadySent';
  }
}

/**
 * Sent forms of the public fault form (table report_submission), by their CSRF token: every rendered form has a
 * token of its own, so the same form sent twice is the same token. The first send's incident is written with its
 * row in one statement (a create guard), so two sends racing make one incident; the later one finds the first.
 */
@Injectable()
export class ReportSubmissions {
  private readonly logger = new Logger(ReportSubmissions.name);
  private nextSweep = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** What identifies a sent form: the hash of its token (the token itself is never stored). */
  keyOf(csrfToken: string): string {
    return createHash('sha256').update(csrfToken).digest('hex');
  }

  /** The incident a form with this key created, if it was sent within the last day. */
  async incidentOf(key: string): Promise<string | null> {
    const [row] = await this.db.query<{ incident_id: string }[]>(
      `SELECT incident_id FROM report_submission WHERE token_hash = $1 AND created_at > now() - make_interval(secs => $2)`,
      [key, KEEP_MS / 1000],
    );
    return row?.incident_id ?? null;
  }

  /** The create guard recording this form with its incident; it writes nothing when the form was sent before. */
  guard(key: string, incidentId: string, firstParam: number): CreateGuard {
    this.sweepNowAndThen();
    return {
      name: 'report_submission',
      sql: `INSERT INTO report_submission (token_hash, incident_id) VALUES ($${firstParam}, $${firstParam + 1}::uuid)
            ON CONFLICT (token_hash) DO NOTHING RETURNING token_hash`,
      params: [key, incidentId],
      lost: () => new FormAlreadySent(),
    };
  }

  /** Rows older than a day are deleted at most once a minute per process, off the request's path. */
  private sweepNowAndThen(): void {
    const now = this.clock.now().getTime();
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_EVERY_MS;
    this.db
      .query(`DELETE FROM report_submission WHERE created_at < now() - make_interval(secs => $1)`, [
        KEEP_MS / 1000,
      ])
      .then(
        () => undefined,
        (err: unknown) => this.logger.warn({ err: errorText(err) }, 'Sweeping old report submissions failed'),
      );
  }
}
