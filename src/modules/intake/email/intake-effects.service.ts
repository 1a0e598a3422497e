import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Attachment as ParsedAttachment } from 'mailparser';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../../common/time/clock';
import { AttachmentsService, type PreparedFile } from '../../attachments/attachments.service';
import type { Actor } from '../../audit/actor';
import { appendEvent, DESK_AUTHOR } from '../../incidents/timeline/append-event';
import { IncidentWorkflow } from '../../incidents/incident-workflow.service';
import { Incident } from '../../incidents/incident.entity';
import { IncidentsService, type CreateHooks, type NewIncident } from '../../incidents/incidents.service';
import type { SystemEventType } from '../../incidents/incident-event.entity';
import { InboundRows, type ClaimedRow, type Outcome } from './inbound-rows';
import { IntakeSettings } from './intake-settings';
import type { StepLog } from './step-log';

/** A file from the mail, sniffed before any transaction opens. */
export type MailFile = PreparedFile;

/** What the pipeline decided for a new incident: NewIncident's fields, all of them set, plus what the mail brings. */
export interface NewEmailIncident extends Required<
  Pick<
    NewIncident,
    'siteCode' | 'serviceCode' | 'impact' | 'urgency' | 'summary' | 'description' | 'reportedAt'
  >
> {
  reporter: { name: string; email: string | null };
  relatedIncidentId: string | null;
  acknowledgement: { send: boolean; inReplyTo: string | null; references: string[] };
  triage: { reason: string; trustHint: string | null } | null;
  copied: string[];
  files: MailFile[];
}

/** What the outcome will say, less what the transaction learns (the incident). */
export type PendingOutcome = Omit<Outcome, 'incidentId' | 'log' | 'reason' | 'decision' | 'step' | 'status'>;

/**
 * The pipeline's writes. Each commits the message's outcome (InboundRows.finish, guarded by the run's claim)
 * in the same transaction as its effect on the incident, so a crash anywhere leaves either both or neither,
 * and a message is acted on exactly once.
 */
