import { Injectable } from '@nestjs/common';
import { openEscalationSql } from '../escalation/escalation-sql';
import {
  IncidentParticipantProvider,
  type IncidentParticipant,
  type ListFilter,
} from '../incidents/participants/incident-participant';
import { WITH_SUPPLIER_FILTER } from './domain/queues';

/**
 * The console's part in incidents: the "With suppliers" queue's filter (an open escalation, read through
 * escalation's fragment, or waiting for a supplier).
 */
@Injectable()
@IncidentParticipantProvider()
export class ConsoleParticipant implements IncidentParticipant {
  readonly name = 'console';

  readonly listFilters: Readonly<Record<string, ListFilter>> = {
    [WITH_SUPPLIER_FILTER]: (_value, alias) =>
      Promise.resolve({
        sql: `(${alias}.status = 'awaiting_supplier' OR ${openEscalationSql(alias)})`,
        params: {},
      }),
  };
}
