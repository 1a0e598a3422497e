import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../../../common/time/clock';
import { incidentReferences, lockIncidentFacts } from '../../incidents/facts/incident-facts';
import { appendEvent, DESK_AUTHOR } from '../../incidents/timeline/append-event';
import { NotificationsService } from '../../notifications/notifications.service';
import { CallAlreadyLinked, CallIncidents } from './call-incidents.service';
import { CallEnder } from './call-ender';
import { CallStore } from './call-store';
import {
  answer,
  factsNeeded,
  noteStep,
  repeatPrompt,
  startCall,
  type MenuFacts,
  type MenuStep,
  type Turn,
} from './domain/call-menu';
import { canReceiveTexts, toE164 } from './domain/phone-number';
import { SMS } from './domain/phone-texts';
import { cleanSmsBody } from './domain/sms-command';
import type { PhoneCall } from './phone-call.entity';
import { PhoneLookups } from './phone-lookups';
import { PhoneSettings } from './phone-settings';
import { Subscriptions } from './subscriptions';
import { digitsOf, field, positiveInt, recordingOf, type VoiceWebhook } from './twilio-fields';
import { Twiml } from './twiml';
import { AlreadyAnswered, WebhookReplies, type WebhookKey } from './webhook-replies';

/** Twilio's final call statuses: the call is over. */
const FINAL_STATUSES = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/** How often a change that lost to a concurrent webhook of the same call is tried again on the call as it now is. */
const TRIES = 3;

/**
 * The voice webhooks: the call answered (/twilio/voice), each menu answer (/twilio/voice/<step>), the recording,
 * its transcription and the call's status. Each is processed once: its answer is stored with its change in one
 * statement guarded by the call's turn (CallStore.change), or in the create's transaction under the call's row lock,
 * and a retry (or a duplicate that lost the race) gets the stored answer. Logs hold the CallSid, the step and the
 * decision only.
 */
@Injectable()
export class VoiceService {
  private readonly logger = new Logger(VoiceService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: CallStore,
    private readonly replies: WebhookReplies,
    private readonly lookups: PhoneLookups,
    private readonly calls: CallIncidents,
    private readonly ender: CallEnder,
    private readonly subscriptions: Subscriptions,
    private readonly notifications: NotificationsService,
    private readonly twiml: Twiml,
    private readonly settings: PhoneSettings,
    private readonly clock: Clock,
  ) {}

  async handle(w: VoiceWebhook): Promise<string> {
    const at = keyOf(w);
    switch (w.step) {
      case 'incoming':
        return this.incoming(w, at);
      case 'recorded':
        return this.recorded(w, at);
      case 'transcription':
        return this.transcription(w, at);
      case 'status': {
        const status = field(w.params, 'CallStatus') ?? '';
        if (!FINAL_STATUSES.has(status)) return this.twiml.empty();
        await this.ender.end(
          w.callSid,
          {
            status,
            durationSeconds: positiveInt(field(w.params, 'CallDuration')),
            endedAt: this.clock.now(),
          },
          at,
        );
        return this.twiml.empty();
      }
      case 'confirm-site':
      case 'site':
      case 'outage':
      case 'service':
      case 'impact':
      case 'connect':
      case 'dialled':
        return this.menu(w, w.step, at);
    }
  }

  private async incoming(w: VoiceWebhook, at: WebhookKey): Promise<string> {
    const now = this.clock.now();
    const from = toE164(field(w.params, 'From'));
    const caller = from ? await this.lookups.caller(from) : { site: null, contact: null };
    const turn = startCall(caller.site, now);
    const twiml = this.twiml.prompt(turn.prompt, turn.state.turn);
    const call = {
      callSid: w.callSid,
      fromNumber: from,
      toNumber: toE164(field(w.params, 'To')),
      contactId: caller.contact?.id ?? null,
      callerName: caller.contact?.name ?? null,
      startedAt: now,
      state: turn.state,
    };
    if (!(await this.store.insert(call, { at, response: twiml }))) return this.answeredBefore(w, at, twiml);
    this.note(w.callSid, 'incoming', turn.decision);
    return twiml;
  }

