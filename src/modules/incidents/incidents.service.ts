import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
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
import { outboundRecord } from '../notifications/outbound-record';
import type { SlaPolicyColumns } from '../sla/sla-policies.service';
import { SlaService } from '../sla/sla.service';
import type { Channel, Impact, Priority, Urgency } from './domain/incident-enums';
import type { SiteClassCode } from '../directory/site-class.entity';
import { IncidentDomainError } from './domain/incident-errors';
import { decidePriority } from './domain/priority-matrix';
import { formatReference, parseReference } from './domain/incident-reference';
import { allowedTransitions } from './domain/incident-status';
import { decideReportedAt } from './domain/reported-at';
import type { IncidentDto } from './dto/incident.dto';
import type { UpdateIncidentDto } from './dto/update-incident.dto';
import type { SlaFollowUp } from '../sla/sla-engine';
import { IncidentQueries } from './incident-queries.service';
import { IncidentRecorder } from './incident-recorder';
import { Incident } from './incident.entity';
import { CREATE_INCIDENT, CREATE_LOOKUP, createIncidentWithGuard, LINK_CONTACT_SQL, REFRESH_SEARCH_SQL, type CreateGuard } from './incident-sql';
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

/** What CREATE_LOOKUP reads. */
interface TargetRow extends SlaPolicyColumns {
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

/** Creating and editing incidents. Status changes, assignment and the timeline live in IncidentWorkflow. */
@Injectable()
export class IncidentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queries: IncidentQueries,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly statusLinks: StatusLinkService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly sla: SlaService,
  ) {}

  /**
   * Two round trips: one read (site, service, SLA policy, the number) and one statement that writes everything
   * (reporter contact, incident, "created" event, audit entry, acknowledgement, SLA clocks), which is one
   * transaction by itself. A channel's write may join that statement (hooks.inStatement); its other writes
   * (hooks.inTransaction) join it in an explicit transaction. The acknowledgement and any timer are queued only
   * after the commit.
   */
  async create(input: NewIncident, actor: Actor, hooks: CreateHooks = {}): Promise<CreatedIncident> {
    const now = this.clock.now();
    const reportedAt = decideReportedAt(input.reportedAt, now);
    const priority = decidePriority(
      {
        impact: input.impact,
        urgency: input.urgency,
        override: input.priority ? { priority: input.priority, reason: input.priorityReason } : undefined,
      },
      this.config.priorityMatrix,
    );
    const email = input.reporter.email?.trim().toLowerCase() || null;
    const phone = input.reporter.phone ?? null;
    const reporterName = input.reporter.name.trim();
    const summary = input.summary.trim();

    const [target] = await runPrepared<TargetRow>(this.db, null, CREATE_LOOKUP, [input.siteCode, input.serviceCode, priority.priority]);
    if (!target) {
      // Nothing was written: say which code is unknown.
      await this.resolveSiteAndService(this.db.manager, input.siteCode, input.serviceCode);
      throw new Error('the create lookup found no row although the site and service exist');
    }
    const id = randomUUID();
    const reference = formatReference(target.number);
    const statusUrl = this.statusLinks.url(id, now);
    const ack = input.acknowledgement ?? { send: true };
    const mail = email && ack.send
      ? this.notifications.prepareEmail({
          template: 'incident-acknowledgement',
          to: email,
          subject: `[${reference}] We have logged your fault: ${summary}`,
          incidentId: id,
          automatic: true,
          inReplyTo: ack.inReplyTo ?? null,
          references: ack.references ?? [],
          context: {
            reference,
            reporterName,
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
    const params = [
      id,
      target.number,
      target.trust_id,
      target.site_id,
      target.class_code,
      target.service_id,
      input.channel,
      priority.priority,
      input.impact,
      input.urgency,
      priority.overridden,
      priority.reason,
      summary,
      input.description,
      reporterName,
      email,
      phone,
      reportedAt,
      input.relatedIncidentId ?? null,
      actorUserId(actor),
      actor.name,
      JSON.stringify(created),
      actorLabel(actor),
      JSON.stringify(Object.entries(created).map(([field, value]) => ({ field, old: null, new: value }))),
      mail ? JSON.stringify(outboundRecord(mail)) : null,
      JSON.stringify(sla.records),
    ];
    const guard = hooks.inStatement?.({ id, reference });
    const write = async (em: EntityManager): Promise<CreatedRow> => {
      const [row] = guard
        ? await runPrepared<CreatedRow>(this.db, em, createIncidentWithGuard(guard), [...params, ...guard.params])
        : await runPrepared<CreatedRow>(this.db, em, CREATE_INCIDENT, params);
      if (!row && guard) throw guard.lost();
      if (email && !row.reporter_contact_id) await em.query(LINK_CONTACT_SQL, [id, email]);
      if (hooks.inTransaction) await hooks.inTransaction(em, { id, reference });
      return row;
    };
    const row = hooks.inTransaction ? await this.db.transaction(write) : await write(this.db.manager);
    await Promise.all([mail ? this.notifications.dispatch([mail.id]) : undefined, this.sla.afterCommit(sla.followUp)]);

    const incident: IncidentDto = {
      reference,
      status: 'new',
      priority: priority.priority,
      impact: input.impact,
      urgency: input.urgency,
      channel: input.channel,
      reportedAt: reportedAt.toISOString(),
      site: { code: target.site_code, name: target.site_name, class: target.class_code },
      trust: { code: target.trust_code, name: target.trust_name },
      service: target.service_code,
      summary,
      description: input.description,
      reporter: { name: reporterName, email, phone },
      assignee: null,
      priorityOverridden: priority.overridden,
      priorityReason: priority.reason,
      resolution: null,
      resolvedAt: null,
      closedAt: null,
      allowedTransitions: allowedTransitions('new'),
      sla: sla.followUp.view,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.created_at.toISOString(),
    };
    return { id, incident, statusUrl, acknowledgementId: mail?.id ?? null };
  }

  /** Edits fields; priority follows the matrix unless overridden with a reason. Records every change. */
  async update(reference: string, dto: UpdateIncidentDto, actor: Actor): Promise<IncidentDto> {
    const now = this.clock.now();
    let slaFollowUp: SlaFollowUp | null = null;
    const id = await this.db.transaction(async (em) => {
      const incident = await lockIncident(em, reference);
      const before = { ...incident };
      if (dto.siteCode !== undefined || dto.service !== undefined) {
        const { site, service } = await this.resolveSiteAndService(em, dto.siteCode ?? null, dto.service ?? null);
        if (site) Object.assign(incident, { siteId: site.id, trustId: site.trustId, siteClassCode: site.classCode });
        if (service) incident.serviceId = service.id;
      }
      if (dto.summary !== undefined) incident.summary = dto.summary.trim();
      if (dto.description !== undefined) incident.description = dto.description;
      if (dto.impact !== undefined) incident.impact = dto.impact;
      if (dto.urgency !== undefined) incident.urgency = dto.urgency;
      const keepOverride = dto.priority === undefined && incident.priorityOverridden;
      const override = dto.priority ? { priority: dto.priority, reason: dto.priorityReason } : keepOverride ? { priority: incident.priority, reason: incident.priorityReason } : undefined;
      const decision = decidePriority({ impact: incident.impact, urgency: incident.urgency, override }, this.config.priorityMatrix);
      Object.assign(incident, { priority: decision.priority, priorityOverridden: decision.overridden, priorityReason: decision.reason });

      const fields = ['summary', 'description', 'siteId', 'trustId', 'siteClassCode', 'serviceId', 'impact', 'urgency', 'priority', 'priorityOverridden', 'priorityReason'] as const;
      const changes = diffFields(before, incident, fields);
      if (changes.length === 0) return incident.id;
      await em.save(incident);
      const recorder = new IncidentRecorder(em, this.audit, incident.id, actor);
      if (before.priority !== incident.priority) {
        await recorder.event('system', { type: 'priority_changed', data: { from: before.priority, to: incident.priority, reason: decision.reason } });
      }
      const others = changes.filter((c) => !c.field.startsWith('priority')).map((c) => c.field);
      if (others.length) await recorder.event('system', { type: 'fields_changed', data: { fields: others } });
      await recorder.auditChange('incident.updated', changes);
      if (dto.summary !== undefined || dto.description !== undefined) await em.query(REFRESH_SEARCH_SQL, [incident.id]);
      // A new priority or site means new SLA terms, recomputed from the whole history and noted on the timeline.
      const slaReason = [before.priority !== incident.priority && 'priority_changed', before.siteId !== incident.siteId && 'site_changed'].filter(Boolean).join(',');
      if (slaReason) slaFollowUp = await this.sla.onTermsChanged(em, incident, now, slaReason, actor);
      return incident.id;
    });
    await this.sla.afterCommit(slaFollowUp);
    return this.queries.present(id);
  }

  /** Looks up the named site (with its trust) and service; an unknown one is a 422 naming every such field. */
  private async resolveSiteAndService(em: EntityManager, siteCode: string | null, serviceCode: string | null): Promise<{ site: Site | null; service: Service | null }> {
    const [site, service] = await Promise.all([
      siteCode === null ? null : em.getRepository(Site).findOne({ where: { code: siteCode }, relations: { trust: true } }),
      serviceCode === null ? null : em.getRepository(Service).findOneBy({ code: serviceCode }),
    ]);
    const unknown = [
      ...(siteCode !== null && !site ? [{ field: 'siteCode', value: siteCode }] : []),
      ...(serviceCode !== null && !service ? [{ field: 'service', value: serviceCode }] : []),
    ];
    if (unknown.length === 1) throw unknownReference(unknown[0].field, unknown[0].value);
    if (unknown.length > 1) {
      throw new DomainError('DIRECTORY.UNKNOWN_REFERENCE', unknown.map((u) => `${u.field}: nothing with code ${JSON.stringify(u.value)}`).join('; '), {
        field: unknown[0].field,
        fields: unknown,
      });
    }
    return { site, service };
  }
}

/** Loads an incident by reference for a change, locking its row until the transaction ends. */
export async function lockIncident(em: EntityManager, reference: string): Promise<Incident> {
  const number = parseReference(reference);
  const incident = number === null ? null : await em.getRepository(Incident).findOne({ where: { number: String(number) }, lock: { mode: 'pessimistic_write' } });
  if (!incident) throw new IncidentDomainError('INCIDENT.NOT_FOUND', `No incident ${reference} that you can see.`);
  return incident;
}
