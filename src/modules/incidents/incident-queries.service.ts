import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, type SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor, toPage, type CursorKind, type Page } from '../../common/http/pagination';
import type { AuthUser } from '../auth/auth-user';
import { IncidentDomainError } from './domain/incident-errors';
import { parseReference } from './domain/incident-reference';
import type { IncidentView, TimelineEntryDto } from './dto/incident.dto';
import type { IncidentQueryDto, IncidentSort } from './dto/incident-query.dto';
import { IncidentScope, visibleEventKinds } from './incident-access';
import { IncidentEvent } from './incident-event.entity';
import { Incident } from './incident.entity';
import { presentEvent, presentIncident, type PresentableIncident } from './incident.presenter';
import { IncidentParticipants } from './participants/incident-participants';

export const INCIDENT_PAGE_DEFAULT = 50;

/** Keyset pagination: every key of a sort runs the same direction, so one row comparison pages it. */
const SORTS: Record<
  IncidentSort,
  {
    columns: { expr: string; key: string; kind: CursorKind; of: (i: PresentableIncident) => string }[];
    dir: 'ASC' | 'DESC';
  }
> = {
  '-reportedAt': {
    dir: 'DESC',
    columns: [
      { expr: 'i.reported_at', key: 'r', kind: 'timestamp', of: (i) => i.reportedAt.toISOString() },
      { expr: 'i.id', key: 'id', kind: 'uuid', of: (i) => i.id },
    ],
  },
  reportedAt: {
    dir: 'ASC',
    columns: [
      { expr: 'i.reported_at', key: 'r', kind: 'timestamp', of: (i) => i.reportedAt.toISOString() },
      { expr: 'i.id', key: 'id', kind: 'uuid', of: (i) => i.id },
    ],
  },
  priority: {
    dir: 'ASC',
    columns: [
      { expr: 'i.priority', key: 'p', kind: 'text', of: (i) => i.priority },
      { expr: 'i.reported_at', key: 'r', kind: 'timestamp', of: (i) => i.reportedAt.toISOString() },
      { expr: 'i.id', key: 'id', kind: 'uuid', of: (i) => i.id },
    ],
  },
  '-updatedAt': {
    dir: 'DESC',
    columns: [
      { expr: 'i.updated_at', key: 'u', kind: 'timestamp', of: (i) => i.updatedAt.toISOString() },
      { expr: 'i.id', key: 'id', kind: 'uuid', of: (i) => i.id },
    ],
  },
};

/** The list's columns: [expression, alias]; ListRow is one row of them. */
const LIST_COLUMNS: readonly (readonly [string, keyof ListRow])[] = [
  ['i.id', 'id'],
  ['i.number', 'number'],
  ['i.status', 'status'],
  ['i.priority', 'priority'],
  ['i.impact', 'impact'],
  ['i.urgency', 'urgency'],
  ['i.channel', 'channel'],
  ['i.reported_at', 'reported_at'],
  ['i.site_class_code', 'site_class_code'],
  ['i.summary', 'summary'],
  ['i.description', 'description'],
  ['i.reporter_name', 'reporter_name'],
  ['i.reporter_email', 'reporter_email'],
  ['i.reporter_phone', 'reporter_phone'],
  ['i.priority_overridden', 'priority_overridden'],
  ['i.priority_reason', 'priority_reason'],
  ['i.resolution_code', 'resolution_code'],
  ['i.resolution_notes', 'resolution_notes'],
  ['i.resolved_at', 'resolved_at'],
  ['i.closed_at', 'closed_at'],
  ['i.created_at', 'created_at'],
  ['i.updated_at', 'updated_at'],
  ['site.code', 'site_code'],
  ['site.name', 'site_name'],
  ['trust.code', 'trust_code'],
  ['trust.name', 'trust_name'],
  ['service.code', 'service_code'],
  ['assignee.id', 'assignee_id'],
  ['assignee.name', 'assignee_name'],
  ['assignee.email', 'assignee_email'],
];

interface ListRow {
  id: string;
  number: string;
  status: Incident['status'];
  priority: Incident['priority'];
  impact: Incident['impact'];
  urgency: Incident['urgency'];
  channel: Incident['channel'];
  reported_at: Date;
  site_class_code: Incident['siteClassCode'];
  summary: string;
  description: string;
  reporter_name: string;
  reporter_email: string | null;
  reporter_phone: string | null;
  priority_overridden: boolean;
  priority_reason: string | null;
  resolution_code: Incident['resolutionCode'];
  resolution_notes: string | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  site_code: string;
  site_name: string;
  trust_code: string;
  trust_name: string;
  service_code: string;
  assignee_id: string | null;
  assignee_name: string | null;
  assignee_email: string | null;
}