@Injectable()
export class IntakeEffects {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly incidents: IncidentsService,
    private readonly workflow: IncidentWorkflow,
    private readonly attachments: AttachmentsService,
    private readonly rows: InboundRows,
    private readonly settings: IntakeSettings,
    private readonly clock: Clock,
  ) {}

  /** Sniffs every attachment's type from its bytes (never trusting the sender's claim), before any transaction. */
  async readFiles(attachments: readonly ParsedAttachment[]): Promise<MailFile[]> {
    return Promise.all(
      attachments.map((a, i) => this.attachments.prepare(a.filename ?? `attachment-${i + 1}`, a.content)),
    );
  }

  /** A new incident (IncidentsService queues the acknowledgement), its attachments, copied addresses and triage mark. */
  async create(
    claim: ClaimedRow,
    log: StepLog,
    input: NewEmailIncident,
    actor: Actor,
    pending: PendingOutcome,
  ): Promise<string> {
    let reference = '';
    const outcome = (created: { id: string; reference: string }): Outcome => {
      reference = created.reference;
      log.add(
        'createOrAppend',
        input.relatedIncidentId ? 'created_linked' : 'created',
        `${created.reference} at site ${input.siteCode}, service ${input.serviceCode}`,
      );
      return {
        ...pending,
        status: 'processed',
        decision: input.relatedIncidentId ? 'created_linked' : 'created',
        step: 7,
        reason: `new incident ${created.reference}${input.triage ? ' (needs triage)' : ''}; acknowledgement ${input.acknowledgement.send ? 'queued' : 'not sent'}`,
        log: log.entries,
        incidentId: created.id,
      };
    };
    // A plain mail's outcome joins the create statement (no BEGIN and COMMIT); files, copied addresses and the
    // triage mark are written in one transaction with it, the outcome last, after their log entries.
    const plain = input.files.length === 0 && input.copied.length === 0 && !input.triage;
    const hooks: CreateHooks = plain
      ? {
          inStatement: (created, firstParam) => this.rows.finishGuard(claim, outcome(created), firstParam),
        }
      : {
          inTransaction: async (em, created) => {
            await this.keepFiles(em, created.id, null, input.files, actor, log);
            await this.addParticipants(em, created.id, input.copied);
            if (input.triage) {
              await this.systemEvent(em, created.id, 'needs_triage', {
                reason: input.triage.reason,
                trustHint: input.triage.trustHint,
                inboundMessageId: claim.id,
              });
            }
            await this.rows.finish(em, claim, outcome(created));
          },
        };
    await this.incidents.create(
      {
        channel: 'email',
        siteCode: input.siteCode,
        serviceCode: input.serviceCode,
        impact: input.impact,
        urgency: input.urgency,
        summary: input.summary,
        description: input.description,
        reporter: { name: input.reporter.name, email: input.reporter.email, phone: null },
        reportedAt: input.reportedAt,
        relatedIncidentId: input.relatedIncidentId,
        acknowledgement: input.acknowledgement,
      },
      actor,
      hooks,
    );
    return reference;
  }

  /** A public reply (or, from the incident's supplier, an internal note) on the threaded incident; reopens first when asked. */
  async append(
    claim: ClaimedRow,
    log: StepLog,
    target: { id: string; reference: string },
    body: string,
    options: {
      reopen: boolean;
      internal: boolean;
      copied: string[];
      files: MailFile[];
      senderVerified: boolean;
    },
    actor: Actor,
    pending: PendingOutcome,
  ): Promise<void> {
    if (options.reopen) {
      // Idempotent by state: a rerun after a crash finds it in progress and only appends.
      await this.workflow.transition(target.reference, { to: 'in_progress' }, actor);
    }
    const incident = await this.db.getRepository(Incident).findOneByOrFail({ id: target.id });
    const kind = options.internal ? 'internal_note' : 'public_reply';
    const decision = options.reopen ? 'reopened' : 'appended';
    // The entry says it came by email, and whether the relay vouched for the sender.
    const data = { email: { inboundMessageId: claim.id, senderVerified: options.senderVerified } };
    await this.workflow.comment(incident, kind, body, actor, {
      data,
      inTransaction: async (em, added) => {
        await this.keepFiles(em, target.id, added.eventId, options.files, actor, log);
        await this.addParticipants(em, target.id, options.copied);
        log.add(
          'createOrAppend',
          decision,
          `${kind === 'public_reply' ? 'public reply' : 'internal note (from the supplier)'} on ${target.reference}${options.reopen ? ', reopened' : ''}`,
        );
        await this.rows.finish(em, claim, {
          ...pending,
          status: 'processed',
          decision,
          step: 7,
          reason: `${decision} ${target.reference}`,
          log: log.entries,
          incidentId: target.id,
        });
      },
    });
  }

  /** Marks every failed recipient as bouncing, notes the bounce on the incident it refers to, and records it. */
  async bounce(
    claim: ClaimedRow,
    log: StepLog,
    recipients: string[],
    status: string | null,
    incident: { id: string; reference: string } | null,
    pending: PendingOutcome,
  ): Promise<void> {
    const until = new Date(this.clock.now().getTime() + this.settings.bounceSuppressionMs);
    await this.db.transaction(async (em) => {
      for (const email of recipients.slice(0, 50)) {
        await em.query(
          `INSERT INTO mail_suppression (email, until, status, bounces, last_inbound_message_id) VALUES ($1, $2, $3, 1, $4)
           ON CONFLICT (email) DO UPDATE SET until = GREATEST(mail_suppression.until, EXCLUDED.until), status = EXCLUDED.status,
             bounces = mail_suppression.bounces + 1, last_inbound_message_id = EXCLUDED.last_inbound_message_id, updated_at = now()`,
          [email.slice(0, 320), until, status?.slice(0, 16) ?? null, claim.id],
        );
      }
      if (incident)
        await this.systemEvent(em, incident.id, 'mail_bounced', {
          recipients,
          status,
          inboundMessageId: claim.id,
        });
      const who =
        recipients.length > 0
          ? `${recipients.join(', ')} bouncing until ${until.toISOString()}`
          : 'no failed recipient named';
      await this.rows.finish(em, claim, {
        ...pending,
        status: 'processed',
        decision: 'bounce_recorded',
        step: 3,
        reason: `${who}${status ? ` (${status})` : ''}; ${incident ? `about ${incident.reference}` : 'not linked to an incident'}`,
        log: log.entries,
        incidentId: incident?.id ?? null,
      });
    });
  }

  /** An out-of-office reply to an open incident: a system event on its timeline, never a reply. */
  async noteAutoReply(
    claim: ClaimedRow,
    log: StepLog,
    incident: { id: string; reference: string },
    sender: string | null,
    pending: PendingOutcome,
  ): Promise<void> {
    await this.db.transaction(async (em) => {
      await this.systemEvent(em, incident.id, 'auto_reply_received', {
        from: sender,
        inboundMessageId: claim.id,
      });
      await this.rows.finish(em, claim, {
        ...pending,
        status: 'processed',
        decision: 'auto_reply_noted',
        step: 2,
        reason: `out-of-office reply noted on ${incident.reference}`,
        log: log.entries,
        incidentId: incident.id,
      });
    });
  }

  /** An outcome with no effect beyond the intake log (duplicates, automated mail, our own mail, refusals). */
  async record(claim: ClaimedRow, outcome: Outcome): Promise<void> {
    await this.db.transaction((em) => this.rows.finish(em, claim, outcome));
  }

  private async systemEvent(
    em: EntityManager,
    incidentId: string,
    type: SystemEventType,
    data: Record<string, unknown>,
  ): Promise<void> {
    await appendEvent(em, { incidentId, kind: 'system', type, author: DESK_AUTHOR, data });
  }

  private async addParticipants(
    em: EntityManager,
    incidentId: string,
    emails: readonly string[],
  ): Promise<void> {
    if (emails.length === 0) return;
    await em.query(
      "INSERT INTO incident_participant (incident_id, email, role) SELECT $1, e, 'cc' FROM unnest($2::text[]) AS e ON CONFLICT DO NOTHING",
      [incidentId, emails],
    );
  }

  /**
   * Keeps the mail's attachments and inline images on the incident, within the per-file and per-incident
   * limits; a file over a limit is left out (it stays in the stored original) and the log says so.
   */
  private async keepFiles(
    em: EntityManager,
    incidentId: string,
    eventId: string | null,
    files: readonly MailFile[],
    actor: Actor,
    log: StepLog,
  ): Promise<void> {
    if (files.length === 0) return;
    const { kept, skipped } = await this.attachments.store(em, incidentId, eventId, files, actor, 'skip');
    log.add(
      'createOrAppend',
      skipped.length > 0 ? 'attachments_partly_kept' : 'attachments_kept',
      `${kept.length} kept` +
        (skipped.length > 0
          ? `; over the attachment limits, kept only in the stored original: ${skipped
              .map((f) => `${f.filename} (${f.data.length} bytes)`)
              .join(', ')}`
          : ''),
    );
  }
}
