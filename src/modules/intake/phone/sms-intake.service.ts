import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { Clock } from '../../../common/time/clock';
import type { Actor } from '../../audit/actor';
import { IncidentWorkflow } from '../../incidents/incident-workflow.service';
import { Incident } from '../../incidents/incident.entity';
import { IncidentsService } from '../../incidents/incidents.service';
import { appendEvent, DESK_AUTHOR } from '../../incidents/timeline/append-event';
import { NotificationsService } from '../../notifications/notifications.service';
import { serviceFromText } from '../email/domain/service-hint';
import { TriageSite } from '../email/triage-site';
import { canReceiveTexts, toE164 } from './domain/phone-number';
import { SMS, smsDescription, smsSummary } from './domain/phone-texts';
import {
  cleanSmsBody,
  decideSmsTarget,
  parseSms,
  type SmsCommand,
  type SmsTarget,
} from './domain/sms-command';
import type { MenuSite } from './domain/call-menu';
import { PhoneLookups, type Caller } from './phone-lookups';
import { PhoneSettings } from './phone-settings';
import { Subscriptions } from './subscriptions';
import { field } from './twilio-fields';
import type { TwilioParams } from './twilio-signature.guard';
import { Twiml } from './twiml';
import { AlreadyAnswered, WebhookReplies, type WebhookKey } from './webhook-replies';

/** One text's facts, as every branch records them. */
interface Inbound {
  messageSid: string;
  from: string | null;
  to: string | null;
  body: string;
  at: WebhookKey;
  /** Twilio's own opt-out handling answered the keyword already (OptOutType): we answer nothing more. */
  twilioAnswered: boolean;
}

/**
 * Texts to the desk's number (/twilio/sms). STOP, START and HELP (and their synonyms) are honoured; `SITE 1234 …`
 * reports a new fault; anything else is a public reply on the sender's open incident from the last seven days, or
 * a new incident. The sender gets the reference back in the webhook's own `<Message>`, unless they have texted
 * STOP. A text is acted on once: its `inbound_sms` row (unique MessageSid) and its stored answer are written in
 * the transaction that acts on it.
 */
@Injectable()
export class SmsIntakeService {
  private readonly logger = new Logger(SmsIntakeService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly incidents: IncidentsService,
    private readonly workflow: IncidentWorkflow,
    private readonly notifications: NotificationsService,
    private readonly lookups: PhoneLookups,
    private readonly subscriptions: Subscriptions,
    private readonly triage: TriageSite,
    private readonly replies: WebhookReplies,
    private readonly twiml: Twiml,
    private readonly settings: PhoneSettings,
    private readonly clock: Clock,
  ) {}

  async receive(params: TwilioParams, token: string | null): Promise<string> {
    const messageSid = field(params, 'MessageSid') ?? field(params, 'SmsSid');
    if (!messageSid) {
      throw new DomainError('PHONE.WEBHOOK_INCOMPLETE', 'MessageSid: missing.', { field: 'MessageSid' });
    }
    const at = { key: `sms:${messageSid}`.slice(0, 200), token };
    const stored = await this.replies.find(null, at);
    if (stored) {
      this.note(messageSid, 'retry_answered_as_before');
      return stored;
    }
    const inbound: Inbound = {
      messageSid: messageSid.slice(0, 64),
      from: toE164(field(params, 'From')),
      to: toE164(field(params, 'To')),
      body: cleanSmsBody(field(params, 'Body') ?? ''),
      at,
      twilioAnswered: field(params, 'OptOutType') !== null,
    };
    try {
      return await this.act(inbound, parseSms(inbound.body));
    } catch (err) {
      if (err instanceof AlreadyAnswered)
        return (await this.replies.find(null, at)) ?? this.twiml.message(null);
      throw err;
    }
  }

  private async act(inbound: Inbound, command: SmsCommand): Promise<string> {
    const from = inbound.from;
    if (!from) return this.record(inbound, 'unknown_sender', 'the sender is not a phone number', null, null);
    // Read only where the answer depends on it, and beside the other reads of the text (one round trip, not two).
    const optedOut = async (): Promise<boolean> =>
      (await this.notifications.smsOptedOut(this.db.manager, [from])).has(from);
    switch (command.kind) {
      case 'keyword':
        return this.record(
          inbound,
          `keyword_${command.keyword}`,
          `${command.keyword.toUpperCase()} from the sender`,
          null,
          async (em) => {
            if (command.keyword !== 'help')
              await this.notifications.setSmsOptOut(em, from, command.keyword === 'stop');
            if (inbound.twilioAnswered) return null;
            return command.keyword === 'stop'
              ? SMS.stopped
              : command.keyword === 'start'
                ? SMS.started
                : SMS.help;
          },
        );
      case 'empty': {
        const stopped = await optedOut();
        return this.record(inbound, 'empty', 'nothing but whitespace', null, () =>
          Promise.resolve(stopped ? null : SMS.emptyHelp),
        );
      }
      case 'text': {
        const now = this.clock.now();
        const [stopped, caller, candidates, coded] = await Promise.all([
          optedOut(),
          this.lookups.caller(from),
          this.lookups.smsCandidates(from, now),
          command.siteCode ? this.lookups.siteByCode(command.siteCode) : Promise.resolve(null),
        ]);
        const target = decideSmsTarget(command, candidates, now);
        return target.kind === 'reply'
          ? this.reply(inbound, target, caller, stopped)
          : this.create(inbound, command, target, caller, coded, stopped);
      }
    }
  }

