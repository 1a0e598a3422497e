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

interface PolicyRow {
  version_id: string;
  calendar_code: string;
  response_minutes: number;
  resolution_minutes: number;
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
    const rows: PolicyRow[] = await em.query(
      `SELECT p.version_id, coalesce(p.calendar_code, sc.calendar_code, $3) AS calendar_code, p.response_minutes, p.resolution_minutes
       FROM sla_policy p LEFT JOIN site_class sc ON sc.code = p.site_class_code
       WHERE p.site_class_code = $1 AND p.priority = $2`,
      [siteClass, priority, DEFAULT_CALENDAR_FOR_SITE_CLASS[siteClass]],
    );
    const row = rows[0];
    if (row) {
      return {
        policyVersionId: String(row.version_id),
        calendarCode: row.calendar_code,
        minutes: { response: row.response_minutes, resolution: row.resolution_minutes },
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
