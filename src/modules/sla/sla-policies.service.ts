import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SiteClassCode } from '../directory/site-class.entity';
import type { Priority } from '../incidents/domain/incident-enums';
import type { SlaTarget } from './domain/incident-sla';
import { DEFAULT_CALENDAR_FOR_SITE_CLASS, defaultSlaTargets, targetFor } from './domain/sla-targets';

/** The terms one incident's clocks run on, as decided from the policy in force when they were (re)set. */
export interface SlaTerms {
  policyVersionId: string | null;
  calendarCode: string;
  minutes: Record<SlaTarget, number>;
}

/** The policy columns SLA_POLICY_JOIN adds to a row (all null when no policy row matches). */
export interface SlaPolicyColumns {
  sla_policy_version_id: string | null;
  sla_calendar_code: string | null;
  sla_response_minutes: number | null;
  sla_resolution_minutes: number | null;
}

/**
 * A LEFT JOIN LATERAL that adds SlaPolicyColumns for (site class, priority) to a query, so that a caller that is
 * reading the site anyway (the create path) gets the policy in force in the same round trip.
 */
export function slaPolicyJoin(siteClassSql: string, prioritySql: string): string {
  return `LEFT JOIN LATERAL (
    SELECT p.version_id AS sla_policy_version_id, coalesce(p.calendar_code, sc.calendar_code) AS sla_calendar_code,
           p.response_minutes AS sla_response_minutes, p.resolution_minutes AS sla_resolution_minutes
    FROM sla_policy p LEFT JOIN site_class sc ON sc.code = p.site_class_code
    WHERE p.site_class_code = ${siteClassSql} AND p.priority = ${prioritySql}) sla_policy_terms ON true`;
}

/**
 * Which policy applies: the sla_policy row for (site class, priority); its calendar, or the site class's calendar
 * when the row names none. Read in the caller's transaction, so a policy change applies to every incident whose
 * terms are set after it commits, and to no other (existing clocks keep their terms until recalculated).
 */
@Injectable()
export class SlaPolicies {
  private readonly logger = new Logger(SlaPolicies.name);

  async termsFor(em: EntityManager, siteClass: SiteClassCode, priority: Priority): Promise<SlaTerms> {
    const [row] = await em.query<SlaPolicyColumns[]>(
      `SELECT sla_policy_terms.* FROM (SELECT 1) one ${slaPolicyJoin('$1', '$2')}`,
      [siteClass, priority],
    );
    return this.termsFrom(row, siteClass, priority);
  }

  /** The terms from SlaPolicyColumns as read by slaPolicyJoin; without a policy row, the built-in defaults. */
  termsFrom(row: SlaPolicyColumns | undefined, siteClass: SiteClassCode, priority: Priority): SlaTerms {
    if (
      row &&
      row.sla_policy_version_id !== null &&
      row.sla_response_minutes !== null &&
      row.sla_resolution_minutes !== null
    ) {
      return {
        policyVersionId: String(row.sla_policy_version_id),
        calendarCode: row.sla_calendar_code ?? DEFAULT_CALENDAR_FOR_SITE_CLASS[siteClass],
        minutes: { response: row.sla_response_minutes, resolution: row.sla_resolution_minutes },
      };
    }
    // No row (a site class added without a policy): never refuse an incident over it; use the built-in defaults.
    this.logger.warn({ siteClass, priority }, 'No SLA policy row; using the built-in default');
    const fallback = targetFor(defaultSlaTargets(), siteClass, priority);
    return {
      policyVersionId: null,
      calendarCode: priority === 'P1' ? fallback.calendarCode : DEFAULT_CALENDAR_FOR_SITE_CLASS[siteClass],
      minutes: { response: fallback.responseMinutes, resolution: fallback.resolutionMinutes },
    };
  }
}