  /** A public reply from the sender on their incident. */
  private async reply(
    inbound: Inbound,
    target: Extract<SmsTarget, { kind: 'reply' }>,
    caller: Caller,
    optedOut: boolean,
  ): Promise<string> {
    const incident = await this.db.getRepository(Incident).findOneByOrFail({ id: target.incidentId });
    let answer = '';
    await this.workflow.comment(incident, 'public_reply', inbound.body, this.actor(caller), {
      data: { sms: { messageSid: inbound.messageSid } },
      inTransaction: async (em) => {
        const text = optedOut ? null : SMS.added(target.reference, target.why === 'latest_open');
        answer = this.twiml.message(text, this.subscriptions.statusCallback(target.incidentId));
        await this.keep(
          em,
          inbound,
          'reply',
          `public reply on ${target.reference} (${target.why})`,
          target.incidentId,
          answer,
        );
      },
    });
    this.note(inbound.messageSid, `reply_${target.why}`);
    return answer;
  }

  /** A new incident from the text: its site from the code in it, else from the sending number; else triage. */
  private async create(
    inbound: Inbound,
    command: Extract<SmsCommand, { kind: 'text' }>,
    target: Extract<SmsTarget, { kind: 'create' }>,
    caller: Caller,
    /** The site of the code in the text (null: none given, or not found). */
    coded: MenuSite | null,
    optedOut: boolean,
  ): Promise<string> {
    const from = inbound.from ?? '';
    const site = coded
      ? { code: coded.code, source: 'text' as const }
      : caller.site
        ? { code: caller.site.site.code, source: caller.site.source }
        : null;
    const note =
      command.siteCode && !coded ? `site code ${command.siteCode} in the text was not found` : null;
    const serviceCode = serviceFromText('', command.text) ?? this.settings.defaultService;
    let answer = '';
    await this.incidents.create(
      {
        channel: 'sms',
        siteCode: site?.code ?? (await this.triage.code()),
        serviceCode,
        impact: 'one_user',
        urgency: 'high',
        summary: smsSummary(command.text),
        description: smsDescription(command.text, site, note),
        reporter: { name: caller.contact?.name ?? 'Unknown texter', email: null, phone: from },
        reportedAt: this.clock.now(),
        acknowledgement: { send: false },
      },
      this.actor(caller),
      {
        inTransaction: async (em, created) => {
          if (canReceiveTexts(from)) await this.subscriptions.add(em, created.id, from, 'texter');
          if (!site) {
            await appendEvent(em, {
              incidentId: created.id,
              kind: 'system',
              type: 'needs_triage',
              author: DESK_AUTHOR,
              data: {
                reason: note ?? 'no site code in the text, and the number is not known',
                messageSid: inbound.messageSid,
              },
            });
          }
          answer = this.twiml.message(
            optedOut ? null : SMS.created(created.reference),
            this.subscriptions.statusCallback(created.id),
          );
          const reason = `new incident ${created.reference} (${target.why}${site ? `, site by ${site.source}` : ', needs triage'})`;
          await this.keep(em, inbound, 'created', reason, created.id, answer);
        },
      },
    );
    this.note(inbound.messageSid, `created_${target.why}`);
    return answer;
  }

  /** A text whose only effect is its log entry and answer (and, for STOP and START, the opt-out). */
  private async record(
    inbound: Inbound,
    decision: string,
    reason: string,
    incidentId: string | null,
    work: ((em: EntityManager) => Promise<string | null>) | null,
  ): Promise<string> {
    const answer = await this.db.transaction(async (em) => {
      const text = work ? await work(em) : null;
      const twiml = this.twiml.message(text);
      await this.keep(em, inbound, decision, reason, incidentId, twiml);
      return twiml;
    });
    this.note(inbound.messageSid, decision);
    return answer;
  }

  /** The text's log entry (once per MessageSid: a duplicate rolls its transaction back) and its stored answer. */
  private async keep(
    em: EntityManager,
    inbound: Inbound,
    decision: string,
    reason: string,
    incidentId: string | null,
    answer: string,
  ): Promise<void> {
    const rows = await em.query<{ id: string }[]>(
      `INSERT INTO inbound_sms (message_sid, from_number, to_number, body, decision, reason, incident_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (message_sid) DO NOTHING RETURNING id`,
      [inbound.messageSid, inbound.from, inbound.to, inbound.body, decision, reason, incidentId],
    );
    if (rows.length === 0) throw new AlreadyAnswered();
    await this.replies.save(em, inbound.at, answer);
  }

  private actor(caller: Caller): Actor {
    return {
      kind: 'reporter',
      name: caller.contact?.name ?? 'Unknown texter',
      email: null,
      contactId: caller.contact?.id ?? null,
    };
  }

  private note(messageSid: string, decision: string): void {
    this.logger.log({ messageSid, decision }, 'Text received');
  }
}
