import { Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type { EntityManager } from 'typeorm';
import { IncidentDto } from '../incidents/dto/incident.dto';
import {
  IncidentParticipantProvider,
  type CreateParticipation,
  type IncidentChangeSet,
  type IncidentExtensions,
  type IncidentParticipant,
  type ListFilter,
  type ListSort,
  type ViewParticipation,
} from '../incidents/participants/incident-participant';
import { IncidentSlaDto } from './dto/incident-sla.dto';
import { SlaEngine, type EvaluateOptions, type SlaFollowUp } from './sla-engine';
import { SlaPolicies, slaPolicyJoin, type SlaPolicyColumns } from './sla-policies.service';
import { SlaScheduler } from './sla-scheduler';
import { insertClocksSql } from './sla-sql';
import { SLA_URGENCY_SORT } from './sla-urgency';
import { SlaService, slaRowsJson, type SlaViewRow } from './sla.service';

declare module '../incidents/participants/incident-participant' {
  interface IncidentExtensions {
    /** The SLA clocks (SlaParticipant); null for an incident that has none. */
    sla: IncidentSlaDto | null;
  }
}

// The `sla` block in the OpenAPI schema of the incident (this module adds it, as it adds the block itself).
ApiPropertyOptional({
  type: IncidentSlaDto,
  nullable: true,
  description: "SLA clocks (business minutes of the site's calendar); null for an incident that has none",
})(IncidentDto.prototype, 'sla');

/**
 * The SLA engine's part in every incident's life:
 * - create: the policy in force is read with the site (the lookup), both clocks are written in the create statement;
 * - a priority or site change recomputes the terms from the whole history (and says so on the timeline); a status
 *   change recomputes both clocks; the first public reply by desk staff meets the response target;
 * - after commit: timers armed, warning mail and texts dispatched;
 * - the `sla` block of the incident JSON, the list's `sla=` filter and its `sort=sla` order.
 */
@Injectable()
@IncidentParticipantProvider()
export class SlaParticipant implements IncidentParticipant<SlaFollowUp> {
  readonly name = 'sla';

  constructor(
    private readonly engine: SlaEngine,
    private readonly policies: SlaPolicies,
    private readonly scheduler: SlaScheduler,
    private readonly views: SlaService,
  ) {}

  readonly create: CreateParticipation<SlaFollowUp> = {
    lookup: { join: slaPolicyJoin, columns: 'sla_policy_terms.*' },
    insertSql: (param, where) => insertClocksSql(param, where),
    prepare: async (incident, lookup, now) => {
      const terms = this.policies.termsFrom(
        lookup as Partial<SlaPolicyColumns> as SlaPolicyColumns,
        incident.siteClassCode,
        incident.priority,
      );
      const { records, followUp } = await this.engine.startClocks(incident, terms, now);
      return { rows: records, view: { sla: followUp.view }, followUp };
    },
  };

  async onChange(em: EntityManager, change: IncidentChangeSet): Promise<SlaFollowUp | null> {
    const fields = new Set(change.changes.flatMap((c) => (c.type === 'fields' ? c.fields : [])));
    const termsReason = [fields.has('priority') && 'priority_changed', fields.has('siteId') && 'site_changed']
      .filter(Boolean)
      .join(',');
    const respondedNow = change.changes.some(
      (c) => c.type === 'comment' && c.kind === 'public_reply' && c.byDesk,
    );
    const statusChanged = change.changes.some((c) => c.type === 'status');
    if (!termsReason && !respondedNow && !statusChanged) return null;
    const options: EvaluateOptions = termsReason
      ? { resetTerms: true, recordChange: { reason: termsReason, actor: change.actor }, respondedNow }
      : { respondedNow };
    return this.engine.evaluate(em, change.incident, change.at, options);
  }

  async afterCommit(followUps: readonly SlaFollowUp[]): Promise<void> {
    await this.scheduler.afterCommit(followUps);
  }

  readonly view: ViewParticipation = {
    column: (alias) => slaRowsJson(alias),
    present: async (raw) => {
      const rows = [...raw.values()].flatMap((r) => (Array.isArray(r) ? (r as SlaViewRow[]) : []));
      const views = await this.views.viewsOf(rows);
      const blocks = new Map<string, Partial<IncidentExtensions>>();
      for (const id of raw.keys()) blocks.set(id, { sla: views.get(id) ?? null });
      return blocks;
    },
  };

  readonly listFilters: Readonly<Record<string, ListFilter>> = {
    sla: (value, alias) => this.filter(value, alias),
  };

  /** `sort=sla`: SLA urgency, the next running clock due first (breached first), paused and stopped last. */
  readonly listSorts: Readonly<Record<string, ListSort>> = {
    sla: SLA_URGENCY_SORT,
  };

  /**
   * `sla=breaching_within:N`: a running (not paused, not stopped) clock not yet breached that is due within N
   * business minutes of its own calendar. `sla=breached`: a clock that is past due and still running or paused.
   */
  private async filter(
    value: string,
    alias: string,
  ): Promise<{ sql: string; params: Record<string, unknown> }> {
    const minutes = value.startsWith('breaching_within:')
      ? Number(value.slice('breaching_within:'.length))
      : 0;
    const { now, limits } = await this.views.breachLimits(minutes);
    if (value === 'breached') {
      return {
        sql: `EXISTS (SELECT 1 FROM incident_sla sla_f WHERE sla_f.incident_id = ${alias}.id AND sla_f.stopped_at IS NULL AND sla_f.due_at <= :slaNow AND (NOT sla_f.paused OR sla_f.breached_at IS NOT NULL))`,
        params: { slaNow: now },
      };
    }
    const params: Record<string, unknown> = { slaNow: now };
    const within = limits.map((l, k) => {
      Object.assign(params, { [`slaCal${k}`]: l.calendarCode, [`slaUntil${k}`]: l.until });
      return `(sla_f.calendar_code = :slaCal${k} AND sla_f.due_at <= :slaUntil${k})`;
    });
    // The few clocks due soon, found first through the running clocks' index (bounded by the latest limit), then
    // their incidents by id: an EXISTS per open incident read every open incident to count a handful.
    params.slaUntilMax = new Date(Math.max(now.getTime(), ...limits.map((l) => l.until.getTime())));
    return {
      sql: `${alias}.id = ANY(ARRAY(SELECT sla_f.incident_id FROM incident_sla sla_f WHERE sla_f.stopped_at IS NULL AND NOT sla_f.paused AND sla_f.due_at > :slaNow AND sla_f.due_at <= :slaUntilMax AND (${within.join(' OR ') || 'false'})))`,
      params,
    };
  }
}
