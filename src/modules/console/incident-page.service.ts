import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/time/clock';
import type { Page } from '../../common/http/pagination';
import { AttachmentsService, type AttachmentView } from '../attachments/attachments.service';
import type { AuthUser } from '../auth/auth-user';
import { CatalogueService } from '../directory/catalogue.service';
import { SitesService } from '../directory/sites.service';
import { PRIORITIES, RESOLUTION_CODES } from '../incidents/domain/incident-enums';
import type { TimelineEntryDto } from '../incidents/dto/incident.dto';
import { visibleEventKinds } from '../incidents/incident-access';
import { isDeskStaff } from '../users/domain/roles';
import { IncidentQueries } from '../incidents/incident-queries.service';
import { UsersService } from '../users/users.service';
import { callLog } from './domain/call-log';
import { escalationPanel } from './domain/escalation-panel';
import type { IncidentAction } from './domain/incident-actions';
import { channelLabel, resolutionLabel, siteClassLabel, statusLabel } from './domain/labels';
import { formatDateTime } from './domain/london-time';
import type { FieldProblem } from './domain/queues';
import { clockDisplay } from './domain/sla-display';
import { systemEventText } from './domain/timeline-wording';
import { countsAsChange, newerThan, type SeenState } from './domain/version-check';
import { encodeCursor } from '../../common/http/pagination';

/** What a refused form brings back to the page: which form, its problems and what was typed. */
export interface FormState {
  action: IncidentAction;
  problems: FieldProblem[];
  values: Record<string, string>;
  /** A refusal from the incident services (an invalid status move, an assignee who cannot be assigned). */
  refusal?: string;
  /** Someone else changed the incident after this entry (the newest the form's page showed): show what changed. */
  changedSince?: string;
}

const TIMELINE_PAGE = 500;

/**
 * The incident page's model: the header, SLA clocks, the timeline as the user may see it (internal notes for
 * desk staff only, through IncidentQueries.timeline), attachments and the action forms the user's role and the
 * incident's status allow. Reads go through the exported services only.
 */
