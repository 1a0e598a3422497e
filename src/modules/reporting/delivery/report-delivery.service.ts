import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { Clock } from '../../../common/time/clock';
import { AppConfig } from '../../../config/app-config';
import type { AuthUser } from '../../auth/auth-user';
import { CatalogueService } from '../../directory/catalogue.service';
import { NotificationsService } from '../../notifications/notifications.service';
import type { MailAttachment } from '../../notifications/outbound-attachments';
import type { ReportPeriod } from '../domain/report-period';
import { metPercent, type SlaReport } from '../domain/sla-report';
import { ReportPacks } from '../report-packs.service';
import { SlaReportService } from '../sla-report.service';
import { recipientRefusal, type SkipReason } from './domain/recipient-scope';
import { closedPeriod } from './domain/report-schedule';
import { monthlyMetChartPng } from './report-chart-png';
import { ReportSubscription } from './report-subscription.entity';
import { ReportSubscriptions } from './report-subscriptions.service';

export type DeliveryOutcome =
  | { outcome: 'sent'; deliveryId: string; outboundMessageId: string }
  | { outcome: 'skipped'; reason: SkipReason }
  /** This (subscription, period) was decided before (a retry, a duplicate job): nothing done. */
  | { outcome: 'already-decided' }
  /** The subscription was deleted after its job was queued. */
  | { outcome: 'gone' };

const CHART_CID = 'sla-chart@rosedesk';

const pct = (v: number | null): string => (v === null ? 'none decided' : `${v}%`);

/**
 * One run of a subscription: the period just closed (Europe/London), the recipient re-read and checked now (a
 * disabled user, a changed role or trust gets nothing, and the decision is logged), the report (a frozen pack
 * when there is one) with its chart as an inline PNG and its CSV attached, queued through the mail outbox. A CSV
 * that would take the mail's files past REPORT_MAIL_MAX_BYTES is left out: the mail says so and links to the
 * report page (where the recipient signs in and downloads it), and the delivery row records it (`csv_attached`).
 *
 * Idempotent per (subscription, period): the report_delivery row is inserted with ON CONFLICT DO NOTHING in the
 * transaction that writes the outbound mail, so of two jobs for the same period one queues the mail and the
 * other finds the row and does nothing; a retry after the commit does the same.
 */
