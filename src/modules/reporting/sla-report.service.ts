import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { CatalogueService } from '../directory/catalogue.service';
import type { AuthUser } from '../auth/auth-user';
import { IncidentScope, scopeRule } from '../incidents/incident-access';
import { SlaOpenPeriods } from '../sla/sla-open-periods';
import {
  isPeriodProblem,
  reportPeriod,
  trailingMonths,
  wholeMonths,
  type ReportPeriod,
} from './domain/report-period';
import {
  metPercent,
  shapeBreach,
  shapeSlaReport,
  type Breach,
  type ReportAggregates,
  type SlaReport,
} from './domain/sla-report';
import { runMonthPartialsReport } from './queries/month-partials.query';
import { runMonthlySla } from './queries/monthly-sla.query';
import { runSlaBreaches } from './queries/sla-breaches.query';
import { runSlaReport } from './queries/sla-report.query';
import { CSV_COLUMNS, slaReportRowsSql } from './queries/sla-report-rows.query';
import { invalidPeriod, reportTrustNotFound } from './reporting-errors';

export interface ReportRequest {
  trust?: string;
  from?: string;
  to?: string;
}

/** One page of a period's breaches, worst first. */
export interface BreachPage {
  trust: string | null;
  from: string;
  to: string;
  asOf: string;
  /** Every breached clock of the period. */
  total: number;
  offset: number;
  limit: number;
  breaches: Breach[];
}

/** Who and what a report is about, once the caller's right to it is checked. */
export interface ReportTarget {
  user: AuthUser;
  trust: { id: string; code: string } | null;
  period: ReportPeriod;
  asOf: Date;
}

/**
 * The SLA report: checks who may see which trust (a trust manager only their own, anyone else's is 404; desk
 * managers and admins any trust or all), makes sure business time is written for the years involved, and adds up
 * the stored months of a period of whole settled months, or else runs the one statement. Every read also goes
 * through IncidentScope, the one scope rule.
 */
@Injectable()
export class SlaReportService {
  private readonly logger = new Logger(SlaReportService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: IncidentScope,
    private readonly openPeriods: SlaOpenPeriods,
    private readonly clock: Clock,
    private readonly directory: CatalogueService,
  ) {}

  async target(user: AuthUser, request: ReportRequest): Promise<ReportTarget> {
    const asOf = this.clock.now();
    const period = reportPeriod(request, asOf);
    if (isPeriodProblem(period)) throw invalidPeriod(period);
    return { user, trust: await this.trustFor(user, request.trust), period, asOf };
  }

  async report(target: ReportTarget): Promise<SlaReport> {
    const { user, trust, period, asOf } = target;
    await this.openPeriods.ensureYears(period.start.getUTCFullYear(), asOf.getUTCFullYear());
    const scope = this.scope.sql(user, 'i', 5);
    const span = { start: period.start, end: period.end, asOf, trustId: trust?.id ?? null };
    const fromMonths = await this.fromMonths(target, scope);
    const raw = fromMonths ?? (await runSlaReport(this.db.manager, scope, span));
    this.logger.log(
      {
        userId: user.id,
        trust: trust?.code ?? null,
        from: period.from,
        to: period.to,
        computed: fromMonths ? 'stored months' : 'one statement',
      },
      'SLA report',
    );
    return shapeSlaReport(raw, { trust: trust?.code ?? null, from: period.from, to: period.to, asOf });
  }

  /**
   * A period of whole months added up from each month's stored figures (runMonthPartialsReport), when it has ended,
   * the reader's scope is all incidents or a trust's (the stored figures are per trust) and every month has
   * settled; else null.
   */
  private async fromMonths(
    target: ReportTarget,
    scope: { sql: string; params: unknown[] },
  ): Promise<ReportAggregates | null> {
    const { user, trust, period, asOf } = target;
    const kind = scopeRule(user).kind;
    if (!wholeMonths(period) || period.end > asOf || (kind !== 'all' && kind !== 'trust')) return null;
    return runMonthPartialsReport(
      this.db.manager,
      { ...scope, rowScope: this.scope.sql(user, 'r', 2).sql },
      { start: period.start, end: period.end, asOf, trustId: trust?.id ?? null },
    );
  }

  /**
   * One page of the period's breaches, in the report's order (most minutes over first), computed now: the list a
   * report shows the head of. Same scope rule and business time as the report.
   */
  async breaches(target: ReportTarget, page: { offset: number; limit: number }): Promise<BreachPage> {
    const { user, trust, period, asOf } = target;
    await this.openPeriods.ensureYears(period.start.getUTCFullYear(), asOf.getUTCFullYear());
    const raw = await runSlaBreaches(
      this.db.manager,
      this.scope.sql(user, 'i', 5),
      { start: period.start, end: period.end, asOf, trustId: trust?.id ?? null },
      page,
    );
    return {
      trust: trust?.code ?? null,
      from: period.from,
      to: period.to,
      asOf: asOf.toISOString(),
      total: Number(raw.total),
      offset: page.offset,
      limit: page.limit,
      breaches: raw.breaches.map(shapeBreach),
    };
  }

  /** Resolution SLA met % for each of the 12 months ending with the period's last month (null: none decided). */
  async monthlyMetPercent(target: ReportTarget): Promise<{ month: string; metPercent: number | null }[]> {
    const { user, trust, period, asOf } = target;
    const window = trailingMonths(period, 12);
    // The stored months hold figures per trust: read through the scope rule when it is by trust (or none).
    const byTrust = scopeRule(user).kind !== 'supplier';
    const scope = {
      ...this.scope.sql(user, 'i', 5),
      rowScope: byTrust ? this.scope.sql(user, 'r', 5).sql : null,
    };
    const rows = await runMonthlySla(this.db.manager, scope, {
      start: window.start,
      end: window.end,
      asOf,
      trustId: trust?.id ?? null,
    });
    const byMonth = new Map(rows.map((r) => [r.month, r]));
    return window.months.map((month) => {
      const r = byMonth.get(month);
      return { month, metPercent: r ? metPercent(r.met, r.breached) : null };
    });
  }

  /** The period's CSV as one text (for a frozen pack; a month of one trust). */
  async csvText(target: ReportTarget): Promise<string> {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    });
    await this.writeCsv(target, sink);
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Streams the period's incidents as CSV into `out` (a database cursor: memory stays flat for any range). */
  async writeCsv(target: ReportTarget, out: Writable): Promise<void> {
    const { user, trust, period, asOf } = target;
    const scope = this.scope.sql(user, 'i', 5);
    const runner = this.db.createQueryRunner('slave');
    await runner.connect();
    try {
      const rows = await runner.stream(slaReportRowsSql(scope.sql), [
        period.start,
        period.end,
        asOf,
        trust?.id ?? null,
        ...scope.params,
      ]);
      await pipeline(rows, stringify({ header: true, columns: [...CSV_COLUMNS] }), out);
    } finally {
      await runner.release();
    }
  }

  private async trustFor(
    user: AuthUser,
    code: string | undefined,
  ): Promise<{ id: string; code: string } | null> {
    if (user.role === 'trust_manager') {
      const own = user.trustId === null ? null : await this.directory.trustRef({ id: user.trustId });
      if (!own || (code !== undefined && code !== own.code)) throw reportTrustNotFound(code ?? '');
      return own;
    }
    if (code === undefined) return null;
    const found = await this.directory.trustRef({ code });
    if (!found) throw reportTrustNotFound(code);
    return found;
  }
}
