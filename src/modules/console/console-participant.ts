import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { openEscalationSql } from '../escalation/escalation-sql';
import {
  IncidentParticipantProvider,
  type CreateParticipation,
  type IncidentChangeSet,
  type IncidentParticipant,
  type ListFilter,
} from '../incidents/participants/incident-participant';
import type { IncidentSignal } from './domain/live-events';
import { WITH_SUPPLIER_FILTER } from './domain/queues';
import { liveSignalsSql, sendLiveSignal } from './live/console-live.service';

/**
 * The console's part in incidents:
 * - every change tells the consoles of every process (ConsoleLive), by a NOTIFY in the change's own transaction,
 *   so it arrives with the commit and never without it; a new incident's, by its create statement;
 * - the "With suppliers" queue's filter (an open escalation, read through escalation's fragment, or waiting for a
 *   supplier).
 */
@Injectable()
@IncidentParticipantProvider()
export class ConsoleParticipant implements IncidentParticipant<null> {
  readonly name = 'console';

  readonly create: CreateParticipation<null> = {
    notifySql: liveSignalsSql,
    prepare: (incident) => {
      const signal: IncidentSignal = {
        type: 'incident',
        n: Number(incident.number),
        trust: incident.trustId,
        deskOnly: false,
      };
      return Promise.resolve({ rows: [signal], view: {}, followUp: null });
    },
  };

  async onChange(em: EntityManager, change: IncidentChangeSet): Promise<null> {
    // A change that only added internal notes is the desk's business alone.
    const deskOnly = change.changes.every((c) => c.type === 'comment' && c.kind === 'internal_note');
    await sendLiveSignal(em, {
      type: 'incident',
      n: Number(change.incident.number),
      trust: change.incident.trustId,
      deskOnly,
    });
    return null;
  }

  readonly listFilters: Readonly<Record<string, ListFilter>> = {
    [WITH_SUPPLIER_FILTER]: (_value, alias) =>
      Promise.resolve({
        sql: `(${alias}.status = 'awaiting_supplier' OR ${openEscalationSql(alias)})`,
        params: {},
      }),
  };
}
