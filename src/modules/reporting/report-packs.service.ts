import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import type { AuthUser } from '../auth/auth-user';
import { slaConfigVersionSql } from '../sla/sla-report-sql';
import { monthPeriod, isPeriodProblem } from './domain/report-period';
import { monthClosed, packHash, reportChanges, wholeMonthOf, type FigureChange } from './domain/report-pack';
import type { SlaReport } from './domain/sla-report';
import { ReportPack } from './report-pack.entity';
import { invalidPeriod, monthOpen, packNotFound, packUnchanged } from './reporting-errors';
import { SlaReportService, type ReportTarget } from './sla-report.service';

export interface PackVersionView {
  version: number;
  hash: string;
  configVersion: string;
  frozenAt: string;
  frozenBy: string;
}

export interface PackComparison {
  trust: string;
  month: string;
  versions: PackVersionView[];
  current: { hash: string; configVersion: string; differs: boolean; changes: FigureChange[] };
}

/**
 * Frozen monthly packs: once a month is closed (REPORT_FREEZE_AFTER_DAYS after its end), a trust's report for it
 * is stored the first time anyone asks for it (JSON, CSV, SLA configuration version, hash) and that pack is the
 * answer from then on. A desk manager compares the latest version with the report computed now and may issue a
 * new version when they differ; every version is kept.
 */
@Injectable()
export class ReportPacks {
  private readonly logger = new Logger(ReportPacks.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reports: SlaReportService,
    private readonly config: AppConfig,
  ) {}

  /** The month a target is frozen for (a trust's whole, closed month), or null: then it is computed live. */
  private frozenMonth(target: ReportTarget): string | null {
    const month = wholeMonthOf(target.period);
    if (!target.trust || !month) return null;
    return monthClosed(month, target.asOf, this.config.env.REPORT_FREEZE_AFTER_DAYS) ? month : null;
  }

  /** The report: the latest frozen pack of a closed month (freezing it on first ask), else computed now. */
  async report(target: ReportTarget): Promise<SlaReport> {
    const pack = await this.packFor(target);
    return pack ? frozenReport(pack) : this.reports.report(target);
  }

  /** The frozen CSV of a closed month, or null (stream it live). */
  async frozenCsv(target: ReportTarget): Promise<string | null> {
    return (await this.packFor(target))?.csv ?? null;
  }

  async compare(user: AuthUser, trust: string, month: string): Promise<PackComparison> {
    const target = await this.monthTarget(user, trust, month);
    const versions = await this.versions(target.trust!.id, month);
    const latest = versions[0];
    if (!latest) throw packNotFound(trust, month);
    const now = await this.compute(target);
    return {
      trust,
      month,
      versions: versions.map(versionView),
      current: {
        hash: now.hash,
        configVersion: now.configVersion,
        differs: now.hash !== latest.hash,
        changes: reportChanges(latest.report as SlaReport, now.report),
      },
    };
  }

  /** Issues a new version from the report computed now (409 when it equals the latest). */
  async issue(user: AuthUser, trust: string, month: string): Promise<PackVersionView> {
    const target = await this.monthTarget(user, trust, month);
    if (!this.frozenMonth(target)) throw monthOpen(month);
    const [latest] = await this.versions(target.trust!.id, month);
    const now = await this.compute(target);
    if (latest && latest.hash === now.hash) throw packUnchanged(latest.version);
    const pack = await this.insert(target, month, (latest?.version ?? 0) + 1, now, user.email);
    if (!pack) throw packUnchanged(latest?.version ?? 1);
    return versionView(pack);
  }

  private async monthTarget(user: AuthUser, trust: string, month: string): Promise<ReportTarget> {
    const period = monthPeriod(month);
    if (isPeriodProblem(period)) throw invalidPeriod(period);
    return this.reports.target(user, { trust, from: period.from, to: period.to });
  }

  private async packFor(target: ReportTarget): Promise<ReportPack | null> {
    const month = this.frozenMonth(target);
    if (!month || !target.trust) return null;
    const [latest] = await this.versions(target.trust.id, month);
    if (latest) return latest;
    await this.insert(target, month, 1, await this.compute(target), 'system');
    const [frozen] = await this.versions(target.trust.id, month);
    return frozen ?? null;
  }

  private async compute(
    target: ReportTarget,
  ): Promise<{ report: SlaReport; csv: string; hash: string; configVersion: string }> {
    const [report, csv, [{ config_version }]] = await Promise.all([
      this.reports.report(target),
      this.reports.csvText(target),
      this.db.query<{ config_version: string }[]>(slaConfigVersionSql()),
    ]);
    return { report, csv, hash: packHash(report, csv), configVersion: config_version };
  }

  /** Inserts a version; a concurrent insert of the same version wins and this returns null. */
  private async insert(
    target: ReportTarget,
    month: string,
    version: number,
    pack: { report: SlaReport; csv: string; hash: string; configVersion: string },
    by: string,
  ): Promise<ReportPack | null> {
    const rows = await this.db.query<{ id: string }[]>(
      `INSERT INTO report_pack (trust_id, month, version, report, csv, config_version, hash, frozen_by, frozen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (trust_id, month, version) DO NOTHING RETURNING id`,
      [
        target.trust!.id,
        month,
        version,
        pack.report,
        pack.csv,
        pack.configVersion,
        pack.hash,
        by,
        target.asOf,
      ],
    );
    if (rows.length === 0) return null;
    this.logger.log(
      { trust: target.trust!.code, month, version, by: by === 'system' ? 'system' : 'user' },
      'Report frozen',
    );
    return this.db.getRepository(ReportPack).findOneByOrFail({ id: rows[0].id });
  }

  private versions(trustId: string, month: string): Promise<ReportPack[]> {
    return this.db.getRepository(ReportPack).find({ where: { trustId, month }, order: { version: 'DESC' } });
  }
}

function versionView(p: ReportPack): PackVersionView {
  return {
    version: p.version,
    hash: p.hash,
    configVersion: p.configVersion,
    frozenAt: p.frozenAt.toISOString(),
    frozenBy: p.frozenBy,
  };
}

function frozenReport(p: ReportPack): SlaReport {
  const report = p.report as Omit<SlaReport, 'breachesTotal'> & { breachesTotal?: number };
  return {
    ...report,
    // Packs frozen before breachesTotal existed listed every breach.
    breachesTotal: report.breachesTotal ?? report.breaches.length,
    frozen: { version: p.version, hash: p.hash, frozenAt: p.frozenAt.toISOString() },
  };
}
