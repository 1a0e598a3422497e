import { Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type { EntityManager } from 'typeorm';
import { formatReference } from '../../incidents/domain/incident-reference';
import { IncidentDto } from '../../incidents/dto/incident.dto';
import { IncidentEvent } from '../../incidents/incident-event.entity';
import {
  IncidentParticipantProvider,
  type CreateParticipation,
  type IncidentChangeSet,
  type IncidentExtensions,
  type IncidentParticipant,
  type ViewParticipation,
} from '../../incidents/participants/incident-participant';
import { NotificationsService } from '../../notifications/notifications.service';
import { callRowsJson, presentCall, type CallRow } from './call-view';
import { SMS } from './domain/phone-texts';
import { CallDto } from './dto/call.dto';
import { Subscriptions } from './subscriptions';

declare module '../../incidents/participants/incident-participant' {
  interface IncidentExtensions {
    /** The calls that made or joined the incident (PhoneParticipant), oldest first; empty for none. */
    calls: CallDto[];
  }
}

// The `calls` block in the OpenAPI schema of the incident (this module adds it, as it adds the block itself).
ApiPropertyOptional({
  type: [CallDto],
  description:
    'Calls to the desk that made or joined this incident (the caller, steps and keys pressed, recording, transcription, outcome), oldest first',
})(IncidentDto.prototype, 'calls');

/**
 * Phone and SMS intake's part in every incident's life:
 * - a public reply by someone at the desk (or a supplier or trust manager) and the resolution are texted to the
 *   numbers subscribed to the incident (callers who reported it or asked about the known outage, texters), queued
 *   in the workflow's transaction (a number that texted STOP gets nothing: queueSms leaves it out), sent after the
 *   commit with a status callback each;
 * - the `calls` block of the incident JSON (`[]` in a create's answer).
 */
@Injectable()
@IncidentParticipantProvider()
export class PhoneParticipant implements IncidentParticipant<string[]> {
  readonly name = 'phone';

  constructor(
    private readonly notifications: NotificationsService,
    private readonly subscriptions: Subscriptions,
  ) {}

  /**
   * A new incident has no calls yet (a call links itself in the create's transaction, after this share): the create
   * answers `calls: []` as a read would, and writes nothing.
   */
  readonly create: CreateParticipation<string[]> = {
    prepare: () => Promise.resolve({ rows: [], view: { calls: [] }, followUp: null }),
  };

  async onChange(em: EntityManager, change: IncidentChangeSet): Promise<string[] | null> {
    const replies = change.changes.flatMap((c) =>
      c.type === 'comment' && c.kind === 'public_reply' && change.actor.kind === 'user' ? [c.eventId] : [],
    );
    const resolved = change.changes.some((c) => c.type === 'status' && c.to === 'resolved');
    if (replies.length === 0 && !resolved) return null;
    const numbers = await this.subscriptions.numbersFor(em, change.incident.id);
    if (numbers.length === 0) return null;
    const reference = formatReference(change.incident.number);
    const bodies: string[] = [];
    for (const eventId of replies) {
      const event = await em.getRepository(IncidentEvent).findOneBy({ id: eventId });
      if (event?.body) bodies.push(SMS.update(reference, event.body));
    }
    if (resolved) bodies.push(SMS.resolved(reference, change.incident.summary));
    const ids: string[] = [];
    for (const body of bodies) {
      ids.push(
        ...(await this.notifications.queueSms(em, {
          incidentId: change.incident.id,
          to: numbers,
          body,
          statusCallback: this.subscriptions.statusCallback(change.incident.id),
        })),
      );
    }
    return ids.length > 0 ? ids : null;
  }

  async afterCommit(followUps: readonly string[][]): Promise<void> {
    await this.notifications.dispatchSms(followUps.flat());
  }

  readonly view: ViewParticipation = {
    column: (alias) => callRowsJson(alias),
    present: (raw) => {
      const blocks = new Map<string, Partial<IncidentExtensions>>();
      for (const [id, rows] of raw) {
        blocks.set(id, { calls: Array.isArray(rows) ? (rows as CallRow[]).map(presentCall) : [] });
      }
      return Promise.resolve(blocks);
    },
  };
}
