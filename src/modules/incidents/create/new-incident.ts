import type { EntityManager } from 'typeorm';
import type { Channel, Impact, Priority, Urgency } from '../domain/incident-enums';
import type { IncidentView } from '../dto/incident.dto';
import type { CreateGuard } from './create-sql';

/** What every channel (API, web form, email, phone) hands over to create an incident. */
export interface NewIncident {
  channel: Channel;
  siteCode: string;
  serviceCode: string;
  impact: Impact;
  urgency: Urgency;
  summary: string;
  description: string;
  reporter: { name: string; email?: string | null; phone?: string | null };
  reportedAt?: Date;
  priority?: Priority;
  priorityReason?: string;
  /** An earlier incident this one follows on from (e.g. an email reply to a closed incident). */
  relatedIncidentId?: string | null;
  /**
   * The acknowledgement to the reporter: sent by default when there is an email address. A channel that
   * decides for itself (email intake: caps, bouncing addresses) passes `send: false`, or threading headers.
   */
  acknowledgement?: { send: boolean; inReplyTo?: string | null; references?: string[] };
}

/**
 * Work a channel does with the create (email intake: mark the inbound message processed, keep its attachments),
 * so that the incident and the channel's record of it commit together or not at all.
 */
export interface CreateHooks {
  /**
   * A channel's write that joins the create statement itself (CreateGuard), given the new incident's id and
   * reference and the first parameter number the guard may use: with no inTransaction hook the create then still
   * needs no BEGIN and COMMIT. When the guard writes nothing, neither does the create, and create() throws what
   * `lost` returns.
   */
  inStatement?: (created: { id: string; reference: string }, firstParam: number) => CreateGuard;
  inTransaction?: (em: EntityManager, created: { id: string; reference: string }) => Promise<void>;
}

export interface CreatedIncident {
  id: string;
  incident: IncidentView;
  statusUrl: string;
  /** The acknowledgement's outbound_message id, when one was queued. */
  acknowledgementId: string | null;
}
