import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import type { IncidentFacts } from '../incidents/facts/incident-facts';
import { formatReference } from '../incidents/domain/incident-reference';
import type { BusinessCalendar } from './domain/business-calendar';
import {
  type IncidentSlaFacts,
  SLA_TARGETS,
  type SlaTarget,
  type TargetClock,
  targetClock,
} from './domain/incident-sla';
import type { IncidentSlaDto } from './dto/incident-sla.dto';
import { SlaCalendars } from './sla-calendars.service';
import { SlaNotifier } from './sla-notifier';
import { SlaPolicies, type SlaTerms } from './sla-policies.service';
import { SlaSettings } from './sla-settings';
import {
  type ClockRecord,
  type StoredClock,
  claimLevels,
  clockRecords,
  loadClocksAndHistory,
  saveClocks,
} from './sla-sql';
import { type ClockView, presentSla } from './sla-views';

/** What to do once the transaction has committed: timers to (re)arm, outbox rows to dispatch. */
export interface SlaFollowUp {
  incidentId: string;
  reference: string;
  /** The next check per running target (null: none), and the one it replaces, for the queue. */
  wakeups: { target: SlaTarget; at: Date | null; previous: Date | null }[];
  mailIds: string[];
  smsIds: string[];
  /** The clocks as just computed, as the API shows them. */
  view: IncidentSlaDto | null;
}

export interface EvaluateOptions {
  /** Take the terms (calendar, minutes) from the policy in force now instead of keeping the incident's own. */
  resetTerms?: boolean;
  /** Record the first desk reply now (response met), if not met yet. */
  respondedNow?: boolean;
  /** Record a `sla_recalculated` timeline entry with this reason when the terms or due times change. */
  recordChange?: { reason: string; actor?: Actor };
}

/**
 * The SLA engine: given a locked incident, load its facts, let the domain compute both clocks, save them, and
 * claim-and-announce every level reached, all in the caller's transaction. Every caller (creation, an edit, a
 * status change, a reply, a timer, the sweeper) goes through `evaluate`, so a late, early or repeated call
 * computes the same answer and announces nothing twice (sla_event's primary key decides).
 */
@Injectable()
export class SlaEngine {
  constructor(
    private readonly calendars: SlaCalendars,
    private readonly policies: SlaPolicies,
    private readonly notifier: SlaNotifier,
    private readonly settings: SlaSettings,
  ) {}

  async evaluate(
    em: EntityManager,
    incident: IncidentFacts,
    now: Date,
    options: EvaluateOptions = {},
  ): Promise<SlaFollowUp> {
    const { stored, history } = await loadClocksAndHistory(em, incident.id);
    const byTarget = new Map(stored.map((c) => [c.target, c]));
    const terms: SlaTerms =
      options.resetTerms || byTarget.size < SLA_TARGETS.length
        ? await this.policies.termsFor(em, incident.siteClassCode, incident.priority)
        : termsOf(stored);
    const facts: IncidentSlaFacts = {
      reportedAt: incident.reportedAt,
      status: incident.status,
      resolvedAt: incident.resolvedAt,
      respondedAt: byTarget.get('response')?.metAt ?? (options.respondedNow ? now : null),
      history,
      warningThresholds: this.settings.warningThresholds,
      now,
    };
    const response = byTarget.get('response');
    const version =
      response?.calendarCode === terms.calendarCode ? (response.calendarVersion ?? undefined) : undefined;
    const calendar: BusinessCalendar = await this.calendars.get(terms.calendarCode, version, em);
    const clocks = SLA_TARGETS.map((target) =>
      targetClock({ target, calendar, targetMinutes: terms.minutes[target] }, facts),
    );

    await saveClocks(em, incident, terms, clocks, now);
    const fired = await claimLevels(em, incident.id, clocks, now);
    const announced = await this.notifier.announce(em, incident, fired);
    if (options.recordChange)
      await this.recordChange(em, incident, stored, terms, clocks, options.recordChange);

    return {
      incidentId: incident.id,
      reference: formatReference(incident.number),
      wakeups: clocks.map((c) => ({
        target: c.target,
        at: c.state.nextCheckAt,
        previous: byTarget.get(c.target)?.nextCheckAt ?? null,
      })),
      mailIds: announced.mailIds,
      smsIds: announced.smsIds,
      view: presentSla(
        clocks.map((c) => clockView(incident.id, c, now)),
        () => calendar,
        now,
      ),
    };
  }

