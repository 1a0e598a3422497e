import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../../common/http/pagination';
import { Clock } from '../../../common/time/clock';
import { AuditService } from '../../audit/audit.service';
import type { AuthUser } from '../../auth/auth-user';
import { CatalogueService } from '../../directory/catalogue.service';
import { UsersService } from '../../users/users.service';
import { REPORT_ZONE } from '../domain/report-period';
import { recipientRefusal, type Recipient } from './domain/recipient-scope';
import { cronPattern, nextRunAt, scheduleProblem, type Schedule } from './domain/report-schedule';
import type {
  CreateReportSubscriptionDto,
  ReportDeliveryDto,
  ReportSubscriptionDto,
} from './dto/report-subscription.dto';
import { subscriptionInvalid, subscriptionNotFound } from './report-delivery-errors';
import { ReportDelivery } from './report-delivery.entity';
import { ReportSchedules } from './report-schedules';
import { ReportSubscription } from './report-subscription.entity';

/** What a refused recipient is told, per reason (the same rule the run applies again when it builds the mail). */
const RECIPIENT_REASONS = {
  recipient_missing: 'no such user',
  recipient_disabled: 'the user is disabled',
  recipient_role: 'only trust managers, desk managers and admins receive reports',
  recipient_trust: "a trust manager receives only their own trust's report",
} as const;

/**
 * Report subscriptions (desk managers and admins): create, list, delete, and read each one's delivery log. Each
 * change is committed, then its job scheduler follows (ReportSchedules).
 */
@Injectable()
export class ReportSubscriptions {
  private readonly logger = new Logger(ReportSubscriptions.name);

