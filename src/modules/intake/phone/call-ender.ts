import { Injectable, Logger } from '@nestjs/common';
import { CallAlreadyLinked, CallIncidents } from './call-incidents.service';
import { CallStore } from './call-store';
import { decideCallEnding } from './domain/call-ending';
import { noteStep } from './domain/call-menu';
import { PhoneSettings } from './phone-settings';
import { Twiml } from './twiml';
import { AlreadyAnswered, WebhookReplies, type WebhookKey } from './webhook-replies';

/** How a call ended: Twilio's status callback, or the sweeper finding it silent. */
export interface CallEnd {
  /** Twilio's CallStatus (`completed`, `busy`, ...), or `idle`. */
  status: string;
  durationSeconds: number | null;
  endedAt: Date;
}

/** How often an end that lost to a concurrent webhook of the same call is tried again on the call as it now is. */
const TRIES = 4;

/**
 * The end of a call. A call that made no incident is decided by `decideCallEnding`: after the site and service
 * were chosen it becomes an incident marked abandoned, with a call-back note (PHONE_ABANDONED_CALL_INCIDENTS);
 * one that ended while recording becomes the report, its recording added when Twilio delivers it; earlier, only
 * the call log keeps it. Exactly once, whatever arrives twice: the create rolls back when the call has an incident
 * (CallAlreadyLinked) or has ended already, and the end itself is one change guarded by the call's turn.
 */
@Injectable()
export class CallEnder {
  private readonly logger = new Logger(CallEnder.name);

  constructor(
    private readonly store: CallStore,
    private readonly calls: CallIncidents,
    private readonly replies: WebhookReplies,
    private readonly twiml: Twiml,
    private readonly settings: PhoneSettings,
  ) {}

  /** `at`: the status webhook, whose answer is stored with the end (null for the sweeper). */
  async end(callSid: string, end: CallEnd, at: WebhookKey | null): Promise<void> {
    const answer = at ? { at, response: this.twiml.empty() } : null;
    const ended = { endedAt: end.endedAt, durationSeconds: end.durationSeconds, twilioStatus: end.status };
    let decision = 'unknown_call';
    for (let attempt = 0; attempt < TRIES; attempt++) {
      const call = await this.store.read(callSid);
      if (!call) break;
      if (at && (await this.replies.find(null, at))) {
        decision = 'retry_answered_as_before';
        break;
      }
      if (call.endedAt) {
        if (answer) await this.replies.save(null, answer.at, answer.response);
        decision = 'ended_already';
        break;
      }
      const ending = call.incidentId
        ? null
        : decideCallEnding(call.state, this.settings.abandonedCallIncidents);
      if (ending && ending.kind !== 'log-only') {
        const abandoned = ending.kind === 'abandoned';
        const made = abandoned ? 'abandoned_incident_created' : 'ended_while_recording_incident_created';
        try {
          await this.calls.create(
            call,
            abandoned ? 'abandoned' : 'ended_while_recording',
            null,
            async (em, locked, created) => {
              if (locked.endedAt || (at && (await this.replies.find(em, at)))) throw new AlreadyAnswered();
              const state = noteStep(locked.state, 'status', made, end.endedAt, 'finished');
              const outcome = abandoned ? ('abandoned' as const) : ('reported' as const);
              await this.store.update(
                em,
                locked,
                { ...ended, state, incidentId: created.id, outcome },
                end.endedAt,
                answer,
              );
            },
          );
          decision = made;
          break;
        } catch (err) {
          // Another webhook of the call made its incident, or ended it, first: look at the call again.
          if (!(err instanceof AlreadyAnswered) && !(err instanceof CallAlreadyLinked)) throw err;
          continue;
        }
      }
      const reason = call.incidentId ? 'ended' : ending?.kind === 'log-only' ? ending.reason : 'hung_up';
      const state = noteStep(call.state, 'status', reason, end.endedAt, 'finished');
      const outcome = call.outcome ?? (call.incidentId ? 'reported' : 'hung_up');
      const guard = { turn: call.state.turn, notEnded: true };
      if (await this.store.change(call.id, guard, { ...ended, state, outcome }, end.endedAt, answer)) {
        decision = reason;
        break;
      }
    }
    this.logger.log({ callSid, status: end.status, decision }, 'Call ended');
  }
}
