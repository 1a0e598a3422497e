import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/time/clock';
import type { Actor } from '../../audit/actor';
import { mayAcknowledge } from './domain/ack-policy';
import type { MailClassification } from './domain/classify-mail';
import { incidentSummary, reporterName } from './domain/intake-text';
import { copiedAddresses, placeMail } from './domain/place-mail';
import { verifySender } from './domain/sender-verification';
import { serviceFromText } from './domain/service-hint';
import { replyEffect, threadMail } from './domain/thread-mail';
import { IntakeEffects } from './intake-effects.service';
import { IntakeLookups } from './intake-lookups';
import type { Person, Run } from './intake-run';
import { IntakeSettings } from './intake-settings';
import { TriageSite } from './triage-site';

/** Copied addresses kept per incident (a mail to 500 people must not copy every reply to 500 people). */
const MAX_COPIED = 20;

/**
 * Steps 5 to 8 of the intake pipeline for a person's mail (or a program's written for a person): threading,
 * sender and site, create or append, acknowledge. The decisions are domain/'s; this loads what they need and has
 * IntakeEffects commit the effect with the message's outcome.
 */
@Injectable()
export class PersonMailStep {
  constructor(
    private readonly lookups: IntakeLookups,
    private readonly effects: IntakeEffects,
    private readonly triage: TriageSite,
    private readonly settings: IntakeSettings,
    private readonly clock: Clock,
  ) {}

  async handle(run: Run, { body, facts }: Person, classification: MailClassification): Promise<string> {
    const { claim, log, mail, sender } = run;
    const now = this.clock.now();
    const known = facts.sender;
    const { contact } = known;
    // Only a sender the relay in front of the desk vouches for may act as an agent or a supplier.
    const verification = verifySender(mail, this.settings.trustedAuthservIds);
    run.pending = { ...run.pending, senderVerified: verification.verified };
    const who = `${verification.verified ? 'verified' : 'unverified'} sender (${verification.reason})`;
    const { context, incidents } = await this.lookups.threadContext(
      mail,
      sender,
      verification.verified,
      known.isAgent,
    );
    const thread = threadMail(mail, context);
    const actor: Actor = {
      kind: 'reporter',
      name: contact?.name ?? reporterName(mail.from),
      email: sender,
      contactId: contact?.id ?? null,
    };
    const copied = copiedAddresses(mail.to, mail.cc, {
      deskAddresses: this.settings.addresses,
      sender,
      limit: MAX_COPIED,
    });
    const files = await this.effects.readFiles(run.parsed.attachments);

    let related: { id: string; reference: string } | null = null;
    if (thread.kind === 'existing') {
      const incident = incidents.get(thread.reference);
      if (!incident) throw new Error(`threaded onto ${thread.reference}, which could not be loaded`);
      const effect = replyEffect(
        incident.status,
        incident.resolvedAt,
        this.settings.reopenWindowMinutes,
        now,
      );
      log.add('thread', effect, `by ${thread.by} → ${incident.reference} (${incident.status})`);
      if (effect !== 'new_linked') {
        const internal =
          verification.verified &&
          (thread.by === 'supplier-reference' ||
            (sender !== null && incident.supplierEmails.some((e) => e.toLowerCase() === sender)));
        log.add(
          'senderAndSite',
          contact ? 'known_contact' : 'unknown_sender',
          `${sender ?? 'no sender address'}; ${who}`,
        );
        log.add('acknowledge', 'not_sent', 'replies to an incident are not acknowledged');
        await this.effects.append(
          claim,
          log,
          incident,
          body.text,
          {
            reopen: effect === 'reopen',
            internal,
            copied: copied.addresses,
            files,
            senderVerified: verification.verified,
          },
          actor,
          run.pending,
        );
        return effect === 'reopen' ? 'reopened' : 'appended';
      }
      related = incident;
    } else {
      log.add('thread', 'new', thread.reason);
    }

    // Machine-sent mail is never placed by its sender: an agent decides in triage what it is about.
    const placement =
      classification.kind === 'machine'
        ? {
            placed: false as const,
            reason: `machine-sent mail (${classification.reason})`,
            trustHint: null,
          }
        : placeMail(await this.lookups.siteFacts(facts, sender, contact));
    const siteCode = placement.placed ? placement.siteCode : await this.triage.code();
    const serviceCode =
      serviceFromText(mail.subject, body.text, await this.lookups.activeServiceCodes()) ??
      this.settings.defaults.service;
    log.add(
      'senderAndSite',
      placement.placed ? `site_by_${placement.by}` : 'needs_triage',
      `${contact ? 'known contact' : sender ? 'unknown sender (new unverified contact)' : 'no sender address'}; ${who}; ${placement.reason}; service ${serviceCode}`,
    );

    const ack =
      sender === null
        ? { ok: false as const, reason: 'invalid_address', detail: 'the mail has no sender address' }
        : mayAcknowledge(
            {
              recipient: sender,
              kind: classification.kind,
              ...known.ack,
              sentForIncident: 0,
              now,
            },
            this.settings.ackLimits,
          );
    log.add(
      'acknowledge',
      ack.ok ? 'send' : 'not_sent',
      ack.ok ? `to ${sender}, threaded to the sender's Message-ID` : `${ack.reason}: ${ack.detail}`,
    );

    const summary = incidentSummary(mail.subject, body.text);
    const description = related
      ? `(Email reply to ${related.reference}, which is closed: this incident follows on from it.)\n\n${body.text}`
      : body.text;
    const theirIds = [...mail.references.slice(-19), ...(mail.messageId ? [mail.messageId] : [])].map(
      (id) => `<${id}>`,
    );
    const reference = await this.effects.create(
      claim,
      log,
      {
        siteCode,
        serviceCode,
        impact: this.settings.defaults.impact,
        urgency: this.settings.defaults.urgency,
        summary,
        description,
        reporter: { name: actor.name, email: sender },
        reportedAt: claim.receivedAt.getTime() < now.getTime() ? claim.receivedAt : now,
        relatedIncidentId: related?.id ?? null,
        acknowledgement: {
          send: ack.ok,
          inReplyTo: mail.messageId ? `<${mail.messageId}>` : null,
          references: [...new Set(theirIds)],
        },
        triage: placement.placed ? null : { reason: placement.reason, trustHint: placement.trustHint },
        copied: copied.addresses,
        files,
      },
      actor,
      run.pending,
    );
    return related ? `created_linked ${reference}` : `created ${reference}`;
  }
}
