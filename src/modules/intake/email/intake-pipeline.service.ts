import { Injectable, Logger } from '@nestjs/common';
import { simpleParser, type SimpleParserOptions } from 'mailparser';
import { Clock } from '../../../common/time/clock';
import { OPEN_STATUSES } from '../../incidents/domain/incident-enums';
import { bounceDetails } from './domain/bounce-details';
import { classifyMail, type MailClassification } from './domain/classify-mail';
import { senderAddressOf } from './domain/inbound-mail';
import { incidentBody, isEmptyMail, withoutNulCharacters } from './domain/intake-text';
import { dedupeKey, type DedupeKey } from './domain/normalise-message-id';
import { threadMail } from './domain/thread-mail';
import { bounceParts, INTAKE_PARSER_OPTIONS, toInboundMail } from './domain/to-inbound-mail';
import { InboundRows, LostClaimError, type ClaimedRow } from './inbound-rows';
import { IntakeEffects, type PendingOutcome } from './intake-effects.service';
import { MAX_PROCESS_ATTEMPTS } from './intake-jobs';
import { IntakeLookups } from './intake-lookups';
import type { Person, Run } from './intake-run';
import { IntakeSettings } from './intake-settings';
import { STEP, StepLog } from './step-log';
import { PersonMailStep } from './person-mail.step';
import { errorText } from '../../../common/errors/error-text';

/** Our parse: no HTML→text by mailparser (we convert HTML-only mail with our own safe converter), cid links kept. */
const PARSE_OPTIONS: SimpleParserOptions = {
  ...INTAKE_PARSER_OPTIONS,
  skipHtmlToText: true,
  keepCidLinks: true,
  skipTextToHtml: true,
  skipTextLinks: true,
};

/** The decision, or `skipped` (nothing to claim) or `lost_claim` (another run took the message over). */
export type RunResult = string;

/**
 * The email intake pipeline, run by a worker on one stored message:
 * 0 parse · 1 dedupe · 2 automated · 3 bounce · 4 own mail · 5 threading · 6 sender and site ·
 * 7 create or append · 8 acknowledge. Decisions are the pure functions in `domain/`; this class loads what
 * they need, calls them in order, logs each step's decision and reason, and has IntakeEffects commit the
 * effect together with the message's outcome. Steps 5 to 8 of a person's mail are PersonMailStep's. An error
 * leaves the message `received` for another attempt, then `failed` with the error, listed and retryable.
 */
@Injectable()
export class IntakePipeline {
  private readonly logger = new Logger(IntakePipeline.name);

  constructor(
    private readonly rows: InboundRows,
    private readonly lookups: IntakeLookups,
    private readonly effects: IntakeEffects,
    private readonly personMail: PersonMailStep,
    private readonly settings: IntakeSettings,
    private readonly clock: Clock,
  ) {}

  async process(inboundMessageId: string): Promise<RunResult> {
    const claim = await this.rows.claim(inboundMessageId);
    if (!claim) return 'skipped';
    const log = new StepLog(() => this.clock.now());
    const meta: { messageId?: string | null; sender?: string | null; subject?: string | null } = {};
    try {
      const decision = await this.run(claim, log, meta);
      this.logger.log({ inboundMessageId, attempt: claim.attempt, decision }, 'Inbound mail processed');
      return decision;
    } catch (err) {
      if (err instanceof LostClaimError) {
        this.logger.warn(
          { inboundMessageId },
          'Inbound mail was taken over by another run; this run changed nothing',
        );
        return 'lost_claim';
      }
      if (isDedupeConflict(err)) {
        // A copy of this message committed first, between our check and our commit: run again to record the duplicate.
        this.logger.log({ inboundMessageId }, 'Inbound mail raced a duplicate; running again');
      }
      const final = claim.attempt >= MAX_PROCESS_ATTEMPTS && !isDedupeConflict(err);
      const error = errorText(err);
      log.add('parse', final ? 'failed' : 'will_retry', `attempt ${claim.attempt}: ${error}`);
      await this.rows.fail(claim, error, final, log.entries, meta).catch((recordErr: unknown) => {
        this.logger.error(
          { inboundMessageId, err: errorText(recordErr) },
          'Could not record an intake failure; the claim runs out and it is retried',
        );
      });
      this.logger.warn(
        { inboundMessageId, attempt: claim.attempt, final, err: error },
        'Inbound mail processing failed',
      );
      throw err;
    }
  }

