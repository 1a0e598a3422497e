import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { runPrepared } from '../../database/prepared-statement';
import { decodeCursor, encodeCursor, toPage, type CursorKind, type Page } from '../../common/http/pagination';
import type { AuthUser } from '../auth/auth-user';
import { IncidentDomainError } from './domain/incident-errors';
import { parseReference } from './domain/incident-reference';
import type { IncidentView, TimelineEntryDto } from './dto/incident.dto';
import type { IncidentQueryDto, IncidentSort } from './dto/incident-query.dto';
import { isDeskStaff } from '../users/domain/roles';
import { IncidentScope, visibleEventKinds } from './incident-access';
import { IncidentEvent } from './incident-event.entity';
import { Incident } from './incident.entity';
import { presentEvent, presentIncident, type PresentableIncident } from './incident.presenter';
import { IncidentParticipants } from './participants/incident-participants';

export const INCIDENT_PAGE_DEFAULT = 50;

type SortColumn = {
  expr: string;
  key: string;
  kind: CursorKind;
  of: (i: PresentableIncident, raw: ListRow) => string;
};
type SortSpec = {
  columns: SortColumn[];
  dir: 'ASC' | 'DESC';
  /** A participant's table the key is read from (one row per incident). */
  join?: { table: string; alias: string; on: string };
};