function fromListRow(r: ListRow): PresentableIncident {
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    priority: r.priority,
    impact: r.impact,
    urgency: r.urgency,
    channel: r.channel,
    reportedAt: r.reported_at,
    siteClassCode: r.site_class_code,
    summary: r.summary,
    description: r.description,
    reporterName: r.reporter_name,
    reporterEmail: r.reporter_email,
    reporterPhone: r.reporter_phone,
    priorityOverridden: r.priority_overridden,
    priorityReason: r.priority_reason,
    resolutionCode: r.resolution_code,
    resolutionNotes: r.resolution_notes,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    site: { code: r.site_code, name: r.site_name },
    trust: { code: r.trust_code, name: r.trust_name },
    service: { code: r.service_code },
    assignee:
      r.assignee_id === null
        ? null
        : { id: r.assignee_id, name: r.assignee_name ?? '', email: r.assignee_email ?? '' },
  };
}

/** Reads incidents for a caller, always through IncidentScope; each with the participants' blocks. */
@Injectable()
export class IncidentQueries {
  constructor(
    @InjectRepository(Incident) private readonly incidents: Repository<Incident>,
    @InjectRepository(IncidentEvent) private readonly events: Repository<IncidentEvent>,
    private readonly scope: IncidentScope,
    private readonly participants: IncidentParticipants,
  ) {}

  /** The incident behind a reference if the caller may see it; otherwise INCIDENT.NOT_FOUND. */
  async findVisible(reference: string, user: AuthUser): Promise<Incident> {
    const number = parseReference(reference);
    const incident =
      number === null
        ? null
        : await this.withRelations(this.scope.apply(this.incidents.createQueryBuilder('i'), 'i', user))
            .andWhere('i.number = :number', { number })
            .getOne();
    if (!incident)
      throw new IncidentDomainError('INCIDENT.NOT_FOUND', `No incident ${reference} that you can see.`);
    return incident;
  }

  async get(reference: string, user: AuthUser): Promise<IncidentView> {
    return this.withBlocks(await this.findVisible(reference, user));
  }

  /** The presented incident by id, for a service that has just changed it (no scope: the caller was checked). */
  async present(id: string): Promise<IncidentView> {
    return this.withBlocks(
      await this.withRelations(this.incidents.createQueryBuilder('i'))
        .where('i.id = :id', { id })
        .getOneOrFail(),
    );
  }

  async list(query: IncidentQueryDto, user: AuthUser): Promise<Page<IncidentView>> {
    const limit = query.limit ?? INCIDENT_PAGE_DEFAULT;
    const sort = SORTS[query.sort ?? '-reportedAt'];
    const qb = this.scope.apply(this.incidents.createQueryBuilder('i'), 'i', user);
    // Read raw, without entity hydration (for a page of 50 it took most of the request): the columns the API shows,
    // and each participant's data for its block (the SLA clock rows): one round trip for the page.
    qb.select([]);
    for (const [expr, alias] of LIST_COLUMNS) qb.addSelect(expr, alias);
    const views = this.participants.viewColumns('i');
    views.forEach((v, k) => qb.addSelect(v.sql, `view_${k}`));
    qb.innerJoin('i.site', 'site')
      .innerJoin('i.trust', 'trust')
      .innerJoin('i.service', 'service')
      .leftJoin('i.assignee', 'assignee');
    // Codes become ids in a sub-select (planned once, before the scan), so the (trust|site, reported_at) indexes
    // serve the filter; a condition on the joined row's code would scan every incident in date order.
    if (query.trust)
      qb.andWhere('i.trust_id = (SELECT tf.id FROM trust tf WHERE tf.code = :trust)', { trust: query.trust });
    if (query.site)
      qb.andWhere('i.site_id = (SELECT sf.id FROM site sf WHERE sf.code = :site)', { site: query.site });
    if (query.siteClass) qb.andWhere('i.site_class_code = :siteClass', { siteClass: query.siteClass });
    if (query.service)
      qb.andWhere('i.service_id = (SELECT vf.id FROM service vf WHERE vf.code = :service)', {
        service: query.service,
      });
    if (query.status?.length) qb.andWhere('i.status IN (:...statuses)', { statuses: query.status });
    if (query.priority?.length) qb.andWhere('i.priority IN (:...priorities)', { priorities: query.priority });
    if (query.channel) qb.andWhere('i.channel = :channel', { channel: query.channel });
    if (query.assignee === 'none') qb.andWhere('i.assignee_id IS NULL');
    else if (query.assignee)
      qb.andWhere('i.assignee_id = :assignee', {
        assignee: query.assignee === 'me' ? user.id : query.assignee,
      });
    if (query.q) this.search(qb, query.q.trim(), user);
    if (query.sla) {
      const { sql, params } = await this.participants.filter('sla')(query.sla, 'i');
      qb.andWhere(sql, params);
    }
    if (query.cursor) {
      const key = decodeCursor(query.cursor, Object.fromEntries(sort.columns.map((c) => [c.key, c.kind])));
      const cols = sort.columns.map((c) => c.expr).join(', ');
      const params = Object.fromEntries(sort.columns.map((c) => [`cur_${c.key}`, key[c.key]]));
      const placeholders = sort.columns.map((c) => `:cur_${c.key}`).join(', ');
      qb.andWhere(`(${cols}) ${sort.dir === 'ASC' ? '>' : '<'} (${placeholders})`, params);
    }
    for (const c of sort.columns) qb.addOrderBy(c.expr, sort.dir);
    // limit(), not take(): every join is many-to-one, so a plain LIMIT is exact and keeps one query.
    qb.limit(limit + 1);
    const raw = await qb.getRawMany<ListRow & Record<string, unknown>>();
    const page = raw.slice(0, limit);
    const blocks = await this.participants.blocks(
      views.map((_, k) => new Map(page.map((r) => [r.id, r[`view_${k}`]]))),
    );
    const rows = raw.map(fromListRow);
    return toPage(
      rows,
      limit,
      (i) => encodeCursor(Object.fromEntries(sort.columns.map((c) => [c.key, c.of(i)]))),
      (i) => presentIncident(i, blocks.get(i.id) ?? {}),
    );
  }