@Injectable()
export class ReportDeliveryService {
  private readonly logger = new Logger(ReportDeliveryService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(ReportSubscription) private readonly subscriptions: Repository<ReportSubscription>,
    private readonly subscriptionsService: ReportSubscriptions,
    private readonly reports: SlaReportService,
    private readonly packs: ReportPacks,
    private readonly notifications: NotificationsService,
    private readonly directory: CatalogueService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * `scheduledFor`: the instant the job scheduler meant this run for, when known. The period is the one just
   * closed at that instant, so a run held up past the next period's start (an outage, retries) still reports the
   * period it was meant for; without it (a job added by hand), the desk's clock decides.
   */
  async deliver(subscriptionId: string, scheduledFor: Date | null = null): Promise<DeliveryOutcome> {
    const now = this.clock.now();
    const sub = await this.subscriptions.findOneBy({ id: subscriptionId });
    if (!sub) {
      this.logger.log({ subscriptionId }, 'Report run: the subscription is gone; nothing sent');
      return { outcome: 'gone' };
    }
    const period = closedPeriod(sub.frequency, scheduledFor ?? now);
    const log = { subscriptionId, periodFrom: period.from, periodTo: period.to };
    if (await this.decided(sub.id, period)) {
      this.logger.log(log, 'Report run: this period was decided before; nothing sent');
      return { outcome: 'already-decided' };
    }
    const recipient = await this.subscriptionsService.recipient(sub.userId);
    const refusal = recipientRefusal(recipient, sub.trustId);
    if (refusal || !recipient) {
      const reason = refusal ?? 'recipient_missing';
      const inserted = await this.record(this.db.manager, sub.id, period, now, 'skipped', reason);
      this.logger.warn({ ...log, userId: sub.userId, reason }, 'Report run: recipient refused; nothing sent');
      return inserted ? { outcome: 'skipped', reason } : { outcome: 'already-decided' };
    }
    const user: AuthUser = {
      id: sub.userId,
      email: recipient.email,
      name: recipient.name,
      role: recipient.role as AuthUser['role'],
      trustId: recipient.trustId,
      supplierId: null,
    };
    const trustCode = sub.trustId
      ? ((await this.directory.trustRef({ id: sub.trustId }))?.code ?? null)
      : null;
    // The report service applies the same trust rule again (a trust manager's other trust is refused).
    const target = await this.reports.target(user, {
      trust: trustCode ?? undefined,
      from: period.from,
      to: period.to,
    });
    // The report first: when it freezes the month's pack, the CSV below is read from that pack, not built again.
    const [report, monthly] = await Promise.all([
      this.packs.report(target),
      this.reports.monthlyMetPercent(target),
    ]);
    const frozenCsv = await this.packs.frozenCsv(target);
    const csv = frozenCsv ?? (await this.reports.csvText(target));
    const months = monthly.map((m) => ({ label: m.month, value: m.metPercent }));
    const png = monthlyMetChartPng(months);
    const scope = trustCode ?? 'every trust';
    const csvFile: MailAttachment = {
      filename: `sla-${trustCode ?? 'all'}-${period.from}-${period.to}.csv`,
      contentType: 'text/csv',
      content: Buffer.from(csv, 'utf8'),
    };
    const csvAttached = png.length + csvFile.content.length <= this.config.env.REPORT_MAIL_MAX_BYTES;
    const result = await this.db.transaction(async (em) => {
      const deliveryId = await this.record(em, sub.id, period, now, 'sent', null, csvAttached);
      if (!deliveryId) return null;
      const mail = await this.notifications.queueEmail(em, {
        template: 'sla-report',
        to: recipient.email,
        subject: `SLA report, ${scope}, ${period.from} to ${period.to}`,
        automatic: true,
        context: {
          name: recipient.name,
          scope,
          frequency: sub.frequency,
          from: period.from,
          to: period.to,
          headline: headline(report),
          months: months.map((m) => ({ label: m.label, value: pct(m.value) })),
          chartCid: CHART_CID,
          frozen: report.frozen,
          csvLeftOut: csvAttached
            ? null
            : {
                megabytes: (csvFile.content.length / 1e6).toFixed(1),
                href: this.reportPageUrl(trustCode, period),
              },
        },
        attachments: [
          { filename: 'sla-chart.png', contentType: 'image/png', content: png, contentId: CHART_CID },
          ...(csvAttached ? [csvFile] : []),
        ],
      });
      await em.query('UPDATE report_delivery SET outbound_message_id = $2 WHERE id = $1', [
        deliveryId,
        mail.id,
      ]);
      return { deliveryId, outboundMessageId: mail.id };
    });
    if (!result) {
      this.logger.log(log, 'Report run: another run decided this period first; nothing sent');
      return { outcome: 'already-decided' };
    }
    await this.notifications.dispatch([result.outboundMessageId]);
    this.logger.log({ ...log, ...result, userId: sub.userId, csvAttached }, 'Report run: queued');
    return { outcome: 'sent', ...result };
  }

  /** The console's report page of this trust (all trusts: none named) and period, where its CSV is downloaded. */
  private reportPageUrl(trustCode: string | null, period: ReportPeriod): string {
    const query = new URLSearchParams({
      ...(trustCode ? { trust: trustCode } : {}),
      from: period.from,
      to: period.to,
    });
    return this.config.publicUrl(`/console/reports?${query.toString()}`);
  }

  private async decided(subscriptionId: string, period: ReportPeriod): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(
      'SELECT 1 FROM report_delivery WHERE subscription_id = $1 AND period_start = $2',
      [subscriptionId, period.start],
    );
    return rows.length > 0;
  }

  /** Inserts the period's decision; the id, or null when this period already has one (the unique index). */
  private async record(
    em: EntityManager,
    subscriptionId: string,
    period: ReportPeriod,
    now: Date,
    status: 'sent' | 'skipped',
    reason: SkipReason | null,
    csvAttached: boolean | null = null,
  ): Promise<string | null> {
    const rows = await em.query<{ id: string }[]>(
      `INSERT INTO report_delivery (subscription_id, period_start, period_from, period_to, status, reason,
                                    csv_attached, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (subscription_id, period_start) DO NOTHING RETURNING id`,
      [subscriptionId, period.start, period.from, period.to, status, reason, csvAttached, now],
    );
    return rows[0]?.id ?? null;
  }
}

/** The mail's headline figures, from the report's own groups. */
function headline(report: SlaReport): { label: string; value: string }[] {
  const groups = Object.values(report.byPriority);
  const total = (pick: (g: (typeof groups)[number]) => number) => groups.reduce((a, g) => a + pick(g), 0);
  return [
    { label: 'Incidents reported', value: report.total.toLocaleString('en-GB') },
    {
      label: 'First response SLA met',
      value: pct(
        metPercent(
          total((g) => g.response.met),
          total((g) => g.response.breached),
        ),
      ),
    },
    {
      label: 'Resolution SLA met',
      value: pct(
        metPercent(
          total((g) => g.resolution.met),
          total((g) => g.resolution.breached),
        ),
      ),
    },
    { label: 'Breaches', value: report.breachesTotal.toLocaleString('en-GB') },
    { label: 'Open at period end', value: report.backlog.open.toLocaleString('en-GB') },
    { label: 'Reopen rate', value: report.reopenRate === null ? 'none resolved' : `${report.reopenRate}%` },
  ];
}