  private async run(
    claim: ClaimedRow,
    log: StepLog,
    meta: Pick<PendingOutcome, 'messageId' | 'sender' | 'subject'>,
  ): Promise<string> {
    const parsed = await simpleParser(claim.raw, PARSE_OPTIONS);
    const mail = withoutNulCharacters(toInboundMail(parsed));
    const sender = senderAddressOf(mail);
    const pending: PendingOutcome = {
      messageId: mail.messageId,
      sender,
      subject: mail.subject || null,
      kind: null,
    };
    Object.assign(meta, { messageId: pending.messageId, sender, subject: pending.subject });
    const run: Run = { claim, log, parsed, mail, sender, pending };
    const headerLines = parsed.headerLines.length;
    if (headerLines > this.settings.maxHeaderLines) {
      const reason = `header section has ${headerLines} lines (limit ${this.settings.maxHeaderLines}): a mail loop or a malformed message`;
      log.add('parse', 'refused', reason);
      await this.effects.record(claim, {
        ...pending,
        status: 'refused',
        decision: 'refused_headers',
        step: 0,
        reason,
        log: log.entries,
      });
      return 'refused_headers';
    }
    log.add(
      'parse',
      'parsed',
      `${claim.raw.length} bytes, ${headerLines} header lines, ${parsed.attachments.length} attachments`,
    );

    const key = dedupeKey(mail);
    const classification = classifyMail(mail, this.settings.classify);
    // A person's mail reads the duplicate check with everything else it needs before threading (one round trip).
    // A person's mail, or a program's written for a person to read (machine), goes on to threading.
    const person: Person | null =
      classification.kind === 'human' || classification.kind === 'machine'
        ? await this.personFacts(run, key)
        : null;
    const holder = person ? person.facts.holder : await this.rows.holderOf(claim.mailbox, key, claim.id);
    if (holder !== null) {
      const reason = `same ${key.kind === 'message-id' ? 'Message-ID and content' : 'content fingerprint'} as inbound message ${holder}`;
      log.add('dedupe', 'duplicate', reason);
      await this.effects.record(claim, {
        ...pending,
        status: 'processed',
        decision: 'duplicate',
        step: 1,
        reason,
        log: log.entries,
        duplicateOf: holder,
      });
      return 'duplicate';
    }
    log.add(
      'dedupe',
      'first',
      `${key.kind === 'message-id' ? 'Message-ID with this content' : 'content fingerprint (no usable Message-ID)'} not seen before`,
    );
    run.pending = {
      ...pending,
      dedupeKey: key.key,
      contentFingerprint: key.fingerprint,
      kind: classification.kind,
    };

    switch (classification.kind) {
      case 'own_mail':
        log.add('ownMail', 'dropped', classification.reason);
        await this.effects.record(claim, {
          ...run.pending,
          status: 'processed',
          decision: 'dropped_own_mail',
          step: 4,
          reason: classification.reason,
          log: log.entries,
        });
        return 'dropped_own_mail';
      case 'bounce':
        return this.bounce(run, classification);
      case 'automated':
        return this.automated(run, classification);
      case 'human':
      case 'machine':
        if (!person) throw new Error("a person's mail reached step 5 without its facts");
        log
          .add(
            'automated',
            classification.kind === 'machine' ? 'machine' : 'no',
            classification.kind === 'machine'
              ? `${classification.reason}: a new incident goes to triage, never acknowledged`
              : classification.reason,
          )
          .add('bounce', 'no', classification.reason)
          .add('ownMail', 'no', classification.reason);
        if (isEmptyMail(run.mail)) return this.empty(run);
        return this.personMail.handle(run, person, classification);
    }
  }

  /** The trimmed body of a person's mail and the facts read for it (MAIL_FACTS). */
  private async personFacts(run: Run, key: DedupeKey): Promise<Person> {
    const body = incidentBody(run.mail);
    const message = { id: run.claim.id, mailbox: run.claim.mailbox, key };
    return { body, facts: await this.lookups.mailFacts(message, run.sender, run.mail.subject, body.text) };
  }

  private async bounce(run: Run, classification: MailClassification): Promise<string> {
    const details = bounceDetails(run.mail, bounceParts(run.parsed), {
      ourMessageIdDomain: this.settings.classify.ourMessageIdDomain,
    });
    run.log.add(
      'bounce',
      'bounce',
      `${classification.reason}; failed: ${details.failedRecipients.join(', ') || 'none named'}`,
    );
    let incident = await this.lookups.incidentOfOurMessageIds(details.referencedMessageIds);
    if (!incident && details.referencedIncidentRefs.length > 0) {
      incident =
        (await this.lookups.incidentsByReference(details.referencedIncidentRefs)).values().next().value ??
        null;
    }
    await this.effects.bounce(
      run.claim,
      run.log,
      details.failedRecipients,
      details.status,
      incident,
      run.pending,
    );
    return 'bounce_recorded';
  }

  private async automated(run: Run, classification: MailClassification): Promise<string> {
    const { claim, log, mail, sender } = run;
    if (classification.outOfOffice) {
      const { context, incidents } = await this.lookups.threadContext(mail, sender, false);
      const thread = threadMail(mail, context);
      const incident = thread.kind === 'existing' ? incidents.get(thread.reference) : undefined;
      if (incident && (OPEN_STATUSES as readonly string[]).includes(incident.status)) {
        log.add(
          'automated',
          'auto_reply',
          `${classification.reason}; about open incident ${incident.reference}`,
        );
        await this.effects.noteAutoReply(claim, log, incident, sender, run.pending);
        return 'auto_reply_noted';
      }
      log.add('automated', 'recorded', `${classification.reason}; not about an open incident`);
    } else {
      log.add('automated', 'recorded', classification.reason);
    }
    await this.effects.record(claim, {
      ...run.pending,
      status: 'processed',
      decision: 'automated_recorded',
      step: 2,
      reason: `${classification.reason}; recorded, never acknowledged`,
      log: log.entries,
    });
    return 'automated_recorded';
  }

  /** No subject, text or attachment: stored and logged, never an incident (nothing to act on, no one to ask). */
  private async empty(run: Run): Promise<string> {
    const reason = 'no subject, no text and no attachment: nothing to act on';
    run.log.add('empty', 'empty', reason);
    await this.effects.record(run.claim, {
      ...run.pending,
      status: 'processed',
      decision: 'empty',
      step: STEP.empty,
      reason: `${reason}; recorded, never acknowledged`,
      log: run.log.entries,
    });
    return 'empty';
  }
}

/** A unique violation on the dedupe index: a copy of this message committed between our check and our commit. */
function isDedupeConflict(err: unknown): boolean {
  const driver = (err as { driverError?: { code?: string; constraint?: string } } | null)?.driverError;
  return driver?.code === '23505' && driver.constraint === 'inbound_message_dedupe_uq';
}
