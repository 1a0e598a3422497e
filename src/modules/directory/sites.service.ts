import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, Repository, type EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../common/http/pagination';
import type { CreateSiteDto, SiteDto, SiteQueryDto, UpdateSiteDto } from './dto/site.dto';
import { codeTaken, notFound, phoneNumberTaken, unknownReference } from './directory-errors';
import type { SiteClassCode } from './site-class.entity';
import { Site } from './site.entity';
import { Trust } from './trust.entity';

/** A site as the phone menu needs it: what to say, and whether it is open round the clock (its class's calendar). */
export interface SiteSummary {
  id: string;
  code: string;
  name: string;
  classCode: SiteClassCode;
  calendarCode: string;
}

const SUMMARY = `s.id, s.code, s.name, s.class_code AS "classCode", sc.calendar_code AS "calendarCode"
  FROM site s JOIN site_class sc ON sc.code = s.class_code`;

/** Sites are reference data (about 170 rows): lists default to one page of 500. */
export const SITE_PAGE_DEFAULT = 500;

@Injectable()
export class SitesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(Site) private readonly sites: Repository<Site>,
    @InjectRepository(Trust) private readonly trusts: Repository<Trust>,
  ) {}

  async list(query: SiteQueryDto): Promise<Page<SiteDto>> {
    const limit = query.limit ?? SITE_PAGE_DEFAULT;
    const qb = this.sites
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.trust', 't')
      .orderBy('s.code', 'ASC')
      .take(limit + 1);
    if (query.trust) qb.andWhere('t.code = :trust', { trust: query.trust });
    if (query.class) qb.andWhere('s.classCode = :cls', { cls: query.class });
    if (query.q) {
      const q = query.q.trim();
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('s.name ILIKE :like', { like: `%${escapeLike(q)}%` })
            .orWhere('s.town ILIKE :like')
            .orWhere('s.code LIKE :prefix', { prefix: `${escapeLike(q)}%` }),
        ),
      );
    }
    if (query.cursor)
      qb.andWhere('s.code > :after', { after: decodeCursor(query.cursor, { code: 'text' }).code });
    const found = await qb.getMany();
    const lines = await this.phoneNumbersOf(found.slice(0, limit).map((site) => site.id));
    return toPage(
      found,
      limit,
      (s) => encodeCursor({ code: s.code }),
      (s) => siteDto(s, lines.get(s.id) ?? []),
    );
  }

  async get(code: string): Promise<SiteDto> {
    const site = await this.sites.findOne({ where: { code }, relations: { trust: true } });
    if (!site) throw notFound('site', code);
    return siteDto(site, (await this.phoneNumbersOf([site.id])).get(site.id) ?? []);
  }

  /** The active site whose own phone lines include this E.164 number. */
  async findByPhoneNumber(phoneNumber: string): Promise<SiteSummary | null> {
    const rows = await this.db.query<SiteSummary[]>(
      `SELECT ${SUMMARY} JOIN site_phone_number p ON p.site_id = s.id WHERE p.phone_number = $1 AND s.active`,
      [phoneNumber],
    );
    return rows[0] ?? null;
  }

  /** The active site with this code (as a caller keys it), or null. */
  async findSummaryByCode(code: string): Promise<SiteSummary | null> {
    const rows = await this.db.query<SiteSummary[]>(`SELECT ${SUMMARY} WHERE s.code = $1 AND s.active`, [
      code,
    ]);
    return rows[0] ?? null;
  }

  /** Active sites by id (a contact's usual site), in no particular order. */
  async findSummariesByIds(ids: readonly string[]): Promise<SiteSummary[]> {
    if (ids.length === 0) return [];
    return this.db.query<SiteSummary[]>(`SELECT ${SUMMARY} WHERE s.id = ANY($1::uuid[]) AND s.active`, [ids]);
  }

  async create(dto: CreateSiteDto): Promise<SiteDto> {
    const trust = await this.trusts.findOneBy({ code: dto.trustCode });
    if (!trust) throw unknownReference('trustCode', dto.trustCode);
    await this.db.transaction(async (em) => {
      const result = await em
        .getRepository(Site)
        .createQueryBuilder()
        .insert()
        .values({
          code: dto.code,
          name: dto.name.trim(),
          classCode: dto.class,
          trustId: trust.id,
          town: dto.town ?? null,
          accessNotes: dto.accessNotes ?? null,
          active: dto.active ?? true,
        })
        .orIgnore()
        .returning('id')
        .execute();
      const rows = result.raw as { id: string }[];
      if (rows.length === 0) throw codeTaken('site (code or name)', dto.code);
      await this.replacePhoneNumbers(em, rows[0].id, dto.phoneNumbers ?? []);
    });
    return this.get(dto.code);
  }

  async update(code: string, dto: UpdateSiteDto): Promise<SiteDto> {
    const site = await this.sites.findOneBy({ code });
    if (!site) throw notFound('site', code);
    if (dto.trustCode !== undefined) {
      const trust = await this.trusts.findOneBy({ code: dto.trustCode });
      if (!trust) throw unknownReference('trustCode', dto.trustCode);
      site.trustId = trust.id;
    }
    if (dto.class !== undefined) site.classCode = dto.class;
    if (dto.name !== undefined) site.name = dto.name.trim();
    if (dto.town !== undefined) site.town = dto.town;
    if (dto.accessNotes !== undefined) site.accessNotes = dto.accessNotes;
    if (dto.active !== undefined) site.active = dto.active;
    await this.db.transaction(async (em) => {
      await em.getRepository(Site).save(site);
      if (dto.phoneNumbers !== undefined) await this.replacePhoneNumbers(em, site.id, dto.phoneNumbers);
    });
    return this.get(code);
  }

  /** Each site's own phone lines, sorted. */
  private async phoneNumbersOf(siteIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (siteIds.length === 0) return out;
    const rows = await this.db.query<{ site_id: string; phone_number: string }[]>(
      'SELECT site_id, phone_number FROM site_phone_number WHERE site_id = ANY($1::uuid[]) ORDER BY phone_number',
      [siteIds],
    );
    for (const r of rows) out.set(r.site_id, [...(out.get(r.site_id) ?? []), r.phone_number]);
    return out;
  }

  /**
   * The site's lines become exactly `numbers`; a number another site holds is a 409 naming that site, and then
   * nothing of the change is saved (the caller's transaction rolls back).
   */
  private async replacePhoneNumbers(
    em: EntityManager,
    siteId: string,
    numbers: readonly string[],
  ): Promise<void> {
    await em.query(
      'DELETE FROM site_phone_number WHERE site_id = $1 AND NOT (phone_number = ANY($2::varchar[]))',
      [siteId, numbers],
    );
    if (numbers.length === 0) return;
    await em.query(
      'INSERT INTO site_phone_number (phone_number, site_id) SELECT n, $1 FROM unnest($2::varchar[]) AS n ON CONFLICT DO NOTHING',
      [siteId, numbers],
    );
    const taken = await em.query<{ phone_number: string; code: string }[]>(
      `SELECT p.phone_number, s.code FROM site_phone_number p JOIN site s ON s.id = p.site_id
        WHERE p.phone_number = ANY($2::varchar[]) AND p.site_id <> $1 ORDER BY p.phone_number LIMIT 1`,
      [siteId, numbers],
    );
    if (taken[0]) throw phoneNumberTaken(taken[0].phone_number, taken[0].code);
  }
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export const siteDto = (s: Site, phoneNumbers: string[] = []): SiteDto => ({
  code: s.code,
  name: s.name,
  class: s.classCode,
  trust: { code: s.trust?.code ?? '', name: s.trust?.name ?? '' },
  town: s.town,
  accessNotes: s.accessNotes,
  active: s.active,
  phoneNumbers,
});