  private async menu(w: VoiceWebhook, step: MenuStep, at: WebhookKey): Promise<string> {
    const now = this.clock.now();
    for (let attempt = 0; attempt < TRIES; attempt++) {
      const call = await this.store.read(w.callSid);
      if (!call) return this.unknownCall(w.callSid, step);
      if (call.endedAt || w.turn !== call.state.turn) return this.answeredBefore(w, at, this.repeat(call));
      const digits = digitsOf(w.params);
      const need = factsNeeded(call.state, step, digits);
      const facts: MenuFacts = {
        keyedSite: need.siteCode !== undefined ? await this.lookups.siteByCode(need.siteCode) : undefined,
        outage:
          need.outageAtSite !== undefined && call.state.offered
            ? await this.lookups.knownOutage(call.state.offered.site.id, now)
            : undefined,
        hasOnCall: (service) => this.settings.onCallNumber(service) !== null,
        canText: call.fromNumber !== null && canReceiveTexts(call.fromNumber),
      };
      const turn = answer(call.state, step, digits, facts, now, field(w.params, 'DialCallStatus'));
      if (!turn) return this.answeredBefore(w, at, this.repeat(call));
      if (turn.prompt.kind === 'dial')
        return this.noted(w, step, turn, await this.putThrough(call, turn, at));
      if (turn.prompt.kind === 'subscribed')
        return this.noted(w, step, turn, await this.subscribe(call, turn, at));
      const twiml = this.twiml.prompt(turn.prompt, turn.state.turn);
      const changes = { state: turn.state, ...this.finishing(turn, call) };
      const guard = { turn: call.state.turn, notEnded: true };
      if (await this.store.change(call.id, guard, changes, now, { at, response: twiml })) {
        return this.noted(w, step, turn, twiml);
      }
      // Another webhook of the call moved it on meanwhile: this one's answer if it was a duplicate, else try again.
      const stored = await this.replies.find(null, at);
      if (stored) return this.answeredBefore(w, at, stored);
    }
    return this.twiml.empty();
  }

  /** A finished call that made no incident of its own (the caller could not be texted about the known outage). */
  private finishing(turn: Turn, call: PhoneCall): Partial<PhoneCall> {
    if (turn.prompt.kind !== 'cannot-text' || !turn.state.outage || call.incidentId) return {};
    return { incidentId: turn.state.outage.incidentId, outcome: 'hung_up' };
  }

  /** Put through to on-call: the incident is made first, so the caller hears its reference and the engineer has it. */
  private async putThrough(call: PhoneCall, turn: Turn, at: WebhookKey): Promise<string> {
    const now = this.clock.now();
    const dialNumber = this.settings.onCallNumber(turn.state.service ?? 'other') ?? '';
    const respond = (reference: string) =>
      this.twiml.prompt(turn.prompt, turn.state.turn, { reference, dialNumber });
    let twiml = '';
    try {
      await this.calls.create(
        { ...call, state: turn.state },
        'put_through',
        null,
        async (em, locked, created) => {
          if ((await this.replies.find(em, at)) || locked.state.turn !== call.state.turn)
            throw new AlreadyAnswered();
          twiml = respond(created.reference);
          const changes = { state: turn.state, incidentId: created.id, outcome: 'put_through' as const };
          await this.store.update(em, locked, changes, now, { at, response: twiml });
        },
      );
      return twiml;
    } catch (err) {
      if (!(err instanceof AlreadyAnswered) && !(err instanceof CallAlreadyLinked)) throw err;
    }
    // Answered meanwhile, or the call has an incident already: put through with its reference.
    const fresh = await this.store.read(call.callSid);
    const reference = fresh?.incidentId
      ? (await incidentReferences(this.db.manager, [fresh.incidentId])).get(fresh.incidentId)
      : undefined;
    if (!fresh || !reference || fresh.state.turn !== call.state.turn) {
      return (await this.replies.find(null, at)) ?? this.twiml.empty();
    }
    twiml = respond(reference);
    const changed = await this.store.change(fresh.id, { turn: call.state.turn }, { state: turn.state }, now, {
      at,
      response: twiml,
    });
    return changed ? twiml : ((await this.replies.find(null, at)) ?? this.twiml.empty());
  }