/** Keyset pagination: every key of a sort runs the same direction, so one row comparison pages it. */
const SORTS: Record<Exclude<IncidentSort, ParticipantSort>, SortSpec> = {
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

/** Sorts a participant owns (IncidentParticipant.listSorts): `sla`, the SLA engine's urgency. */
const PARTICIPANT_SORTS = ['sla'] as const;
type ParticipantSort = (typeof PARTICIPANT_SORTS)[number];
const isParticipantSort = (s: IncidentSort): s is ParticipantSort =>
  (PARTICIPANT_SORTS as readonly string[]).includes(s);

/** Filters a participant owns, by its parameter name and value (the console's queues use them). */
export type ParticipantFilters = Readonly<Record<string, string>>;

/**
 * Where each field of PresentableIncident comes from, in the list's query: an exhaustive Record, so the incident's
 * shape is stated once (PresentableIncident) and this cannot miss a field. Each column is read under its field's
 * name; the nested objects (site, trust, service, assignee) under `object.field`.
 */
type FlatField = Exclude<keyof PresentableIncident, 'site' | 'trust' | 'service' | 'assignee'>;
const FLAT_COLUMNS: Record<FlatField, string> = {
  id: 'i.id',
  number: 'i.number',
  status: 'i.status',
  priority: 'i.priority',
  impact: 'i.impact',
  urgency: 'i.urgency',
  channel: 'i.channel',
  reportedAt: 'i.reported_at',
  siteClassCode: 'i.site_class_code',
  summary: 'i.summary',
  description: 'i.description',
  reporterName: 'i.reporter_name',
  reporterEmail: 'i.reporter_email',
  reporterPhone: 'i.reporter_phone',
  priorityOverridden: 'i.priority_overridden',
  priorityReason: 'i.priority_reason',
  resolutionCode: 'i.resolution_code',
  resolutionNotes: 'i.resolution_notes',
  resolvedAt: 'i.resolved_at',
  closedAt: 'i.closed_at',
  createdAt: 'i.created_at',
  updatedAt: 'i.updated_at',
};
const NESTED_COLUMNS = [
  'site.code',
  'site.name',
  'trust.code',
  'trust.name',
  'service.code',
  'assignee.id',
  'assignee.name',
  'assignee.email',
] as const;

/** The list's columns: [expression, alias]. */
const LIST_COLUMNS: readonly (readonly [string, string])[] = [
  ...Object.entries(FLAT_COLUMNS).map(([field, expr]) => [expr, field] as const),
  ...NESTED_COLUMNS.map((column) => [column, column] as const),
];

type ListRow = Record<string, unknown> & { id: string };

function fromListRow(r: ListRow): PresentableIncident {
  const flat = Object.fromEntries(Object.keys(FLAT_COLUMNS).map((f) => [f, r[f]])) as Pick<
    PresentableIncident,
    FlatField
  >;
  const text = (column: (typeof NESTED_COLUMNS)[number]): string => (r[column] as string | null) ?? '';
  return {
    ...flat,
    site: { code: text('site.code'), name: text('site.name') },
    trust: { code: text('trust.code'), name: text('trust.name') },
    service: { code: text('service.code') },
    assignee:
      r['assignee.id'] === null
        ? null
        : { id: text('assignee.id'), name: text('assignee.name'), email: text('assignee.email') },
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

  /** An incident findVisible returned, presented (without reading it again). */
  async presentFound(incident: Incident): Promise<IncidentView> {
    return this.withBlocks(incident);
  }

  /** The presented incident by id, for a service that has just changed it (no scope: the caller was checked). */
  async present(id: string): Promise<IncidentView> {
    return this.withBlocks(
      await this.withRelations(this.incidents.createQueryBuilder('i'))
        .where('i.id = :id', { id })
        .getOneOrFail(),
    );
  }

  async list(
    query: IncidentQueryDto,
    user: AuthUser,
    filters: ParticipantFilters = {},
  ): Promise<Page<IncidentView>> {
    const limit = query.limit ?? INCIDENT_PAGE_DEFAULT;
    const sort = this.sortSpec(query.sort ?? '-reportedAt');
    const qb = await this.filtered(query, user, filters);
    if (sort.join) qb.innerJoin(sort.join.table, sort.join.alias, sort.join.on);
    // Read raw, without entity hydration (for a page of 50 it took most of the request): the columns the API shows,
    // and each participant's data for its block (the SLA clock rows): one round trip for the page.
    qb.select([]);
    for (const [expr, alias] of LIST_COLUMNS) qb.addSelect(expr, alias);
    sort.columns.forEach((c, k) => qb.addSelect(c.expr, `sort_${k}`));
    const views = this.participants.viewColumns('i');
    views.forEach((v, k) => qb.addSelect(v.sql, `view_${k}`));
    qb.innerJoin('i.site', 'site')
      .innerJoin('i.trust', 'trust')
      .innerJoin('i.service', 'service')
      .leftJoin('i.assignee', 'assignee');
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
    // A named statement per shape of the query: planning this many joins cost more than running it (16 ms to
    // 2 ms for a page of All open over 1,000,000 incidents), and a console asks for the same lists all day.
    const raw = await this.runNamed<ListRow>('incident_list', qb.getQueryAndParameters());
    const page = raw.slice(0, limit);
    const blocks = await this.participants.blocks(
      views.map((_, k) => new Map(page.map((r) => [r.id, r[`view_${k}`]]))),
    );
    const rows = raw.map((r) => ({ raw: r, incident: fromListRow(r) }));
    return toPage(
      rows,
      limit,
      ({ raw: r, incident: i }) =>
        encodeCursor(
          Object.fromEntries(
            sort.columns.map((c, k) => [c.key, c.of(i, { ...r, sortValue: r[`sort_${k}`] })]),
          ),
        ),
      ({ incident: i }) => presentIncident(i, blocks.get(i.id) ?? {}),
    );
  }

  /**
   * How many incidents each list would hold (each in the caller's scope; sort, cursor and limit ignored), counting
   * no further than `upTo + 1`: a count of a big queue reads only so many rows instead of every one.
   */
  async count(
    lists: readonly { query: IncidentQueryDto; filters?: ParticipantFilters }[],
    user: AuthUser,
    upTo: number,
  ): Promise<number[]> {
    const filtered = await Promise.all(
      lists.map(({ query, filters }) => this.filtered(query, user, filters ?? {})),
    );
    // Every list's capped count in one statement (one round trip, one plan kept by name): each list's numbered
    // parameters ($1...) moved past the previous lists'.
    const values: unknown[] = [];
    const counts = filtered.map((qb, k) => {
      const [sql, params] = qb
        .select('1')
        .limit(upTo + 1)
        .getQueryAndParameters();
      const offset = values.length;
      values.push(...(params as unknown[]));
      const moved = sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
      return `(SELECT count(*)::int FROM (${moved}) AS capped) AS n${k}`;
    });
    const [row] = await this.runNamed<Record<string, number>>('incident_counts', [
      `SELECT ${counts.join(', ')}`,
      values,
    ]);
    return filtered.map((_, k) => row[`n${k}`]);
  }

  /** Runs a query as a named statement (see runPrepared), named by its text. */
  private runNamed<R>(prefix: string, [text, params]: [string, unknown[]]): Promise<R[]> {
    const name = `${prefix}_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    return runPrepared<R>(this.incidents.manager.connection, null, { name, text }, params);
  }

  /** The incidents the caller may see that match the list's filters (no columns, order or page yet). */
  private async filtered(
    query: IncidentQueryDto,
    user: AuthUser,
    filters: ParticipantFilters,
  ): Promise<SelectQueryBuilder<Incident>> {
    const qb = this.scope.apply(this.incidents.createQueryBuilder('i'), 'i', user);
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
    if (query.status?.length) qb.andWhere('i.status = ANY(:statuses)', { statuses: query.status });
    if (query.priority?.length) qb.andWhere('i.priority = ANY(:priorities)', { priorities: query.priority });
    if (query.channel) qb.andWhere('i.channel = :channel', { channel: query.channel });
    if (query.assignee === 'none') qb.andWhere('i.assignee_id IS NULL');
    else if (query.assignee)
      qb.andWhere('i.assignee_id = :assignee', {
        assignee: query.assignee === 'me' ? user.id : query.assignee,
      });
    if (query.q) this.search(qb, query.q.trim(), user);
    const owned = { ...filters, ...(query.sla ? { sla: query.sla } : {}) };
    for (const [parameter, value] of Object.entries(owned)) {
      const { sql, params } = await this.participants.filter(parameter)(value, 'i');
      qb.andWhere(sql, params);
    }
    return qb;
  }

  /** A built-in sort, or one a participant owns (its key ascending, then the id). */
  private sortSpec(name: IncidentSort): SortSpec {
    if (!isParticipantSort(name)) return SORTS[name];
    const sort = this.participants.sort(name);
    const join = sort.join;
    // With a joined table, its own incident column ends the key: the row comparison of the keyset page and the
    // order then match its (key, incident id) index.
    const id = join ? `${join.alias}.${join.incidentColumn}` : 'i.id';
    return {
      dir: 'ASC',
      columns: [
        {
          expr: sort.key('i'),
          key: 'k',
          kind: 'timestamp',
          of: (_, r) => new Date(r.sortValue as string).toISOString(),
        },
        { expr: id, key: 'id', kind: 'uuid', of: (i) => i.id },
      ],
      join: join && { table: join.table, alias: join.alias, on: `${id} = i.id` },
    };
  }

  /**
   * The timeline the caller may see, a page at a time, oldest first. With `em`, read in that transaction (a check
   * on a locked incident sees what committed before the lock).
   */
  async timeline(
    incident: Pick<Incident, 'id'>,
    user: AuthUser,
    limit: number,
    cursor?: string,
    em?: EntityManager,
  ): Promise<Page<TimelineEntryDto>> {
    const after = cursor ? decodeCursor(cursor, { id: 'bigint' }).id : '0';
    const rows = await (em ? em.getRepository(IncidentEvent) : this.events)
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
   * A reference finds that incident; anything else is a full-text search over summary, description and the
   * timeline texts the caller may read (internal notes only for the desk): what a role may search is what it may read.
   */
  private search(qb: SelectQueryBuilder<Incident>, q: string, user: AuthUser): void {
    const number = parseReference(q);
    if (number !== null) {
      qb.andWhere('i.number = :qNumber', { qNumber: number });
      return;
    }
    const vector = isDeskStaff(user) ? 'i.search_vector' : 'i.public_search_vector';
    qb.andWhere(`${vector} @@ websearch_to_tsquery('english', :q)`, { q });
  }
}
