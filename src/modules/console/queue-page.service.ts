import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import type { AuthUser } from '../auth/auth-user';
import { CatalogueService } from '../directory/catalogue.service';
import { SITE_CLASSES } from '../directory/site-class.entity';
import { CHANNELS, PRIORITIES } from '../incidents/domain/incident-enums';
import type { IncidentView } from '../incidents/dto/incident.dto';
import { isDeskStaff } from '../users/domain/roles';
import { IncidentQueries } from '../incidents/incident-queries.service';
import { formatShortDateTime, formatDateTime } from './domain/london-time';
import { channelLabel, siteClassLabel, statusLabel } from './domain/labels';
import {
  listFilter,
  QUEUE_DEFINITIONS,
  QUEUE_SORTS,
  queueHref,
  SORT_LABELS,
  visibleQueues,
  type QueueSelection,
} from './domain/queues';
import { clockDisplay, nextClock, type ClockDisplay } from './domain/sla-display';

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
}

/** The queue page's model: tabs, filters, one page of rows (IncidentQueries.list, keyset) and the pager. */
@Injectable()
export class QueuePageService {
  constructor(
    private readonly queries: IncidentQueries,
    private readonly catalogue: CatalogueService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async build(selection: QueueSelection, user: AuthUser): Promise<object> {
    const isDesk = isDeskStaff(user);
    const [page, trusts, services] = await Promise.all([
      this.queries.list(listFilter(selection, this.config.env.INTAKE_TRIAGE_SITE_CODE), user),
      isDesk ? this.catalogue.listTrusts() : Promise.resolve([]),
      this.catalogue.listServices(),
    ]);
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
      tabs: visibleQueues(isDesk).map((key) => ({
        key,
        label: QUEUE_DEFINITIONS[key].label,
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
          ].filter(Boolean).length > 0,
        clearHref: queueHref(selection, {
          trust: null,
          siteClass: null,
          priority: null,
          service: null,
          channel: null,
          hold: null,
          cursor: null,
        }),
      },
      rows: page.items.map((i) => row(i, now)),
      pager: {
        nextHref: page.nextCursor ? queueHref(selection, { cursor: page.nextCursor }) : null,
        firstHref: selection.cursor ? queueHref(selection, { cursor: null }) : null,
      },
      showTrustColumn: isDesk,
    };
  }
}

function row(i: IncidentView, now: Date): QueueRow {
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
  };
}