@Injectable()
export class IncidentPageService {
  constructor(
    private readonly queries: IncidentQueries,
    private readonly attachments: AttachmentsService,
    private readonly sites: SitesService,
    private readonly catalogue: CatalogueService,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  async build(
    reference: string,
    user: AuthUser,
    form: FormState | null,
    done: string | null,
  ): Promise<object> {
    const entity = await this.queries.findVisible(reference, user);
    const isDesk = isDeskStaff(user);
    // Every read at once, after the one that decides whether the user may see the incident at all.
    const [incident, timeline, files, site, classes, services, deskUsers, suppliers] = await Promise.all([
      this.queries.presentFound(entity),
      this.fullTimeline(entity, user),
      this.attachments.list(entity.id, visibleEventKinds(user)),
      this.sites.get(entity.site?.code ?? ''),
      this.catalogue.listSiteClasses(),
      this.catalogue.listServices(),
      isDesk ? this.users.deskUsers() : Promise.resolve([]),
      isDesk ? this.catalogue.listSuppliers() : Promise.resolve([]),
    ]);
    const now = this.clock.now();
    const visibleEvents = new Set(timeline.map((e) => e.id));
    const shown = files.filter((f) => f.eventId === null || visibleEvents.has(f.eventId));
    const fileView = (f: AttachmentView) => ({
      name: f.filename,
      href: `/console/incidents/${incident.reference}/attachments/${f.id}`,
      size: formatBytes(f.size),
    });
    const byEvent = new Map<string, ReturnType<typeof fileView>[]>();
    for (const f of shown)
      if (f.eventId) byEvent.set(f.eventId, [...(byEvent.get(f.eventId) ?? []), fileView(f)]);
    const allowed = new Set(incident.allowedTransitions);
    const siteClass = classes.find((c) => c.code === incident.site.class);
    const problems = form?.problems ?? [];
    const errorFor = (id: string): string | null => problems.find((p) => p.field === id)?.message ?? null;
    const valueOf = (action: IncidentAction, name: string): string =>
      form?.action === action ? (form.values[name] ?? '') : '';
    const hold = incident.status === 'awaiting_caller' || incident.status === 'awaiting_supplier';
    const since = form?.changedSince;
    const isNew = (e: TimelineEntryDto): boolean =>
      since !== undefined && newerThan(e.id, since) && countsAsChange(e);
    const describe = (e: TimelineEntryDto): string =>
      `${formatDateTime(e.at)}, ${e.author}: ${e.kind === 'system' ? systemEventText(e.event, e.data) : e.kind === 'internal_note' ? 'added an internal note' : 'replied'}`;
    return {
      version: entity.version,
      seen: timeline.length > 0 ? timeline[timeline.length - 1].id : '0',
      // Someone else's change refused the form: what changed on the timeline (none when only the row changed).
      conflict: since !== undefined,
      changed: since === undefined ? [] : timeline.filter(isNew).map(describe),
      reference: incident.reference,
      summary: incident.summary,
      description: incident.description,
      priority: incident.priority,
      priorityClass: incident.priority.toLowerCase(),
      priorityReason: incident.priorityOverridden ? incident.priorityReason : null,
      status: statusLabel(incident.status),
      statusClass: incident.status.replace('_', '-'),
      site: {
        name: incident.site.name,
        code: incident.site.code,
        classLabel: siteClassLabel(incident.site.class),
        town: site.town,
        accessNotes: [site.accessNotes, siteClass?.accessNotes].filter((n): n is string => !!n),
      },
      trust: incident.trust,
      service: services.find((v) => v.code === incident.service)?.name ?? incident.service,
      channel: channelLabel(incident.channel),
      reported: formatDateTime(incident.reportedAt),
      reportedIso: incident.reportedAt,
      reporter: incident.reporter,
      assignee: incident.assignee?.name ?? null,
      resolution: incident.resolution
        ? { label: resolutionLabel(incident.resolution.code), notes: incident.resolution.notes }
        : null,
      clocks: incident.sla
        ? [
            clockDisplay('response', incident.sla.response, now),
            clockDisplay('resolution', incident.sla.resolution, now),
          ]
        : [],
      timeline: timeline.map((e) => ({
        id: e.id,
        kind: e.kind,
        isNote: e.kind === 'internal_note',
        isReply: e.kind === 'public_reply',
        isSystem: e.kind === 'system',
        label: e.kind === 'internal_note' ? 'Internal note' : e.kind === 'public_reply' ? 'Reply' : 'Event',
        author: e.author,
        // Mail whose sender the relay in front of the desk did not vouch for (issue 16): said beside the author.
        unverified: emailSenderUnverified(e.data),
        at: formatDateTime(e.at),
        atIso: e.at,
        body: e.kind === 'system' ? null : e.body,
        text: e.kind === 'system' ? systemEventText(e.event, e.data) : null,
        comment: e.kind === 'system' ? e.body : null,
        files: byEvent.get(e.id) ?? [],
        isNew: isNew(e),
      })),
      looseFiles: shown.filter((f) => f.eventId === null).map(fileView),
      // Calls to the desk about the incident (phone intake's `calls` block): the desk's business.
      calls: isDesk ? callLog(incident.calls ?? []) : [],
      // Escalations to suppliers (escalation's `escalations` block) and the escalate form: the desk's business.
      escalation: escalationPanel(isDesk ? (incident.escalations ?? []) : [], suppliers, {
        supplier: valueOf('escalate', 'supplier'),
        reason: valueOf('escalate', 'reason'),
        supplierError: errorFor('escalate-supplier'),
        reasonError: errorFor('escalate-reason'),
      }),
      isDesk,
      done,
      errors: problems.map((p) => ({ href: `#${p.field}`, message: p.message })),
      refusal: form?.refusal ?? null,
      formAction: form?.action ?? null,
      forms: {
        reply: { body: valueOf('reply', 'body'), error: errorFor('reply-body') },
        note: { body: valueOf('note', 'body'), error: errorFor('note-body') },
        assign: {
          error: errorFor('assign-assignee'),
          isMine: incident.assignee?.id === user.id,
          users: deskUsers.map((u) => ({
            id: u.id,
            label: `${u.name} (${u.email})`,
            selected: u.id === (valueOf('assign', 'assignee') || incident.assignee?.id),
          })),
        },
        priority: {
          options: PRIORITIES.map((p) => ({
            value: p,
            selected: p === (valueOf('priority', 'priority') || incident.priority),
          })),
          reason: valueOf('priority', 'reason'),
          priorityError: errorFor('priority-priority'),
          reasonError: errorFor('priority-reason'),
        },
        start: {
          allowed: allowed.has('in_progress') && incident.status !== 'resolved',
          label: hold ? 'Resume work' : 'Start work',
        },
        reopen: {
          allowed: incident.status === 'resolved' && allowed.has('in_progress'),
          comment: valueOf('reopen', 'comment'),
        },
        hold: {
          allowed: allowed.has('awaiting_caller') || allowed.has('awaiting_supplier'),
          onCaller: valueOf('hold', 'on') !== 'awaiting_supplier',
          reason: valueOf('hold', 'reason'),
          onError: errorFor('hold-on'),
          reasonError: errorFor('hold-reason'),
        },
        resolve: {
          allowed: allowed.has('resolved'),
          codes: RESOLUTION_CODES.map((c) => ({
            value: c,
            label: resolutionLabel(c),
            selected: c === valueOf('resolve', 'code'),
          })),
          notes: valueOf('resolve', 'notes'),
          codeError: errorFor('resolve-code'),
          notesError: errorFor('resolve-notes'),
        },
        cancel: {
          allowed: allowed.has('cancelled'),
          reason: valueOf('cancel', 'reason'),
          error: errorFor('cancel-reason'),
        },
      },
    };
  }

  /**
   * Whether someone changed the incident after the page a form was filled in on showed it: another version of the
   * row, or a timeline entry the user may see (not the SLA engine's own) newer than the page's newest.
   */
  async changedSince(reference: string, user: AuthUser, seen: SeenState): Promise<boolean> {
    return this.changedIn(await this.queries.findVisible(reference, user), user, seen);
  }

  /** The same check on a given row; with `em`, in that transaction (the change's own, the row locked). */
  async changedIn(
    incident: { id: string; version: number },
    user: AuthUser,
    seen: SeenState,
    em?: EntityManager,
  ): Promise<boolean> {
    if (incident.version !== seen.version) return true;
    const after = await this.queries.timeline(incident, user, 100, encodeCursor({ id: seen.event }), em);
    return after.items.some(countsAsChange);
  }

  /** Every timeline entry the user may see, oldest first (pages of 500 through IncidentQueries.timeline). */
  private async fullTimeline(
    incident: Awaited<ReturnType<IncidentQueries['findVisible']>>,
    user: AuthUser,
  ): Promise<TimelineEntryDto[]> {
    const entries: TimelineEntryDto[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page: Page<TimelineEntryDto> = await this.queries.timeline(incident, user, TIMELINE_PAGE, cursor);
      entries.push(...page.items);
      if (!page.nextCursor) return entries;
      cursor = page.nextCursor;
    }
  }
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** Whether a timeline entry came by email from a sender the relay did not vouch for (`data.email.senderVerified`). */
function emailSenderUnverified(data: Record<string, unknown> | null): boolean {
  const email = data?.email;
  return (
    typeof email === 'object' &&
    email !== null &&
    (email as { senderVerified?: unknown }).senderVerified === false
  );
}
