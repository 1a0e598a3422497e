import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { GroupCommit, type ItemOutcome } from '../../common/batch/group-commit';
import { DomainError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { runPrepared } from '../../database/prepared-statement';
import { AppConfig } from '../../config/app-config';
import { actorLabel, actorUserId, type Actor } from '../audit/actor';
import { AuditService, diffFields } from '../audit/audit.service';
import { unknownReference } from '../directory/directory-errors';
import { Service } from '../directory/service.entity';
import { Site } from '../directory/site.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { outboundRecord, type PreparedEmail } from '../notifications/outbound-record';
import type { SlaPolicyColumns } from '../sla/sla-policies.service';
import { SlaService } from '../sla/sla.service';
import type { Channel, Impact, Priority, Urgency } from './domain/incident-enums';
import type { SiteClassCode } from '../directory/site-class.entity';
import { IncidentDomainError } from './domain/incident-errors';
import { decidePriority, type PriorityDecision } from './domain/priority-matrix';
import { formatReference, parseReference } from './domain/incident-reference';
import { allowedTransitions } from './domain/incident-status';
import { decideReportedAt } from './domain/reported-at';
import type { IncidentDto } from './dto/incident.dto';
import type { UpdateIncidentDto } from './dto/update-incident.dto';
import type { SlaFollowUp } from '../sla/sla-engine';
import type { ClockRecord } from '../sla/sla-sql';
import { IncidentQueries } from './incident-queries.service';
import { IncidentRecorder } from './incident-recorder';
import { Incident } from './incident.entity';
import {
  CREATE_INCIDENTS,
  CREATE_LOOKUP,
  createIncidentsWithGuard,
  LINK_CONTACT_SQL,
  REFRESH_SEARCH_SQL,
  type CreateGuard,
  type NewIncidentRecord,
} from './incident-sql';
import { StatusLinkService } from './status-link.service';

/** What every channel (API, web form, email, phone) hands over to create an incident. */
export interface NewIncident {
  channel: Channel;
  siteCode: string;
  serviceCode: string;
  impact: Impact;
  urgency: Urgency;
  summary: string;
  description: string;
  reporter: { name: string; email?: string | null; phone?: string | null };
  reportedAt?: Date;
  priority?: Priority;
  priorityReason?: string;
  /** An earlier incident this one follows on from (e.g. an email reply to a closed incident). */
  relatedIncidentId?: string | null;
  /**
   * The acknowledgement to the reporter: sent by default when there is an email address. A channel that
   * decides for itself (email intake: caps, bouncing addresses) passes `send: false`, or threading headers.
   */
  acknowledgement?: { send: boolean; inReplyTo?: string | null; references?: string[] };
}

/**
 * Work a channel does with the create (email intake: mark the inbound message processed, keep its attachments),
 * so that the incident and the channel's record of it commit together or not at all.
 */
export interface CreateHooks {
  /**
   * A channel's write that joins the create statement itself (CreateGuard), given the new incident's id and
   * reference: with no inTransaction hook the create then still needs no BEGIN and COMMIT. When the guard writes
   * nothing, neither does the create, and create() throws what `lost` returns.
   */
  inStatement?: (created: { id: string; reference: string }) => CreateGuard;
  inTransaction?: (em: EntityManager, created: { id: string; reference: string }) => Promise<void>;
}

/** What CREATE_LOOKUP reads per item. */
interface TargetRow extends SlaPolicyColumns {
  ord: number;
  number: string;
  site_id: string;
  trust_id: string;
  site_code: string;
  site_name: string;
  class_code: SiteClassCode;
  trust_code: string;
  trust_name: string;
  service_id: string;
  service_code: string;
  service_name: string;
}

interface CreatedRow {
  id: string;
  reporter_contact_id: string | null;
  created_at: Date;
}

export interface CreatedIncident {
  id: string;
  incident: IncidentDto;
  statusUrl: string;
  /** The acknowledgement's outbound_message id, when one was queued. */
  acknowledgementId: string | null;
}

interface CreateRequest {
  input: NewIncident;
  actor: Actor;
}

/** A create's own decisions, made before anything is read. */
interface DecidedCreate extends CreateRequest {
  reportedAt: Date;
  priority: PriorityDecision;
  email: string | null;
  phone: string | null;
  reporterName: string;
  summary: string;
}

/** A new incident ready to write: its record, acknowledgement and clocks, and what the answer is built from. */
interface PreparedCreate extends DecidedCreate {
  target: TargetRow;
  record: NewIncidentRecord;
  reference: string;
  statusUrl: string;
  mail: PreparedEmail | null;
  sla: { records: ClockRecord[]; followUp: SlaFollowUp };
}

interface WrittenCreate {
  prepared: PreparedCreate;
  createdAt: Date;
}

/**
 * Group commit of API and web-form creates: most items per statement, and statements in flight at once. One at a
 * time made the biggest batches and the best rate in bench:incidents (1,044-1,148 req/s against 1,010-1,032 with two).
 */
const CREATE_BATCH = { maxBatch: 64, maxConcurrent: 1 };

/** Creating and editing incidents. Status changes, assignment and the timeline live in IncidentWorkflow. */
@Injectable()
export class IncidentsService {
  private readonly batches: GroupCommit<CreateRequest, WrittenCreate>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queries: IncidentQueries,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly statusLinks: StatusLinkService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly sla: SlaService,
  ) {
    this.batches = new GroupCommit<CreateRequest, WrittenCreate>(
      {
        write: (requests) => this.writeBatch(requests),
        after: (outcomes) => this.afterCommit(outcomes.flatMap((o) => (o.ok ? [o.value.prepared] : []))),
      },
      CREATE_BATCH,
    );
  }

  /**
   * Two round trips: one read (site, service, SLA policy, the number) and one statement that writes everything
   * (reporter contact, incident, "created" event, audit entry, acknowledgement, SLA clocks), which is one
   * transaction by itself. The acknowledgement and any timer are queued only after the commit.
   *
   * Without hooks the create joins a group commit (GroupCommit): creates that arrive while others are being written
   * share the next read and the next statement, and each still succeeds or fails alone (a statement that fails is
   * retried one incident at a time). A channel's write may join the statement (hooks.inStatement); its other
   * writes (hooks.inTransaction) join it in an explicit transaction. Either way that create is written by itself.
   */
  async create(input: NewIncident, actor: Actor, hooks: CreateHooks = {}): Promise<CreatedIncident> {
    if (!hooks.inStatement && !hooks.inTransaction) {
      const written = await this.batches.submit({ input, actor });
      return this.present(written.prepared, written.createdAt);
    }
    const [outcome] = await this.prepare([{ input, actor }], this.clock.now());
    if (!outcome.ok) throw outcome.error;
    const prepared = outcome.value;
    const created = { id: prepared.record.id, reference: prepared.reference };
    const guard = hooks.inStatement?.(created);
    const write = async (em: EntityManager): Promise<CreatedRow> => {
      const [row] = await this.insert(em, [prepared], guard);
      if (hooks.inTransaction) await hooks.inTransaction(em, created);
      return row;
    };
    const row = hooks.inTransaction ? await this.db.transaction(write) : await write(this.db.manager);
    await this.afterCommit([prepared]);
    return this.present(prepared, row.created_at);
  }

  /** One group commit's write: every item read in one round trip and written in one statement. */
  private async writeBatch(requests: CreateRequest[]): Promise<ItemOutcome<WrittenCreate>[]> {
    const outcomes = await this.prepare(requests, this.clock.now());
    const ready = outcomes.flatMap((o) => (o.ok ? [o.value] : []));
    const rows = new Map<string, CreatedRow>();
    const failed = new Map<string, unknown>();
    const insertEach = async (batch: PreparedCreate[]): Promise<void> => {
      for (const row of await this.insert(this.db.manager, batch)) rows.set(row.id, row);
    };
    if (ready.length > 0) {
      try {
        await insertEach(ready);
      } catch (err) {
        // The statement wrote nothing. Which incident broke it? Each alone: only that one fails.
        if (ready.length === 1) failed.set(ready[0].record.id, err);
        else {
          for (const prepared of ready)
            await insertEach([prepared]).catch((e: unknown) => failed.set(prepared.record.id, e));
        }
      }
    }
    return outcomes.map((o): ItemOutcome<WrittenCreate> => {
      if (!o.ok) return o;
      const row = rows.get(o.value.record.id);
      return row
        ? { ok: true, value: { prepared: o.value, createdAt: row.created_at } }
        : {
            ok: false,
            error:
              failed.get(o.value.record.id) ?? new Error(`incident ${o.value.reference} was not written`),
          };
    });
  }

  /**
   * Decides, reads and prepares each create: an item whose own input is wrong (a reported time in the future, an
   * override without a reason, an unknown site or service) gets its error, and the others go on.
   */
  private async prepare(requests: CreateRequest[], now: Date): Promise<ItemOutcome<PreparedCreate>[]> {
    const decided = requests.map((request): ItemOutcome<DecidedCreate> => {
      try {
        return { ok: true, value: this.decide(request, now) };
      } catch (error) {
        return { ok: false, error };
      }
    });
    const live = decided.flatMap((d) => (d.ok ? [d.value] : []));
    const targets = live.length
      ? await runPrepared<TargetRow>(this.db, null, CREATE_LOOKUP, [
          live.map((d) => d.input.siteCode),
          live.map((d) => d.input.serviceCode),
          live.map((d) => d.priority.priority),
        ])
      : [];
    const byItem = new Map<DecidedCreate, TargetRow>();
    for (const target of targets) byItem.set(live[target.ord - 1], target);
    return Promise.all(
      decided.map(async (d): Promise<ItemOutcome<PreparedCreate>> => {
        if (!d.ok) return d;
        const target = byItem.get(d.value);
        if (!target) return { ok: false, error: await this.unknownTarget(d.value.input) };
        try {
          return { ok: true, value: await this.assemble(d.value, target, now) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }

  private decide(request: CreateRequest, now: Date): DecidedCreate {
    const { input } = request;
    return {
      ...request,
      reportedAt: decideReportedAt(input.reportedAt, now),
      priority: decidePriority(
        {
          impact: input.impact,
          urgency: input.urgency,
          override: input.priority ? { priority: input.priority, reason: input.priorityReason } : undefined,
        },
        this.config.priorityMatrix,
      ),
      email: input.reporter.email?.trim().toLowerCase() || null,
      phone: input.reporter.phone ?? null,
      reporterName: input.reporter.name.trim(),
      summary: input.summary.trim(),
    };
  }

  /** The lookup found no row: say which code is unknown. */
  private async unknownTarget(input: NewIncident): Promise<unknown> {
    try {
      await this.resolveSiteAndService(this.db.manager, input.siteCode, input.serviceCode);
      return new Error('the create lookup found no row although the site and service exist');
    } catch (err) {
      return err;
    }
  }

  private async assemble(d: DecidedCreate, target: TargetRow, now: Date): Promise<PreparedCreate> {
    const { input, actor, priority, summary, reportedAt } = d;
    const id = randomUUID();
    const reference = formatReference(target.number);
    const statusUrl = this.statusLinks.url(id, now);
    const ack = input.acknowledgement ?? { send: true };
    const mail =
      d.email && ack.send
        ? this.notifications.prepareEmail({
            template: 'incident-acknowledgement',
            to: d.email,
            subject: `[${reference}] We have logged your fault: ${summary}`,
            incidentId: id,
            automatic: true,
            inReplyTo: ack.inReplyTo ?? null,
            references: ack.references ?? [],
            context: {
              reference,
              reporterName: d.reporterName,
              summary,
              siteName: target.site_name,
              siteCode: target.site_code,
              serviceName: target.service_name,
              priority: priority.priority,
              statusUrl,
            },
          })
        : null;
    // The SLA clocks are written with the incident: an incident never exists without its due times.
    const sla = await this.sla.startClocks(
      {
        id,
        number: target.number,
        reportedAt,
        status: 'new',
        resolvedAt: null,
        siteClassCode: target.class_code,
        priority: priority.priority,
        assigneeId: null,
        trustId: target.trust_id,
        siteId: target.site_id,
        summary,
      },
      target,
      now,
    );
    const created = {
      channel: input.channel,
      priority: priority.priority,
      calculatedPriority: priority.calculated,
      impact: input.impact,
      urgency: input.urgency,
      site: input.siteCode,
      service: input.serviceCode,
      reportedAt: reportedAt.toISOString(),
    };
    const record: NewIncidentRecord = {
      id,
      number: target.number,
      trust_id: target.trust_id,
      site_id: target.site_id,
      site_class_code: target.class_code,
      service_id: target.service_id,
      channel: input.channel,
      priority: priority.priority,
      impact: input.impact,
      urgency: input.urgency,
      priority_overridden: priority.overridden,
      priority_reason: priority.reason,
      summary,
      description: input.description,
      reporter_name: d.reporterName,
      reporter_email: d.email,
      reporter_phone: d.phone,
      reported_at: reportedAt,
      related_incident_id: input.relatedIncidentId ?? null,
      actor_user_id: actorUserId(actor),
      actor_name: actor.name,
      actor_label: actorLabel(actor),
      event_data: created,
      audit_changes: Object.entries(created).map(([field, value]) => ({ field, old: null, new: value })),
    };
    return { ...d, target, record, reference, statusUrl, mail, sla };
  }

  /** Runs CREATE_INCIDENTS (with the guard, if any) for these incidents; links a contact a concurrent create added. */
  private async insert(
    em: EntityManager,
    batch: PreparedCreate[],
    guard?: CreateGuard,
  ): Promise<CreatedRow[]> {
    const params = [
      JSON.stringify(batch.map((p) => p.record)),
      JSON.stringify(batch.flatMap((p) => (p.mail ? [outboundRecord(p.mail)] : []))),
      JSON.stringify(batch.flatMap((p) => p.sla.records)),
    ];
    const rows = guard
      ? await runPrepared<CreatedRow>(this.db, em, createIncidentsWithGuard(guard), [
          ...params,
          ...guard.params,
        ])
      : await runPrepared<CreatedRow>(this.db, em, CREATE_INCIDENTS, params);
    if (rows.length === 0 && guard) throw guard.lost();
    const emails = new Map(batch.map((p) => [p.record.id, p.email]));
    for (const row of rows) {
      const email = emails.get(row.id);
      if (email && !row.reporter_contact_id) await em.query(LINK_CONTACT_SQL, [row.id, email]);
    }
    return rows;
  }

  /** Queues the acknowledgements and SLA timers of committed creates. Never throws. */
  private async afterCommit(created: PreparedCreate[]): Promise<void> {
    await Promise.all([
      this.notifications.dispatch(created.flatMap((p) => (p.mail ? [p.mail.id] : []))),
      this.sla.afterCommit(...created.map((p) => p.sla.followUp)),
    ]);
  }

  private present(p: PreparedCreate, createdAt: Date): CreatedIncident {
    const incident: IncidentDto = {
      reference: p.reference,
      status: 'new',
      priority: p.priority.priority,
      impact: p.input.impact,
      urgency: p.input.urgency,
      channel: p.input.channel,
      reportedAt: p.reportedAt.toISOString(),
      site: { code: p.target.site_code, name: p.target.site_name, class: p.target.class_code },
      trust: { code: p.target.trust_code, name: p.target.trust_name },
      service: p.target.service_code,
      summary: p.summary,
      description: p.input.description,
      reporter: { name: p.reporterName, email: p.email, phone: p.phone },
      assignee: null,
      priorityOverridden: p.priority.overridden,
      priorityReason: p.priority.reason,
      resolution: null,
      resolvedAt: null,
      closedAt: null,
      allowedTransitions: allowedTransitions('new'),
      sla: p.sla.followUp.view,
      createdAt: createdAt.toISOString(),
      updatedAt: createdAt.toISOString(),
    };
    return { id: p.record.id, incident, statusUrl: p.statusUrl, acknowledgementId: p.mail?.id ?? null };
  }

  /** Edits fields; priority follows the matrix unless overridden with a reason. Records every change. */
  async update(reference: string, dto: UpdateIncidentDto, actor: Actor): Promise<IncidentDto> {
    const now = this.clock.now();
    let slaFollowUp: SlaFollowUp | null = null;
    const id = await this.db.transaction(async (em) => {
      const incident = await lockIncident(em, reference);
      const before = { ...incident };
      if (dto.siteCode !== undefined || dto.service !== undefined) {
        const { site, service } = await this.resolveSiteAndService(
          em,
          dto.siteCode ?? null,
          dto.service ?? null,
        );
        if (site)
          Object.assign(incident, { siteId: site.id, trustId: site.trustId, siteClassCode: site.classCode });
        if (service) incident.serviceId = service.id;
      }
      if (dto.summary !== undefined) incident.summary = dto.summary.trim();
      if (dto.description !== undefined) incident.description = dto.description;
      if (dto.impact !== undefined) incident.impact = dto.impact;
      if (dto.urgency !== undefined) incident.urgency = dto.urgency;
      const keepOverride = dto.priority === undefined && incident.priorityOverridden;
      const override = dto.priority
        ? { priority: dto.priority, reason: dto.priorityReason }
        : keepOverride
          ? { priority: incident.priority, reason: incident.priorityReason }
          : undefined;
      const decision = decidePriority(
        { impact: incident.impact, urgency: incident.urgency, override },
        this.config.priorityMatrix,
      );
      Object.assign(incident, {
        priority: decision.priority,
        priorityOverridden: decision.overridden,
        priorityReason: decision.reason,
      });

      const fields = [
        'summary',
        'description',
        'siteId',
        'trustId',
        'siteClassCode',
        'serviceId',
        'impact',
        'urgency',
        'priority',
        'priorityOverridden',
        'priorityReason',
      ] as const;
      const changes = diffFields(before, incident, fields);
      if (changes.length === 0) return incident.id;
      await em.save(incident);
      const recorder = new IncidentRecorder(em, this.audit, incident.id, actor);
      if (before.priority !== incident.priority) {
        await recorder.event('system', {
          type: 'priority_changed',
          data: { from: before.priority, to: incident.priority, reason: decision.reason },
        });
      }
      const others = changes.filter((c) => !c.field.startsWith('priority')).map((c) => c.field);
      if (others.length) await recorder.event('system', { type: 'fields_changed', data: { fields: others } });
      await recorder.auditChange('incident.updated', changes);
      if (dto.summary !== undefined || dto.description !== undefined)
        await em.query(REFRESH_SEARCH_SQL, [incident.id]);
      // A new priority or site means new SLA terms, recomputed from the whole history and noted on the timeline.
      const slaReason = [
        before.priority !== incident.priority && 'priority_changed',
        before.siteId !== incident.siteId && 'site_changed',
      ]
        .filter(Boolean)
        .join(',');
      if (slaReason) slaFollowUp = await this.sla.onTermsChanged(em, incident, now, slaReason, actor);
      return incident.id;
    });
    await this.sla.afterCommit(slaFollowUp);
    return this.queries.present(id);
  }

  /** Looks up the named site (with its trust) and service; an unknown one is a 422 naming every such field. */
  private async resolveSiteAndService(
    em: EntityManager,
    siteCode: string | null,
    serviceCode: string | null,
  ): Promise<{ site: Site | null; service: Service | null }> {
    const [site, service] = await Promise.all([
      siteCode === null
        ? null
        : em.getRepository(Site).findOne({ where: { code: siteCode }, relations: { trust: true } }),
      serviceCode === null ? null : em.getRepository(Service).findOneBy({ code: serviceCode }),
    ]);
    const unknown = [
      ...(siteCode !== null && !site ? [{ field: 'siteCode', value: siteCode }] : []),
      ...(serviceCode !== null && !service ? [{ field: 'service', value: serviceCode }] : []),
    ];
    if (unknown.length === 1) throw unknownReference(unknown[0].field, unknown[0].value);
    if (unknown.length > 1) {
      throw new DomainError(
        'DIRECTORY.UNKNOWN_REFERENCE',
        unknown.map((u) => `${u.field}: nothing with code ${JSON.stringify(u.value)}`).join('; '),
        {
          field: unknown[0].field,
          fields: unknown,
        },
      );
    }
    return { site, service };
  }
}

/** Loads an incident by reference for a change, locking its row until the transaction ends. */
export async function lockIncident(em: EntityManager, reference: string): Promise<Incident> {
  const number = parseReference(reference);
  const incident =
    number === null
      ? null
      : await em
          .getRepository(Incident)
          .findOne({ where: { number: String(number) }, lock: { mode: 'pessimistic_write' } });
  if (!incident)
    throw new IncidentDomainError('INCIDENT.NOT_FOUND', `No incident ${reference} that you can see.`);
  return incident;
}
