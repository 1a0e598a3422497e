import { Injectable } from '@nestjs/common';
import {
  IncidentParticipantProvider,
  type IncidentParticipant,
} from '../incidents/participants/incident-participant';

/**
 * Escalation's part in incidents: so far, which incidents a supplier's users may see (those escalated to their
 * supplier). Routing, deliveries and the supplier's contract clocks build on it.
 */
@Injectable()
@IncidentParticipantProvider()
export class EscalationParticipant implements IncidentParticipant {
  readonly name = 'escalation';

  supplierScope(incidentAlias: string, supplierId: string): string {
    return `EXISTS (SELECT 1 FROM escalation scope_e WHERE scope_e.incident_id = ${incidentAlias}.id AND scope_e.supplier_id = ${supplierId})`;
  }
}
