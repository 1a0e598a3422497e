import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { errorText } from '../../../common/errors/error-text';
import type { Actor } from '../../audit/actor';
import { incidentDescription } from '../../incidents/facts/incident-facts';
import { IncidentsService } from '../../incidents/incidents.service';
import { appendEvent, DESK_AUTHOR } from '../../incidents/timeline/append-event';
import { NotificationsService } from '../../notifications/notifications.service';
import { TriageSite } from '../email/triage-site';
import { CallStore } from './call-store';
import { canReceiveTexts } from './domain/phone-number';
import {
  callDescription,
  callSummary,
  SMS,
  withRecording,
  withTranscription,
  type CallReport,
  type CallReportKind,
} from './domain/phone-texts';
import type { PhoneCall } from './phone-call.entity';
import { PhoneSettings } from './phone-settings';
import { Subscriptions } from './subscriptions';

/** Raised inside a create whose call got its incident meanwhile (another webhook of the call won): it rolls back. */
export class CallAlreadyLinked extends Error {
  constructor() {
    super('The call has its incident already');
    this.name = 'CallAlreadyLinked';
  }
}

/** The recording a `recorded` webhook brings. */
export interface Recording {
  sid: string | null;
  url: string;
  seconds: number | null;
}

/** What the call's own writes learn of the new incident, inside its transaction. */
export interface CreatedForCall {
  id: string;
  reference: string;
  /** Whether the reference was queued as a text to the caller. */
  texted: boolean;
}

/** Who the desk sees as having reported a call. */
function callerActor(call: PhoneCall): Actor {
  return {
    kind: 'reporter',
    name: call.callerName ?? 'Unknown caller',
    email: null,
    contactId: call.contactId,
  };
}

/** The desk's own edits to a call's incident (recording link, transcription). */
const PHONE_ACTOR: Actor = { kind: 'system', name: 'RoseDesk phone' };

/**
 * Incidents from calls. A call makes one incident at most: the create runs the call's writes in its transaction
 * after locking the call's row, and rolls back when the call has an incident already (CallAlreadyLinked), so
 * whichever webhook of the call gets there first (the recording, the status callback of a call that ended, the
 * on-call offer, the idle sweep) makes it and the others add to it. The reference goes to the caller by text from
 * the same transaction (outbox), and the caller is subscribed to the incident's updates.
 */
@Injectable()
export class CallIncidents {
  private readonly logger = new Logger(CallIncidents.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly incidents: IncidentsService,
    private readonly notifications: NotificationsService,
    private readonly subscriptions: Subscriptions,
    private readonly store: CallStore,
    private readonly triage: TriageSite,
    private readonly settings: PhoneSettings,
  ) {}

  /**
   * Creates the call's incident from what the call holds. `within` does the webhook's own writes (the call row,
   * the stored answer) in the create's transaction, after the call's row is locked and found without an incident.
   */
  async create(
    call: PhoneCall,
    kind: CallReportKind,
    recording: Recording | null,
    within: (em: EntityManager, locked: PhoneCall, created: CreatedForCall) => Promise<void>,
  ): Promise<CreatedForCall> {
    const state = call.state;
    const site = state.site;
    const siteCode = site?.site.code ?? (await this.triage.code());
    const report = this.report(call, kind, recording);
    let outcome: CreatedForCall | null = null;
    const smsIds: string[] = [];
    await this.incidents.create(
      {
        channel: 'phone',
        siteCode,
        serviceCode: this.settings.serviceCode(state.service ?? 'other'),
        impact: state.impact ?? 'one_user',
        // A caller who phones the desk about a fault is treated as urgent; the impact sets the priority.
        urgency: 'high',
        summary: callSummary(report),
        description: callDescription(report),
        reporter: { name: call.callerName ?? 'Unknown caller', email: null, phone: call.fromNumber },
        reportedAt: call.startedAt,
        acknowledgement: { send: false },
      },
      callerActor(call),
      {
        inTransaction: async (em, created) => {
          const locked = await this.store.lock(em, call.callSid);
          if (!locked || locked.incidentId) throw new CallAlreadyLinked();
          const texts = await this.textCaller(em, locked, created.id, SMS.reference(created.reference));
          smsIds.push(...texts);
          if (!site) {
            await appendEvent(em, {
              incidentId: created.id,
              kind: 'system',
              type: 'needs_triage',
              author: DESK_AUTHOR,
              data: {
                reason: 'site not found from the calling number or three site codes',
                callSid: call.callSid,
              },
            });
          }
          if (kind === 'abandoned') {
            await appendEvent(em, {
              incidentId: created.id,
              kind: 'internal_note',
              body: `Call-back task: the caller hung up after choosing the site and service, before leaving a message. Call them back on ${locked.fromNumber ?? 'the number on the call log (withheld)'}.`,
              author: DESK_AUTHOR,
              data: { phone: { callSid: call.callSid, task: 'call_back' } },
            });
          }
          outcome = { id: created.id, reference: created.reference, texted: texts.length > 0 };
          await within(em, locked, outcome);
        },
      },
    );
    await this.notifications.dispatchSms(smsIds);
    if (!outcome) throw new Error('The create committed without running the call’s writes');
    return outcome;
  }

  /**
   * Adds what the call learnt after its incident was made (the recording's link, the transcription) to the
   * incident's description through IncidentsService.update, so the change is on the timeline, audited and searchable.
   * Each addition is idempotent (it is not added twice), and the read-and-write is repeated until both are there,
   * in case two of the call's webhooks edited at once. Never throws: the call log keeps both anyway.
   */
  async syncDescription(callSid: string): Promise<void> {
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const call = await this.store.read(callSid);
        if (!call?.incidentId) return;
        const incident = await incidentDescription(this.db.manager, call.incidentId);
        if (!incident) return;
        let description = incident.description;
        if (call.recordingUrl) {
          description = withRecording(description, call.recordingUrl, call.recordingSeconds) ?? description;
        }
        if (call.transcriptionStatus) {
          const text =
            call.transcriptionStatus === 'completed'
              ? (call.transcription ?? '')
              : '(Twilio could not transcribe the message: listen to the recording.)';
          description = withTranscription(description, text) ?? description;
        }
        if (description === incident.description) return;
        await this.incidents.update(incident.reference, { description }, PHONE_ACTOR);
      }
    } catch (err) {
      this.logger.warn(
        { callSid, err: errorText(err) },
        'Could not add the recording or transcription to the incident; the call log has them',
      );
    }
  }

  /** Texts a call's caller about its incident (when the number can take texts) and subscribes them to updates. */
  async textCaller(em: EntityManager, call: PhoneCall, incidentId: string, body: string): Promise<string[]> {
    const number = call.fromNumber;
    if (!number || !canReceiveTexts(number)) return [];
    await this.subscriptions.add(em, incidentId, number, 'caller');
    return this.notifications.queueSms(em, {
      incidentId,
      to: [number],
      body,
      statusCallback: this.subscriptions.statusCallback(incidentId),
    });
  }

  private report(call: PhoneCall, kind: CallReportKind, recording: Recording | null): CallReport {
    const s = call.state;
    return {
      kind,
      callSid: call.callSid,
      site: s.site ? { name: s.site.site.name, code: s.site.site.code, source: s.site.source } : null,
      triage: s.triage,
      service: s.service ?? 'other',
      impact: s.impact,
      callerName: call.callerName,
      recording: recording ? { url: recording.url, seconds: recording.seconds } : null,
      transcription:
        call.transcriptionStatus === 'completed' && call.transcription ? call.transcription : null,
    };
  }
}