  /**
   * A new incident's clocks, decided before it is written (nothing stored yet, no history): the create path
   * inserts `records` in its own statement. Levels already reached (a call logged late) are not claimed here;
   * such a clock's next check is now, so the checker claims and announces them once the incident has committed.
   */
  async startClocks(
    incident: IncidentFacts,
    terms: SlaTerms,
    now: Date,
  ): Promise<{ records: ClockRecord[]; followUp: SlaFollowUp }> {
    const calendar = await this.calendars.get(terms.calendarCode);
    const facts: IncidentSlaFacts = {
      reportedAt: incident.reportedAt,
      status: incident.status,
      resolvedAt: null,
      respondedAt: null,
      history: [],
      warningThresholds: this.settings.warningThresholds,
      now,
    };
    const clocks = SLA_TARGETS.map((target) =>
      targetClock({ target, calendar, targetMinutes: terms.minutes[target] }, facts),
    );
    const nextCheck = (c: TargetClock): Date | null =>
      c.reached.length > 0 && c.state.stoppedAt === null ? now : c.state.nextCheckAt;
    return {
      records: clockRecords(incident, terms, clocks, now, nextCheck),
      followUp: {
        incidentId: incident.id,
        reference: formatReference(incident.number),
        wakeups: clocks.map((c) => ({ target: c.target, at: nextCheck(c), previous: null })),
        mailIds: [],
        smsIds: [],
        view: presentSla(
          clocks.map((c) => clockView(incident.id, c, now)),
          () => calendar,
          now,
        ),
      },
    };
  }

  private async recordChange(
    em: EntityManager,
    incident: IncidentFacts,
    before: StoredClock[],
    terms: SlaTerms,
    clocks: TargetClock[],
    change: { reason: string; actor?: Actor },
  ): Promise<void> {
    const old = new Map(before.map((c) => [c.target, c]));
    const changed = clocks.some((c) => {
      const was = old.get(c.target);
      return (
        !was ||
        was.dueAt.getTime() !== c.state.dueAt.getTime() ||
        was.targetMinutes !== c.targetMinutes ||
        was.calendarCode !== c.calendarCode
      );
    });
    if (!changed) return;
    const data: Record<string, unknown> = {
      reason: change.reason,
      calendar: terms.calendarCode,
      policyVersionId: terms.policyVersionId,
    };
    for (const c of clocks) {
      const was = old.get(c.target);
      data[c.target] = {
        fromDueAt: was?.dueAt.toISOString() ?? null,
        toDueAt: c.state.dueAt.toISOString(),
        fromMinutes: was?.targetMinutes ?? null,
        toMinutes: c.targetMinutes,
      };
    }
    await this.notifier.timeline(em, incident.id, 'sla_recalculated', data, change.actor);
  }
}

function clockView(incidentId: string, c: TargetClock, now: Date): ClockView {
  const s = c.state;
  return {
    incidentId,
    target: c.target,
    calendarCode: c.calendarCode,
    calendarVersion: null,
    targetMinutes: c.targetMinutes,
    dueAt: s.dueAt,
    metAt: s.metAt,
    stoppedAt: s.stoppedAt,
    breachedAt: s.breached ? s.dueAt : null,
    paused: s.paused,
    elapsedMs: Math.round(s.elapsedMinutes * 60_000),
    computedAt: now,
  };
}

function termsOf(stored: StoredClock[]): SlaTerms {
  const response = stored.find((c) => c.target === 'response') as StoredClock;
  const resolution = stored.find((c) => c.target === 'resolution') as StoredClock;
  return {
    policyVersionId: response.policyVersionId,
    calendarCode: response.calendarCode,
    minutes: { response: response.targetMinutes, resolution: resolution.targetMinutes },
  };
}