  constructor(
    @InjectRepository(ReportSubscription) private readonly subscriptions: Repository<ReportSubscription>,
    @InjectRepository(ReportDelivery) private readonly deliveries: Repository<ReportDelivery>,
    private readonly users: UsersService,
    private readonly directory: CatalogueService,
    private readonly schedules: ReportSchedules,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async create(dto: CreateReportSubscriptionDto, actor: AuthUser): Promise<ReportSubscriptionDto> {
    const schedule: Schedule = {
      frequency: dto.frequency,
      dayOfWeek: dto.dayOfWeek ?? null,
      dayOfMonth: dto.dayOfMonth ?? null,
      timeOfDay: dto.timeOfDay,
    };
    const problem = scheduleProblem(schedule);
    if (problem) throw subscriptionInvalid(problem.field, problem.reason);
    const recipient = await this.recipient(dto.recipientUserId);
    let trust: { id: string; code: string } | null = null;
    if (dto.trust !== undefined) {
      trust = await this.directory.trustRef({ code: dto.trust });
      if (!trust) throw subscriptionInvalid('trust', `no trust ${JSON.stringify(dto.trust)}`);
    } else if (recipient?.role === 'trust_manager' && recipient.trustId) {
      trust = await this.directory.trustRef({ id: recipient.trustId });
    }
    const refusal = recipientRefusal(recipient, trust?.id ?? null);
    if (refusal) throw subscriptionInvalid('recipientUserId', RECIPIENT_REASONS[refusal]);
    const saved = await this.subscriptions.manager.transaction(async (em) => {
      const row = await em.save(
        em.create(ReportSubscription, {
          ...schedule,
          userId: dto.recipientUserId,
          trustId: trust?.id ?? null,
          createdBy: actor.id,
        }),
      );
      await this.audit.record(em, {
        entityType: 'report_subscription',
        entityId: row.id,
        action: 'report_subscription.created',
        actor: { kind: 'user', user: actor, name: actor.name },
        changes: [
          { field: 'recipientUserId', old: null, new: row.userId },
          { field: 'trust', old: null, new: trust?.code ?? null },
          { field: 'schedule', old: null, new: cronPattern(row) },
        ],
      });
      return row;
    });
    await this.schedules.afterCommit({ upsert: saved });
    this.logger.log(
      {
        subscriptionId: saved.id,
        userId: saved.userId,
        trust: trust?.code ?? null,
        frequency: saved.frequency,
        actorId: actor.id,
      },
      'Report subscription created',
    );
    return this.view(saved, trust?.code ?? null);
  }

  async list(limit = 100, cursor?: string): Promise<Page<ReportSubscriptionDto>> {
    const qb = this.subscriptions
      .createQueryBuilder('s')
      .orderBy('s.createdAt', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .take(limit + 1);
    if (cursor) {
      const after = decodeCursor(cursor, { createdAt: 'timestamp', id: 'uuid' });
      qb.where('(s.createdAt, s.id) > (:createdAt, :id)', after);
    }
    const rows = await qb.getMany();
    const codes = await this.trustCodes(rows);
    return toPage(
      rows,
      limit,
      (s) => encodeCursor({ createdAt: s.createdAt.toISOString(), id: s.id }),
      (s) => this.view(s, s.trustId ? (codes.get(s.trustId) ?? null) : null),
    );
  }

  async get(id: string): Promise<ReportSubscriptionDto> {
    const s = await this.subscriptions.findOneBy({ id });
    if (!s) throw subscriptionNotFound();
    return this.view(
      s,
      s.trustId ? ((await this.directory.trustRef({ id: s.trustId }))?.code ?? null) : null,
    );
  }

  async remove(id: string, actor: AuthUser): Promise<void> {
    await this.subscriptions.manager.transaction(async (em) => {
      const result = await em.delete(ReportSubscription, { id });
      if (!result.affected) throw subscriptionNotFound();
      await this.audit.record(em, {
        entityType: 'report_subscription',
        entityId: id,
        action: 'report_subscription.deleted',
        actor: { kind: 'user', user: actor, name: actor.name },
        changes: [],
      });
    });
    await this.schedules.afterCommit({ remove: id });
    this.logger.log({ subscriptionId: id, actorId: actor.id }, 'Report subscription deleted');
  }

  /** The delivery log of a subscription, newest period first (kept after the subscription is deleted). */
  async deliveryLog(subscriptionId: string, limit = 100, cursor?: string): Promise<Page<ReportDeliveryDto>> {
    const qb = this.deliveries
      .createQueryBuilder('d')
      .where('d.subscriptionId = :subscriptionId', { subscriptionId })
      .orderBy('d.periodStart', 'DESC')
      .take(limit + 1);
    if (cursor) {
      const after = decodeCursor(cursor, { periodStart: 'timestamp' });
      qb.andWhere('d.periodStart < :periodStart', after);
    }
    const rows = await qb.getMany();
    if (rows.length === 0 && !cursor && !(await this.subscriptions.existsBy({ id: subscriptionId })))
      throw subscriptionNotFound();
    return toPage(
      rows,
      limit,
      (d) => encodeCursor({ periodStart: d.periodStart.toISOString() }),
      (d) => ({
        id: d.id,
        subscriptionId: d.subscriptionId,
        periodFrom: d.periodFrom,
        periodTo: d.periodTo,
        status: d.status,
        reason: d.reason,
        outboundMessageId: d.outboundMessageId,
        csvAttached: d.csvAttached,
        decidedAt: d.decidedAt.toISOString(),
      }),
    );
  }

  /** The user as the recipient rule reads them, or null when there is none. */
  async recipient(userId: string): Promise<(Recipient & { email: string; name: string }) | null> {
    try {
      const u = await this.users.get(userId);
      const trust = u.trustCode ? await this.directory.trustRef({ code: u.trustCode }) : null;
      return { active: u.active, role: u.role, trustId: trust?.id ?? null, email: u.email, name: u.name };
    } catch (err) {
      if (err instanceof DomainError && err.code === 'USER.NOT_FOUND') return null;
      throw err;
    }
  }

  private async trustCodes(rows: ReportSubscription[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.map((r) => r.trustId).filter((t): t is string => t !== null))];
    const refs = await Promise.all(ids.map((id) => this.directory.trustRef({ id })));
    return new Map(refs.filter((r) => r !== null).map((r) => [r.id, r.code]));
  }

  private view(s: ReportSubscription, trust: string | null): ReportSubscriptionDto {
    return {
      id: s.id,
      recipientUserId: s.userId,
      trust,
      frequency: s.frequency,
      dayOfWeek: s.dayOfWeek,
      dayOfMonth: s.dayOfMonth,
      timeOfDay: s.timeOfDay,
      timeZone: REPORT_ZONE,
      cron: cronPattern(s),
      nextRunAt: nextRunAt(s, this.clock.now()).toISOString(),
      createdAt: s.createdAt.toISOString(),
    };
  }
}
