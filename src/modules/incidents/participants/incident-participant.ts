import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../audit/actor';
import type { IncidentStatus } from '../domain/incident-enums';
import type { IncidentFacts } from '../facts/incident-facts';

/**
 * Blocks other modules add to an incident as the API shows it (the SLA engine's `sla`, escalation's
 * `escalations`). A participant module declares its block by module augmentation:
 *
 *   declare module '../incidents/participants/incident-participant' {
 *     interface IncidentExtensions { sla: IncidentSlaDto | null }
 *   }
 *
 * so the incident's type names every block without this module importing theirs.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface IncidentExtensions {}

/** One thing that happened to an incident in a transaction. */
export type IncidentChange =
  /** It entered another status (the status event is already on its timeline). */
  | { type: 'status'; from: IncidentStatus; to: IncidentStatus }
  /** Fields of the incident changed (entity property names: priority, siteId, serviceId, summary, ...). */
  | { type: 'fields'; fields: readonly string[] }
  | { type: 'assigned'; from: string | null; to: string | null }
  /** A public reply or an internal note was added; `byDesk` when written by desk staff. */
  | { type: 'comment'; kind: 'public_reply' | 'internal_note'; eventId: string; byDesk: boolean };

/** Everything one workflow method did to one incident, handed to each participant once. */
export interface IncidentChangeSet {
  /** The incident after the changes, its row locked by this transaction. */
  incident: IncidentFacts;
  changes: readonly IncidentChange[];
  actor: Actor;
  /** The desk clock's instant of the change. */
  at: Date;
}

/** A new incident's facts as the create path decided them, before it is written. */
export type NewIncidentFacts = IncidentFacts & { status: 'new'; resolvedAt: null; assigneeId: null };

/** A participant's share of one create: rows for its part of the statement, its block of the answer, follow-up. */
export interface CreateShare<F> {
  /** Rows its insertSql writes or its notifySql sends (as one jsonb array parameter); empty without either. */
  rows: readonly object[];
  /** Its block of the incident the create answers with. */
  view: Partial<IncidentExtensions>;
  /** What afterCommit does once the incident has committed (null: nothing). */
  followUp: F | null;
}

/** How a participant joins the create path, which stays one read and one statement. */
export interface CreateParticipation<F> {
  /**
   * Read with the site and service: `join` is a `LEFT JOIN LATERAL (...) alias ON true` given SQL expressions for the
   * site's class, the priority and the service's id; `columns` what it adds to the lookup's select list (prefixed
   * with the participant's name, so they never clash).
   */
  lookup?: { join(siteClass: string, priority: string, serviceId: string): string; columns: string };
  /**
   * The body of a CTE inserting this participant's rows from the jsonb array in `param`, only where `where` holds.
   * None: the participant writes nothing with a create (it only adds its block to the answer).
   */
  insertSql?(param: string, where: string): string;
  /**
   * Instead of insertSql: a SELECT of pg_notify over the jsonb array in `param`, only where `where` holds, run in the
   * create statement, so its notifications are delivered when the new incidents commit, and never without them.
   */
  notifySql?(param: string, where: string): string;
  /** Per new incident, given its row of the lookup. */
  prepare(
    incident: NewIncidentFacts,
    lookup: Readonly<Record<string, unknown>>,
    now: Date,
  ): Promise<CreateShare<F>>;
}

/** How a participant adds its block to incidents as the API shows them. */
export interface ViewParticipation {
  /** A SQL expression (json) of this participant's data for the incident aliased `alias`, read with the incident. */
  column(alias: string): string;
  /** Each incident's block from what `column` read (null when it gave null); one block for every id given. */
  present(raw: ReadonlyMap<string, unknown>): Promise<Map<string, Partial<IncidentExtensions>>>;
}

/** A condition on the incident list, from a query parameter the participant owns (e.g. `sla=breached`). */
export type ListFilter = (
  value: string,
  incidentAlias: string,
) => Promise<{ sql: string; params: Record<string, unknown> }>;

/**
 * An order of the incident list a participant owns (`sort=sla`): a SQL timestamptz expression per incident, never
 * null (use a far date for "last"), read ascending; the list adds the incident's id to make the key unique.
 * With `join`, the key is a column of a table of the participant's holding one row per incident, inner-joined on
 * the incident's id, so an index on (key, incident id) there can serve the order and the keyset page.
 */
export interface ListSort {
  key(incidentAlias: string): string;
  join?: { table: string; alias: string; incidentColumn: string };
}

/**
 * A module that takes part in incidents' lives without incidents knowing it: the SLA engine, escalation, phone.
 * Decorate the provider with @IncidentParticipantProvider(); the incidents module finds it (DiscoveryService) and
 * calls each part:
 * - `create`: its share of the create statement;
 * - `onChange`: inside the transaction, once per workflow method, with everything that method changed;
 * - `afterCommit`: with the follow-ups its create and onChange returned, once the transaction has committed (it
 *   must not throw: what it queues is also in the database, for a sweeper);
 * - `view`, `listFilters` and `listSorts`: its block of the incident JSON, its filters and orders of the list;
 * - `supplierScope`: which incidents a supplier user may see (SQL on the incident alias, the supplier id a SQL
 *   expression).
 */
export interface IncidentParticipant<F = unknown> {
  /** Short and unique (`sla`): names its parts of the create statement. */
  readonly name: string;
  readonly create?: CreateParticipation<F>;
  onChange?(em: EntityManager, change: IncidentChangeSet): Promise<F | null>;
  afterCommit?(followUps: readonly F[]): Promise<void>;
  readonly view?: ViewParticipation;
  readonly listFilters?: Readonly<Record<string, ListFilter>>;
  readonly listSorts?: Readonly<Record<string, ListSort>>;
  supplierScope?(incidentAlias: string, supplierId: string): string;
}

/** Marks a provider as an IncidentParticipant. */
export const IncidentParticipantProvider = DiscoveryService.createDecorator<void>();
