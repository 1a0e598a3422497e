import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../common/http/pagination';
import { PasswordHasher } from '../auth/password-hasher';
import { Supplier } from '../directory/supplier.entity';
import { Trust } from '../directory/trust.entity';
import type { CreateUserDto, UserDto } from './create-user.dto';
import { User } from './user.entity';

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Trust) private readonly trusts: Repository<Trust>,
    @InjectRepository(Supplier) private readonly suppliers: Repository<Supplier>,
    private readonly hasher: PasswordHasher,
  ) {}

  async create(dto: CreateUserDto): Promise<UserDto> {
    const email = dto.email.trim().toLowerCase();
    const problems: { field: string; reasons: string[] }[] = [];
    if (dto.role === 'trust_manager' && !dto.trustCode)
      problems.push({ field: 'trustCode', reasons: ['required for a trust_manager'] });
    if (dto.role !== 'trust_manager' && dto.trustCode)
      problems.push({ field: 'trustCode', reasons: ['only a trust_manager is bound to a trust'] });
    if (dto.role === 'supplier' && !dto.supplierCode)
      problems.push({ field: 'supplierCode', reasons: ['required for a supplier user'] });
    if (dto.role !== 'supplier' && dto.supplierCode)
      problems.push({ field: 'supplierCode', reasons: ['only a supplier user is bound to a supplier'] });
    if (problems.length) {
      throw new DomainError(
        'REQUEST.VALIDATION_FAILED',
        `Invalid request: ${problems.map((p) => `${p.field} (${p.reasons[0]})`).join(', ')}`,
        { fields: problems },
      );
    }
    const trust = dto.trustCode ? await this.trusts.findOneBy({ code: dto.trustCode }) : null;
    if (dto.trustCode && !trust) throw unknown('trustCode', dto.trustCode);
    const supplier = dto.supplierCode ? await this.suppliers.findOneBy({ code: dto.supplierCode }) : null;
    if (dto.supplierCode && !supplier) throw unknown('supplierCode', dto.supplierCode);

    const passwordHash = await this.hasher.hash(dto.password);
    const inserted = await this.users
      .createQueryBuilder()
      .insert()
      .values({
        email,
        name: dto.name.trim(),
        role: dto.role,
        passwordHash,
        trustId: trust?.id ?? null,
        supplierId: supplier?.id ?? null,
      })
      .orIgnore()
      .returning('id')
      .execute();
    if ((inserted.raw as unknown[]).length === 0)
      throw new DomainError('USER.EMAIL_TAKEN', `A user with email ${email} already exists.`, {
        field: 'email',
      });
    return this.get((inserted.raw as { id: string }[])[0].id);
  }

  async get(id: string): Promise<UserDto> {
    const user = await this.users.findOne({ where: { id }, relations: { trust: true, supplier: true } });
    if (!user) throw new DomainError('USER.NOT_FOUND', 'No such user.');
    return toDto(user);
  }

  async list(limit = 100, cursor?: string): Promise<Page<UserDto>> {
    const qb = this.users
      .createQueryBuilder('u')
      .leftJoinAndSelect('u.trust', 't')
      .leftJoinAndSelect('u.supplier', 's')
      .orderBy('u.email', 'ASC')
      .take(limit + 1);
    if (cursor) qb.where('u.email > :after', { after: decodeCursor(cursor, { email: 'text' }).email });
    const rows = await qb.getMany();
    return toPage(rows, limit, (u) => encodeCursor({ email: u.email }), toDto);
  }

  /**
   * First start: make sure there is an administrator. With ADMIN_PASSWORD unset a password is generated and
   * printed once; it is never stored in clear or printed again.
   */
  async ensureAdmin(email: string, password: string | undefined): Promise<void> {
    if (await this.users.existsBy({ role: 'admin' })) return;
    const chosen = password ?? randomBytes(18).toString('base64url');
    await this.users
      .createQueryBuilder()
      .insert()
      .values({
        email: email.toLowerCase(),
        name: 'Administrator',
        role: 'admin',
        passwordHash: await this.hasher.hash(chosen),
      })
      .orIgnore()
      .execute();
    this.logger.log({ email }, 'Created the first administrator');
    if (!password) {
      process.stdout.write(
        `\n  RoseDesk created the administrator ${email} with the password: ${chosen}\n` +
          '  It is shown only this once. Set ADMIN_PASSWORD to choose your own on a fresh database.\n\n',
      );
    }
  }
}

function unknown(field: string, value: string): DomainError {
  return new DomainError(
    'DIRECTORY.UNKNOWN_REFERENCE',
    `${field}: no ${field.replace('Code', '')} with code ${JSON.stringify(value)}`,
    { field },
  );
}

function toDto(u: User): UserDto {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    trustCode: u.trust?.code ?? null,
    supplierCode: u.supplier?.code ?? null,
    active: u.active,
  };
}