  /** Text updates on the known outage: the caller's number joins the incident's subscribers, and says so on it. */
  private async subscribe(call: PhoneCall, turn: Turn, at: WebhookKey): Promise<string> {
    const outage = turn.state.outage;
    const number = call.fromNumber;
    if (!outage || !number) throw new Error('A subscription without an outage or a number');
    const now = this.clock.now();
    let smsIds: string[] = [];
    const twiml = await this.db.transaction(async (em) => {
      // The incident's row first, then the call's: every writer takes an incident before its own rows.
      await lockIncidentFacts(em, outage.incidentId);
      const locked = await this.store.lock(em, call.callSid);
      const again = await this.replies.find(em, at);
      if (again || !locked || locked.state.turn !== call.state.turn) return again ?? this.twiml.empty();
      await this.subscriptions.add(em, outage.incidentId, number, 'outage');
      smsIds = await this.notifications.queueSms(em, {
        incidentId: outage.incidentId,
        to: [number],
        body: SMS.subscribed(outage.reference, turn.state.site?.site.name ?? 'your site'),
        statusCallback: this.subscriptions.statusCallback(outage.incidentId),
      });
      await appendEvent(em, {
        incidentId: outage.incidentId,
        kind: 'system',
        type: 'sms_subscribed',
        author: DESK_AUTHOR,
        data: { callSid: call.callSid },
      });
      const response = this.twiml.prompt(turn.prompt, turn.state.turn);
      const changes = { state: turn.state, incidentId: outage.incidentId, outcome: 'subscribed' as const };
      await this.store.update(em, locked, changes, now, { at, response });
      return response;
    });
    await this.notifications.dispatchSms(smsIds);
    return twiml;
  }

  /** The Record's action: the incident from the message, or the message added to the call's incident. */
  private async recorded(w: VoiceWebhook, at: WebhookKey): Promise<string> {
    const now = this.clock.now();
    const recording = recordingOf(w.params);
    const recordingChanges = recording
      ? { recordingSid: recording.sid, recordingUrl: recording.url, recordingSeconds: recording.seconds }
      : {};
    const decision = recording ? 'message_recorded' : 'no_message_heard';
    for (let attempt = 0; attempt < TRIES; attempt++) {
      // A retry, or a duplicate that lost the race to make the incident: the answer the first one stored.
      const stored = await this.replies.find(null, at);
      if (stored) return this.answeredBefore(w, at, stored);
      const call = await this.store.read(w.callSid);
      if (!call) return this.unknownCall(w.callSid, 'recorded');
      if (!call.incidentId) {
        let twiml = '';
        try {
          await this.calls.create(call, 'message', recording, async (em, locked, created) => {
            if (await this.replies.find(em, at)) throw new AlreadyAnswered();
            twiml = this.twiml.thanks(created.reference, created.texted, !recording);
            const state = noteStep(locked.state, 'recorded', decision, now, 'finished');
            const changes = {
              ...recordingChanges,
              state,
              incidentId: created.id,
              outcome: 'reported' as const,
            };
            await this.store.update(em, locked, changes, now, { at, response: twiml });
          });
          this.note(w.callSid, 'recorded', `${decision}_incident_created`);
          // A transcription that came before the incident joins it now (it is in the description already, unless
          // it arrived while the incident was being made).
          if ((await this.store.read(w.callSid))?.transcriptionStatus)
            await this.calls.syncDescription(w.callSid);
          return twiml;
        } catch (err) {
          if (err instanceof AlreadyAnswered)
            return (await this.replies.find(null, at)) ?? this.twiml.empty();
          if (!(err instanceof CallAlreadyLinked)) throw err;
          continue;
        }
      }
      // The call's incident exists (made when put through, or by the status of a call that ended while recording).
      const reference = (await incidentReferences(this.db.manager, [call.incidentId])).get(call.incidentId);
      if (!reference) throw new Error('A call linked to an incident that does not exist');
      const state = noteStep(call.state, 'recorded', decision, now, 'finished');
      const outcome = call.outcome === 'put_through' || call.outcome === null ? 'reported' : call.outcome;
      const changes = { ...(call.recordingUrl ? {} : recordingChanges), state, outcome };
      const texted = call.fromNumber !== null && canReceiveTexts(call.fromNumber);
      const twiml = this.twiml.thanks(reference, texted, !recording);
      if (
        await this.store.change(call.id, { turn: call.state.turn }, changes, now, { at, response: twiml })
      ) {
        this.note(w.callSid, 'recorded', `${decision}_added_to_incident`);
        await this.calls.syncDescription(w.callSid);
        return twiml;
      }
    }
    return this.twiml.empty();
  }

