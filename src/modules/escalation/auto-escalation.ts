import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { errorText } from '../../common/errors/error-text';
import { SYSTEM_ACTOR } from '../audit/actor';
import { formatReference } from '../incidents/domain/incident-reference';
import { incidentRoutingFactsSql } from '../incidents/incident-sql';
import { pickRoute, type RouteRule } from './domain/routing';
import { EscalationsService } from './escalations.service';

/** Whether the service `serviceIdSql` has a routing rule that escalates by itself (one at least; pickRoute decides). */
export function hasAutoRuleSql(serviceIdSql: string): string {
  return `EXISTS (SELECT 1 FROM escalation_route r WHERE r.service_id = ${serviceIdSql} AND r.auto_escalate)`;
}

/**
 * The create lookup's share (a participant lookup): `escalation_auto`, whether the new incident's service has a rule
 * that escalates by itself. Only those incidents are followed up after the commit, so a create whose service has
 * none (most) costs no read of the rules.
 */
export function autoRuleLookupJoin(
  _siteClassSql: string,
  _prioritySql: string,
  serviceIdSql: string,
): string {
  return `LEFT JOIN LATERAL (SELECT ${hasAutoRuleSql(serviceIdSql)} AS escalation_auto) escalation_route_lookup ON true`;
}

/** A new incident a routing rule may escalate at once. */
export interface NewForRouting {
  reference: string;
  serviceId: string;
  siteClassCode: string;
  priority: string;
}

type Rule = RouteRule & { supplierCode: string; createdAt: Date };

/** How old a new incident must be before the sweep looks at it: the create's own follow-up has had its chance. */
export const AUTO_ESCALATION_GRACE_MS = 10_000;
/** At boot the sweep looks this many incidents back (those made just before a crash, by number). */
const LOOK_BACK = 5_000;
/**
 * Only incidents made within the last hour are caught up: the sweep makes up for a process that died between a
 * create's commit and its escalation, not for an old incident whose priority or service was changed later.
 */
const CATCH_UP_MS = 60 * 60_000;
/** Incidents read per sweep (in number order); the next sweep carries on. */
const BATCH = 1_000;

/**
 * Escalation by routing rule. After a create commits, the incidents' follow-up escalates those whose most specific
 * rule says `autoEscalate`. A process that dies between the commit and that escalation leaves an incident the
 * rule should have escalated and nothing escalated: `sweep` (every supplier sweep, in each worker) finds those, by
 * what the database holds, and escalates them. Both paths escalate only an incident with no escalation at all,
 * checked under the incident's lock, so the two never both escalate, and an escalation an agent ended or made
 * otherwise is never redone. A rule made after an incident never escalates it.
 */
@Injectable()
export class AutoEscalation {
  private readonly logger = new Logger(AutoEscalation.name);
  /** Incidents up to this number have been looked at by the sweep (null: not yet this process). */
  private checkedUpTo: string | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly escalations: EscalationsService,
  ) {}

  /** Escalates the new incidents whose rule says so. Never throws. */
  async escalateNew(incidents: readonly NewForRouting[]): Promise<void> {
    if (incidents.length === 0) return;
    try {
      const rules = await this.rules([...new Set(incidents.map((i) => i.serviceId))]);
      for (const incident of incidents) {
        const rule = pickRoute(rules, incident);
        if (rule?.autoEscalate) await this.escalate(incident.reference, rule);
      }
    } catch (err) {
      this.logger.warn({ err: errorText(err) }, 'Routing rules could not be read; no auto-escalation');
    }
  }

  /**
   * Escalates incidents made since the last sweep (at least AUTO_ESCALATION_GRACE_MS ago) that their rule should have
   * escalated and that have no escalation. Throws when the database does not answer (the caller logs and retries).
   */
  async sweep(): Promise<void> {
    if (this.checkedUpTo === null) {
      const [{ top }] = await this.db.query<{ top: string }[]>(
        `SELECT coalesce(max(number), 0)::text AS top FROM (${incidentRoutingFactsSql()}) i`,
      );
      this.checkedUpTo = String(BigInt(top) > BigInt(LOOK_BACK) ? BigInt(top) - BigInt(LOOK_BACK) : 0n);
    }
    const rows = await this.db.query<
      {
        number: string;
        serviceId: string;
        siteClassCode: string;
        priority: string;
        settled: boolean;
        candidate: boolean;
        createdAt: Date;
      }[]
    >(
      `SELECT i.number::text AS number, i.service_id AS "serviceId", i.site_class_code AS "siteClassCode", i.priority,
          i.created_at AS "createdAt", i.created_at < now() - make_interval(secs => $2) AS settled,
          (i.status NOT IN ('resolved', 'closed', 'cancelled')
            AND i.created_at > now() - make_interval(secs => $3)
            AND NOT EXISTS (SELECT 1 FROM escalation e WHERE e.incident_id = i.id)
            AND ${hasAutoRuleSql('i.service_id')}) AS candidate
         FROM (${incidentRoutingFactsSql()}) i WHERE i.number > $1::bigint ORDER BY i.number LIMIT ${BATCH}`,
      [this.checkedUpTo, AUTO_ESCALATION_GRACE_MS / 1000, CATCH_UP_MS / 1000],
    );
    // Up to the first incident still too new (numbers are taken before commit: one may land late).
    const tooNew = rows.findIndex((r) => !r.settled);
    const settled = tooNew === -1 ? rows : rows.slice(0, tooNew);
    const due = settled.filter((r) => r.candidate);
    if (due.length > 0) {
      const rules = await this.rules([...new Set(due.map((r) => r.serviceId))]);
      for (const incident of due) {
        const rule = pickRoute(rules, incident);
        if (!rule?.autoEscalate || rule.createdAt > incident.createdAt) continue;
        const reference = formatReference(incident.number);
        if (await this.escalate(reference, rule))
          this.logger.warn(
            { reference, rule: rule.id },
            'Auto-escalation missed after the create; made by the sweep',
          );
      }
    }
    if (settled.length > 0) this.checkedUpTo = settled[settled.length - 1].number;
  }

  private rules(serviceIds: readonly string[]): Promise<Rule[]> {
    return this.db.query<Rule[]>(
      `SELECT r.id, r.service_id AS "serviceId", r.site_class AS "siteClass", r.priority, r.supplier_id AS "supplierId",
              r.auto_escalate AS "autoEscalate", r.created_at AS "createdAt", s.code AS "supplierCode"
         FROM escalation_route r JOIN supplier s ON s.id = r.supplier_id WHERE r.service_id = ANY($1::uuid[])`,
      [serviceIds],
    );
  }

  /** Whether an escalation was made (false: the incident had one already, or escalating failed and was logged). */
  private async escalate(reference: string, rule: Rule): Promise<boolean> {
    try {
      const made = await this.escalations.escalate(
        reference,
        rule.supplierCode,
        `Routing rule ${rule.id}`,
        { ...SYSTEM_ACTOR, name: 'Routing rule' },
        { onlyIfNone: true },
      );
      return made !== null;
    } catch (err) {
      this.logger.warn({ reference, rule: rule.id, err: errorText(err) }, 'Auto-escalation failed');
      return false;
    }
  }
}