  async timeline(
    incident: Incident,
    user: AuthUser,
    limit: number,
    cursor?: string,
  ): Promise<Page<TimelineEntryDto>> {
    const after = cursor ? decodeCursor(cursor, { id: 'bigint' }).id : '0';
    const rows = await this.events
      .createQueryBuilder('e')
      .where('e.incidentId = :id', { id: incident.id })
      .andWhere({ kind: In(visibleEventKinds(user)) })
      .andWhere('e.id > :after', { after })
      .orderBy('e.id', 'ASC')
      .take(limit + 1)
      .getMany();
    return toPage(rows, limit, (e) => encodeCursor({ id: e.id }), presentEvent);
  }

  /** Public entries only, for the reporter's status page (SLA warnings and recalculations are the desk's business). */
  async publicTimeline(incidentId: string): Promise<TimelineEntryDto[]> {
    const rows = await this.events
      .createQueryBuilder('e')
      .where('e.incidentId = :incidentId', { incidentId })
      .andWhere("e.kind IN ('public_reply', 'system')")
      .andWhere("(e.eventType IS NULL OR e.eventType NOT LIKE 'sla\\_%')")
      .orderBy('e.id', 'ASC')
      .take(500)
      .getMany();
    return rows.map(presentEvent);
  }

  /** The incident with every participant's block (one query for their data). */
  private async withBlocks(incident: Incident): Promise<IncidentView> {
    const views = this.participants.viewColumns('i');
    if (views.length === 0) return presentIncident(incident, {});
    const [row] = await this.incidents.query<Record<string, unknown>[]>(
      `SELECT ${views.map((v, k) => `${v.sql} AS view_${k}`).join(', ')} FROM incident i WHERE i.id = $1`,
      [incident.id],
    );
    const blocks = await this.participants.blocks(
      views.map((_, k) => new Map([[incident.id, row[`view_${k}`]]])),
    );
    return presentIncident(incident, blocks.get(incident.id) ?? {});
  }

  private withRelations(qb: SelectQueryBuilder<Incident>): SelectQueryBuilder<Incident> {
    return qb
      .innerJoinAndSelect('i.site', 'site')
      .innerJoinAndSelect('i.trust', 'trust')
      .innerJoinAndSelect('i.service', 'service')
      .leftJoinAndSelect('i.assignee', 'assignee');
  }

  /**
   * A reference finds that incident; anything else is a full-text search over summary, description and timeline.
   * The stored vector holds every timeline text, internal notes included: it is the search of those who may read
   * notes. Anyone else matches the text they may read (summary, description, their visible entries), so a note's
   * words never find an incident for them, not even by their absence (`-word`). The stored vector narrows first
   * (through its index) when that cannot change the answer: a query without negation that matches the readable
   * text matches the whole text.
   */
  private search(qb: SelectQueryBuilder<Incident>, q: string, user: AuthUser): void {
    const number = parseReference(q);
    if (number !== null) {
      qb.andWhere('i.number = :qNumber', { qNumber: number });
      return;
    }
    const query = "websearch_to_tsquery('english', :q)";
    const kinds = visibleEventKinds(user);
    if (kinds.includes('internal_note')) {
      qb.andWhere(`i.search_vector @@ ${query}`, { q });
      return;
    }
    const readable = `to_tsvector('english', i.summary || ' ' || i.description || ' ' || coalesce((SELECT string_agg(se.body, ' ' ORDER BY se.id) FROM incident_event se WHERE se.incident_id = i.id AND se.body IS NOT NULL AND se.kind IN (:...qKinds)), ''))`;
    const negates = /(^|\s)-/.test(q);
    qb.andWhere(`${negates ? '' : `i.search_vector @@ ${query} AND `}${readable} @@ ${query}`, {
      q,
      qKinds: kinds,
    });
  }
}