  /** The transcription: kept on the call, and added to its incident's description (now, or when it is made). */
  private async transcription(w: VoiceWebhook, at: WebhookKey): Promise<string> {
    const empty = this.twiml.empty();
    const call = await this.store.read(w.callSid);
    if (!call) return this.unknownCall(w.callSid, 'transcription');
    const status = (field(w.params, 'TranscriptionStatus') ?? 'completed')
      .replace(/[^a-z-]/g, '')
      .slice(0, 16);
    const text = cleanSmsBody(field(w.params, 'TranscriptionText') ?? '').slice(0, 20_000);
    const changes = { transcriptionStatus: status, transcription: text === '' ? null : text };
    const kept = await this.store.change(call.id, { noTranscription: true }, changes, this.clock.now(), {
      at,
      response: empty,
    });
    this.note(w.callSid, 'transcription', kept ? `transcription_${status}` : 'transcription_kept_before');
    if (kept && call.incidentId) await this.calls.syncDescription(w.callSid);
    return empty;
  }

  /** The question the caller is at, again (null: the call is past the menu). */
  private repeat(call: PhoneCall): string {
    const prompt = call.endedAt ? null : repeatPrompt(call.state);
    return prompt ? this.twiml.prompt(prompt, call.state.turn) : this.twiml.empty();
  }

  /** A retry (or a duplicate that lost the race) gets the answer stored for it; an old request, `otherwise`. */
  private async answeredBefore(w: VoiceWebhook, at: WebhookKey, otherwise: string): Promise<string> {
    const stored = await this.replies.find(null, at);
    this.note(w.callSid, w.step, stored ? 'retry_answered_as_before' : 'out_of_turn_repeated');
    return stored ?? otherwise;
  }

  private unknownCall(callSid: string, step: string): string {
    this.note(callSid, step, 'unknown_call');
    return step === 'recorded' || step === 'transcription' ? this.twiml.empty() : this.twiml.sorry();
  }

  private noted(w: VoiceWebhook, step: string, turn: Turn, twiml: string): string {
    this.note(w.callSid, step, turn.decision);
    return twiml;
  }

  private note(callSid: string, step: string, decision: string): void {
    this.logger.log({ callSid, step, decision }, 'Phone webhook');
  }
}

function keyOf(w: VoiceWebhook): WebhookKey {
  const base = `voice:${w.callSid}:${w.step}`;
  const key =
    w.step === 'incoming'
      ? base
      : w.step === 'status'
        ? `${base}:${(field(w.params, 'CallStatus') ?? '').slice(0, 24)}`
        : w.step === 'transcription'
          ? `${base}:${(field(w.params, 'RecordingSid') ?? field(w.params, 'TranscriptionSid') ?? '').slice(0, 64)}`
          : `${base}:${w.turn ?? ''}`;
  return { key: key.slice(0, 200), token: w.token };
}
