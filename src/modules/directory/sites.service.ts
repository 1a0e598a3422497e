import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../common/http/pagination';
import type { CreateSiteDto, SiteDto, SiteQueryDto, UpdateSiteDto } from './dto/site.dto';
import { codeTaken, notFound, unknownReference } from './directory-errors';
import { Site } from './site.entity';
import { Trust } from './trust.entity';

/** Sites are reference data (about 170 rows): lists default to one page of 500. */
export const SITE_PAGE_DEFAULT = 500;

@Injectable()
export class SitesService {
  constructor(
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
    return toPage(await qb.getMany(), limit, (s) => encodeCursor({ code: s.code }), siteDto);
  }

  async get(code: string): Promise<SiteDto> {
    const site = await this.sites.findOne({ where: { code }, relations: { trust: true } });
    if (!site) throw notFound('site', code);
    return siteDto(site);
  }

  async create(dto: CreateSiteDto): Promise<SiteDto> {
    const trust = await this.trusts.findOneBy({ code: dto.trustCode });
    if (!trust) throw unknownReference('trustCode', dto.trustCode);
    const result = await this.sites
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
    if ((result.raw as unknown[]).length === 0) throw codeTaken('site (code or name)', dto.code);
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
    await this.sites.save(site);
    return this.get(code);
  }
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export const siteDto = (s: Site): SiteDto => ({
  code: s.code,
  name: s.name,
  class: s.classCode,
  trust: { code: s.trust?.code ?? '', name: s.trust?.name ?? '' },
  town: s.town,
  accessNotes: s.accessNotes,
  active: s.active,
});
