import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import type { AuthUser } from '../auth/auth-user';
import { CatalogueService } from '../directory/catalogue.service';
import { SITE_CLASSES } from '../directory/site-class.entity';
import { CHANNELS, PRIORITIES } from '../incidents/domain/incident-enums';
import { parseReference } from '../incidents/domain/incident-reference';
import type { IncidentView } from '../incidents/dto/incident.dto';
import { isDeskStaff } from '../users/domain/roles';
import { IncidentQueries } from '../incidents/incident-queries.service';
import { openEscalationSuppliers } from '../escalation/escalation-sql';
import { UsersService } from '../users/users.service';
import { BULK_ACTIONS, BULK_LABELS } from './domain/bulk-actions';
import { clockHolder, type ClockHolder } from './domain/clock-holder';
import { formatShortDateTime, formatDateTime } from './domain/london-time';
import { channelLabel, siteClassLabel, statusLabel } from './domain/labels';
import {
  listFilter,
  participantFilters,
  QUEUE_DEFINITIONS,
  QUEUE_SORTS,
  queueHref,
  SORT_LABELS,
  takesAssignee,
  visibleQueues,
  type QueueSelection,
} from './domain/queues';
import { clockDisplay, nextClock, type ClockDisplay } from './domain/sla-display';
import { tabCount, TAB_COUNT_LIMIT } from './domain/tab-count';

interface Option {
  value: string;
  label: string;
  selected: boolean;
}

export interface QueueRow {
  reference: string;
  href: string;
  priority: string;
  priorityClass: string;
  site: string;
  siteDetail: string;
  summary: string;
  status: string;
  statusClass: string;
  assignee: string | null;
  reported: string;
  reportedFull: string;
  reportedIso: string;
  clock: ClockDisplay | null;
  holder: ClockHolder | null;
}

/** The queue page's model: tabs, filters, one page of rows (IncidentQueries.list, keyset) and the pager. */
@Injectable()
export class QueuePageService {
  constructor(
    private readonly queries: IncidentQueries,
    private readonly catalogue: CatalogueService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly users: UsersService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async build(selection: QueueSelection, user: AuthUser): Promise<object> {
    const isDesk = isDeskStaff(user);
    const triage = this.config.env.INTAKE_TRIAGE_SITE_CODE;
    const tabKeys = visibleQueues(isDesk);
    const [page, counts, trusts, services, deskUsers] = await Promise.all([
      this.queries.list(listFilter(selection, triage), user, participantFilters(selection.queue)),
      // Each tab's count, with the same filters (search and assignee included) as the page.
      this.queries.count(
        tabKeys.map((queue) => {
          const {
            cursor: _cursor,
            limit: _limit,
            ...query
          } = listFilter({ ...selection, queue, cursor: null }, triage);
          return { query, filters: participantFilters(queue) };
        }),
        user,
        TAB_COUNT_LIMIT,
      ),
      isDesk ? this.catalogue.listTrusts() : Promise.resolve([]),
      this.catalogue.listServices(),
      isDesk ? this.users.deskUsers() : Promise.resolve([]),
    ]);
    // Supplier names for the clock holder, for the rows with an escalation (the list's escalations block says
    // which): most pages have none, and then no query.
    const escalated = page.items.filter((i) => (i.escalations ?? []).length > 0);
    const suppliers = await openEscalationSuppliers(
      this.db.manager,
      escalated.map((i) => parseReference(i.reference) ?? 0),
    );
    const now = this.clock.now();
    const definition = QUEUE_DEFINITIONS[selection.queue];
    const options = (
      values: readonly string[],
      selected: string | null,
      label: (v: string) => string,
    ): Option[] => values.map((value) => ({ value, label: label(value), selected: value === selected }));
    return {
      queue: { key: selection.queue, label: definition.label, description: definition.description },
      search: selection.q ?? '',
      tabs: tabKeys.map((key, k) => ({
        key,
        label: QUEUE_DEFINITIONS[key].label,
        count: tabCount(counts[k]),
        href: queueHref(selection, { queue: key, cursor: null, hold: null }),
        current: key === selection.queue,
      })),
      filters: {
        showTrust: isDesk,
        trusts: trusts.map((t) => ({ value: t.code, label: t.name, selected: t.code === selection.trust })),
        siteClasses: options(SITE_CLASSES, selection.siteClass, (v) => siteClassLabel(v as never)),
        priorities: options(PRIORITIES, selection.priority, (v) => v),
        services: services.map((s) => ({
          value: s.code,
          label: s.name,
          selected: s.code === selection.service,
        })),
        channels: options(CHANNELS, selection.channel, (v) => channelLabel(v as never)),
        sorts: options(QUEUE_SORTS, selection.sort, (v) => SORT_LABELS[v as keyof typeof SORT_LABELS]),
        showAssignee: isDesk && takesAssignee(selection.queue),
        assignees: [
          { value: 'me', label: 'Me', selected: selection.assignee === 'me' },
          { value: 'none', label: 'Nobody', selected: selection.assignee === 'none' },
          ...deskUsers.map((u) => ({ value: u.id, label: u.name, selected: u.id === selection.assignee })),
        ],
        showHold: selection.queue === 'on_hold',
        holds: options(['caller', 'supplier'], selection.hold, (v) =>
          v === 'caller' ? 'The caller' : 'A supplier',
        ),
        active:
          [
            selection.trust,
            selection.siteClass,
            selection.priority,
            selection.service,
            selection.channel,
            takesAssignee(selection.queue) ? selection.assignee : null,
          ].filter(Boolean).length > 0,
        clearHref: queueHref(selection, {
          trust: null,
          siteClass: null,
          priority: null,
          service: null,
          channel: null,
          hold: null,
          assignee: null,
          cursor: null,
        }),
      },
      rows: page.items.map((i) => row(i, now, suppliers.get(parseReference(i.reference) ?? 0) ?? [])),
      pager: {
        nextHref: page.nextCursor ? queueHref(selection, { cursor: page.nextCursor }) : null,
        firstHref: selection.cursor ? queueHref(selection, { cursor: null }) : null,
      },
      showTrustColumn: isDesk,
      showBulk: isDesk,
      bulkBack: queueHref(selection),
      bulkActions: BULK_ACTIONS.map((value) => ({ value, label: BULK_LABELS[value] })),
    };
  }
}

function row(i: IncidentView, now: Date, suppliers: readonly string[]): QueueRow {
  const target = i.sla ? nextClock(i.sla) : null;
  return {
    reference: i.reference,
    href: `/console/incidents/${i.reference}`,
    priority: i.priority,
    priorityClass: i.priority.toLowerCase(),
    site: i.site.name,
    siteDetail: `${siteClassLabel(i.site.class)} · ${i.trust.code}`,
    summary: i.summary,
    status: statusLabel(i.status),
    statusClass: i.status.replace('_', '-'),
    assignee: i.assignee?.name ?? null,
    reported: formatShortDateTime(i.reportedAt, now),
    reportedFull: formatDateTime(i.reportedAt),
    reportedIso: i.reportedAt,
    clock: i.sla && target ? clockDisplay(target, i.sla[target], now) : null,
    holder: clockHolder(i.status, suppliers),
  };
}
