import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import type { AuthUser } from '../auth/auth-user';
import { isDeskStaff } from '../users/domain/roles';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../common/http/pagination';
import { Contact } from './contact.entity';
import type { ContactDto, ContactQueryDto, CreateContactDto, UpdateContactDto } from './dto/contact.dto';
import { unknownReference } from './directory-errors';
import { Site } from './site.entity';
import { escapeLike } from './sites.service';
import { Trust } from './trust.entity';

@Injectable()
export class ContactsService {
  constructor(
    @InjectRepository(Contact) private readonly contacts: Repository<Contact>,
    @InjectRepository(Trust) private readonly trusts: Repository<Trust>,
    @InjectRepository(Site) private readonly sites: Repository<Site>,
  ) {}

  async list(query: ContactQueryDto): Promise<Page<ContactDto>> {
    const limit = query.limit ?? 100;
    const qb = this.contacts
      .createQueryBuilder('c')
      .leftJoinAndSelect('c.trust', 't')
      .leftJoinAndSelect('c.usualSite', 's')
      .orderBy('c.name', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .take(limit + 1);
    if (query.q) {
      const like = `%${escapeLike(query.q.trim())}%`;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('c.name ILIKE :like', { like })
            .orWhere('c.email ILIKE :like')
            .orWhere('c.phone LIKE :like'),
        ),
      );
    }
    if (query.cursor) {
      const after = decodeCursor(query.cursor, { name: 'text', id: 'uuid' });
      qb.andWhere('(c.name, c.id) > (:name, :id)', { name: after.name, id: after.id });
    }
    return toPage(await qb.getMany(), limit, (c) => encodeCursor({ name: c.name, id: c.id }), contactDto);
  }

  /**
   * Contacts an agent taking a call may mean, by part of their name or email, or by their phone number typed as
   * people say it (`01772 123456`, `+44 1772 123456`), with their usual site: at most `limit`, by name. Contacts
   * are personal data: desk staff only (AUTH.FORBIDDEN for anyone else).
   */
  async findCallers(user: AuthUser, q: string, limit = 10): Promise<CallerMatch[]> {
    if (!isDeskStaff(user)) throw new DomainError('AUTH.FORBIDDEN', 'Contacts are for the desk only.');
    const text = q.trim().slice(0, 100);
    if (text.length < 2) return [];
    const like = `%${escapeLike(text)}%`;
    const digits = nationalDigits(text);
    const rows = await this.contacts
      .createQueryBuilder('c')
      .leftJoinAndSelect('c.trust', 't')
      .leftJoinAndSelect('c.usualSite', 's')
      .where(
        new Brackets((w) => {
          w.where('c.name ILIKE :like', { like }).orWhere('c.email ILIKE :like');
          if (digits) w.orWhere('c.phone LIKE :phone', { phone: `%${digits}%` });
        }),
      )
      .orderBy('c.name', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .take(limit)
      .getMany();
    return rows.map((c) => ({
      ...contactDto(c),
      usualSite: c.usualSite ? { code: c.usualSite.code, name: c.usualSite.name } : null,
    }));
  }

  /** Contacts with this E.164 phone number (at most `limit`, verified first, then the most recently changed). */
  async findByPhone(
    phone: string,
    limit = 5,
  ): Promise<{ id: string; name: string; usualSiteId: string | null }[]> {
    // Raw: every call and text to the desk asks it (the query builder's find cost more CPU than the query).
    return this.contacts.query(
      `SELECT id, name, usual_site_id AS "usualSiteId" FROM contact WHERE phone = $1
       ORDER BY verified DESC, updated_at DESC LIMIT $2`,
      [phone, limit],
    );
  }

  async get(id: string): Promise<ContactDto> {
    const contact = await this.contacts.findOne({
      where: { id },
      relations: { trust: true, usualSite: true },
    });
    if (!contact) throw new DomainError('DIRECTORY.NOT_FOUND', 'No such contact.');
    return contactDto(contact);
  }

  async create(dto: CreateContactDto): Promise<ContactDto> {
    const refs = await this.resolveRefs(dto);
    const result = await this.contacts
      .createQueryBuilder()
      .insert()
      .values({
        name: dto.name.trim(),
        email: dto.email?.trim().toLowerCase() ?? null,
        phone: dto.phone ?? null,
        verified: dto.verified ?? true,
        ...refs,
      })
      .orIgnore()
      .returning('id')
      .execute();
    const rows = result.raw as { id: string }[];
    if (rows.length === 0)
      throw new DomainError('DIRECTORY.CODE_TAKEN', `A contact with email ${dto.email} already exists.`, {
        field: 'email',
      });
    return this.get(rows[0].id);
  }

  async update(id: string, dto: UpdateContactDto): Promise<ContactDto> {
    const contact = await this.contacts.findOneBy({ id });
    if (!contact) throw new DomainError('DIRECTORY.NOT_FOUND', 'No such contact.');
    Object.assign(contact, await this.resolveRefs(dto));
    if (dto.name !== undefined) contact.name = dto.name.trim();
    if (dto.email !== undefined) contact.email = dto.email.trim().toLowerCase();
    if (dto.phone !== undefined) contact.phone = dto.phone;
    if (dto.verified !== undefined) contact.verified = dto.verified;
    await this.contacts.save(contact);
    return this.get(id);
  }

  private async resolveRefs(
    dto: UpdateContactDto,
  ): Promise<Partial<Pick<Contact, 'trustId' | 'usualSiteId'>>> {
    const refs: Partial<Pick<Contact, 'trustId' | 'usualSiteId'>> = {};
    if (dto.trustCode !== undefined) {
      const trust = await this.trusts.findOneBy({ code: dto.trustCode });
      if (!trust) throw unknownReference('trustCode', dto.trustCode);
      refs.trustId = trust.id;
    }
    if (dto.usualSiteCode !== undefined) {
      const site = await this.sites.findOneBy({ code: dto.usualSiteCode });
      if (!site) throw unknownReference('usualSiteCode', dto.usualSiteCode);
      refs.usualSiteId = site.id;
      refs.trustId ??= site.trustId;
    }
    return refs;
  }
}

/** A contact found for a call, with the site they usually call from. */
export type CallerMatch = ContactDto & { usualSite: { code: string; name: string } | null };

/**
 * The digits of a phone number as stored after the country code (E.164 `+441772123456` holds `1772123456`): a
 * national `01772 …` or international `+44 1772 …` / `0044 …` typed number gives `1772…`. Null when the text is
 * not a number (fewer than 4 digits, or letters).
 */
export function nationalDigits(text: string): string | null {
  if (!/^[+\d\s().-]+$/.test(text)) return null;
  const digits = text.replace(/\D/g, '');
  const national = digits.replace(/^(?:0044|44|0)/, '');
  return national.length >= 4 ? national : null;
}

const contactDto = (c: Contact): ContactDto => ({
  id: c.id,
  name: c.name,
  email: c.email,
  phone: c.phone,
  trustCode: c.trust?.code ?? null,
  usualSiteCode: c.usualSite?.code ?? null,
  verified: c.verified,
});
