import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, type Repository } from 'typeorm';
import { Clock } from '../../../common/time/clock';
import type { Actor } from '../../audit/actor';
import { isTerminalStatus } from '../../incidents/domain/incident-enums';
import { formatReference } from '../../incidents/domain/incident-reference';
import { IncidentEvent } from '../../incidents/incident-event.entity';
import { IncidentQueries } from '../../incidents/incident-queries.service';
import { IncidentWorkflow } from '../../incidents/incident-workflow.service';
import { Incident } from '../../incidents/incident.entity';
import { StatusLinkService } from '../../incidents/status-link.service';
import { LIMITS, validateComment } from './domain/report-form';
import {
  priorityWording,
  resolutionWording,
  statusWording,
  systemEventWording,
} from './domain/public-wording';
import { linkInvalid, rateLimited } from './report-page.errors';
import { ReportRateLimiter } from './report-rate-limiter';
import { ReportViews } from './report-views';

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

const when = (at: Date): { iso: string; display: string } => ({
  iso: at.toISOString(),
  display: LONDON.format(at),
});

export type CommentOutcome = { ok: true } | { ok: false; status: 400 | 409; error: string; value: string };

/**
 * What a reporter reaches through the signed link in their acknowledgement: the thanks page, the status page
 * (status, priority, site, what they reported and the public timeline: public replies and system events, never
 * internal notes) and a comment, added as a public reply by the reporter. A bad or expired link is a 404.
 */
@Injectable()
export class ReportStatusService {
  private readonly logger = new Logger(ReportStatusService.name);

  constructor(
    @InjectRepository(Incident) private readonly incidents: Repository<Incident>,
    @InjectRepository(IncidentEvent) private readonly events: Repository<IncidentEvent>,
    private readonly statusLinks: StatusLinkService,
    private readonly queries: IncidentQueries,
    private readonly workflow: IncidentWorkflow,
    private readonly limiter: ReportRateLimiter,
    private readonly views: ReportViews,
    private readonly clock: Clock,
  ) {}

  async thanksPage(token: string, attachment: string | undefined): Promise<string> {
    const incident = await this.load(token);
    const reference = formatReference(incident.number);
    return this.views.render('report-thanks', {
      pageTitle: `Fault reported: ${reference}`,
      reference,
      email: incident.reporterEmail,
      statusPath: `/report/status/${token}`,
      attachmentStored: attachment === 'stored',
      attachmentFailed: attachment === 'failed',
    });
  }

  async statusPage(
    token: string,
    csrfToken: string,
    form: { comment?: string; error?: string | null; added?: boolean } = {},
  ): Promise<string> {
    const incident = await this.load(token);
    const reference = formatReference(incident.number);
    const status = statusWording(incident.status);
    const entries = await this.queries.publicTimeline(incident.id);
    const fromDesk = await this.deskReplyIds(incident.id);
    const timeline = entries.map((e) => ({
      ...when(new Date(e.at)),
      reply: e.kind === 'public_reply',
      who:
        e.kind !== 'public_reply'
          ? null
          : fromDesk.has(e.id)
            ? 'the service desk'
            : e.author === incident.reporterName
              ? `${e.author} (you)`
              : e.author,
      text: e.kind === 'public_reply' ? (e.body ?? '') : systemEventWording(e.event, e.data),
    }));
    const error = form.error ?? null;
    return this.views.render('report-status', {
      pageTitle: `${error ? 'Error: ' : ''}${reference}: ${status.label}`,
      reference,
      status,
      priority: priorityWording(incident.priority),
      site: incident.site ? `${incident.site.name} (site code ${incident.site.code})` : '',
      trust: incident.trust?.name ?? '',
      service: incident.service?.name ?? '',
      summary: incident.summary,
      description: incident.description,
      reporterName: incident.reporterName,
      reportedAt: when(incident.reportedAt),
      resolution: incident.resolutionCode ? resolutionWording(incident.resolutionCode) : null,
      timeline,
      canComment: !isTerminalStatus(incident.status),
      commentAction: `/report/status/${token}/comments`,
      csrfToken,
      added: form.added === true,
      errors: error ? [{ href: '#comment', message: error }] : [],
      comment: {
        value: form.comment ?? '',
        error,
        max: LIMITS.comment,
        describedBy: error ? 'comment-hint comment-error' : 'comment-hint',
      },
    });
  }

  /** Adds the reporter's comment as a public reply on the incident. */
  async comment(token: string, raw: unknown, clientIp: string): Promise<CommentOutcome> {
    const incident = await this.load(token);
    const checked = validateComment(raw);
    if (checked.error !== null)
      return { ok: false, status: 400, error: checked.error, value: typeof raw === 'string' ? raw : '' };
    if (isTerminalStatus(incident.status)) {
      return {
        ok: false,
        status: 409,
        error:
          'This report is closed, so comments can no longer be added. If the fault has come back, please report it again',
        value: checked.body,
      };
    }
    const limit = await this.limiter.hit('comment-ip', clientIp);
    if (!limit.allowed) throw rateLimited('address', limit.retryAfterSeconds);
    const actor: Actor = {
      kind: 'reporter',
      name: incident.reporterName,
      email: incident.reporterEmail,
      contactId: incident.reporterContactId,
    };
    const entry = await this.workflow.comment(incident, 'public_reply', checked.body, actor);
    this.logger.log(
      { incidentId: incident.id, eventId: entry.id },
      'Reporter comment added from the status page',
    );
    return { ok: true };
  }

  /** Public replies written by desk users: shown as from "the service desk", not by account name or address. */
  private async deskReplyIds(incidentId: string): Promise<Set<string>> {
    const rows = await this.events.find({
      select: { id: true },
      where: { incidentId, kind: 'public_reply', authorUserId: Not(IsNull()) },
    });
    return new Set(rows.map((r) => String(r.id)));
  }

  private async load(token: string): Promise<Incident> {
    const id = this.statusLinks.verify(token, this.clock.now());
    const incident = id
      ? await this.incidents.findOne({ where: { id }, relations: { site: true, trust: true, service: true } })
      : null;
    if (!incident) throw linkInvalid();
    return incident;
  }
}
