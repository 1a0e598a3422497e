import type { ListSort } from '../incidents/participants/incident-participant';

/** Urgency of an incident none of whose clocks is running (paused): after every running one. */
export const NO_RUNNING_CLOCK = '9999-12-31T00:00:00.000Z';
/** Urgency of an incident every clock of which has stopped (resolved, closed, cancelled): last of all. */
export const ALL_CLOCKS_STOPPED = '9999-12-31T23:59:59.999Z';

/**
 * `sort=sla`, the queue's default: SLA urgency, read from `sla_urgency` (one row per incident: the due time of its
 * next running clock, so breached clocks, due in the past, come first; NO_RUNNING_CLOCK when paused;
 * ALL_CLOCKS_STOPPED when done). Triggers on incident_sla keep it in the statement that writes the clocks (migration
 * SlaUrgency1796600000200), so it is never a commit behind them; its (urgency, incident_id) index serves the order
 * and the keyset page at any depth, instead of a subquery per open incident.
 */
export const SLA_URGENCY_SORT: ListSort = {
  key: () => 'sla_u.urgency',
  join: { table: 'sla_urgency', alias: 'sla_u', incidentColumn: 'incident_id' },
};
