import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { EntityManager, In, Repository } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { decodeCursor, encodeCursor, toPage, type Page } from '../../common/http/pagination';
import type { Actor } from '../audit/actor';
import { AuditService, type AuditView } from '../audit/audit.service';
import { PasswordHasher } from '../auth/password-hasher';
import { SessionVersions } from '../auth/session-versions';
import { Supplier } from '../directory/supplier.entity';
import { Trust } from '../directory/trust.entity';
import type { CreateUserDto, UserDto } from './create-user.dto';
import {
  bindingProblems,
  leavesNoActiveAdmin,
  planUserChange,
  type FieldProblem,
  type UserPatch,
  type UserState,
} from './domain/user-change';
import { User } from './user.entity';

/** Held (per transaction) by every change to a user, so that two changes to the set of admins never interleave. */
const USER_CHANGES_LOCK = 'rosedesk:user-changes';

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Trust) private readonly trusts: Repository<Trust>,
    @InjectRepository(Supplier) private readonly suppliers: Repository<Supplier>,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionVersions,
    private readonly audit: AuditService,
  ) {}

  async create(dto: CreateUserDto, actor: Actor): Promise<UserDto> {
    const email = dto.email.trim().toLowerCase();
    const problems = bindingProblems(dto.role, dto.trustCode, dto.supplierCode);
    if (problems.length) throw validationFailed(problems);
    const trust = dto.trustCode ? await this.trusts.findOneBy({ code: dto.trustCode }) : null;
    if (dto.trustCode && !trust) throw unknown('trustCode', dto.trustCode);
    const supplier = dto.supplierCode ? await this.suppliers.findOneBy({ code: dto.supplierCode }) : null;
    if (dto.supplierCode && !supplier) throw unknown('supplierCode', dto.supplierCode);

    const passwordHash = await this.hasher.hash(dto.password);
    const created: UserState & { email: string } = {
      email,
      name: dto.name.trim(),
      role: dto.role,
      trustCode: trust?.code ?? null,
      supplierCode: supplier?.code ?? null,
      active: true,
    };
    const id = await this.users.manager.transaction(async (em) => {
      const inserted = await em
        .createQueryBuilder()
        .insert()
        .into(User)
        .values({
          email,
          name: created.name,
          role: dto.role,
          passwordHash,
          trustId: trust?.id ?? null,
          supplierId: supplier?.id ?? null,
        })
        .orIgnore()
        .returning('id')
        .execute();
      const row = (inserted.raw as { id: string }[])[0];
      if (!row)
        throw new DomainError('USER.EMAIL_TAKEN', `A user with email ${email} already exists.`, {
          field: 'email',
        });
      await this.audit.record(em, {
        entityType: 'user',
        entityId: row.id,
        action: 'user.created',
        actor,
        changes: (['email', 'name', 'role', 'trustCode', 'supplierCode'] as const).map((field) => ({
          field,
          old: null,
          new: created[field],
        })),
      });
      return row.id;
    });
    return this.get(id);
  }

  /**
   * An administrator's change to a user. A new role, trust, supplier or active flag ends every token the user
   * holds (in every process); the last active administrator cannot be disabled or given another role. Audited
   * with the old and new values; a change that changes nothing writes nothing.
   */
  async update(id: string, patch: UserPatch, actor: Actor): Promise<UserDto> {
    const endedSessions = await this.users.manager.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [USER_CHANGES_LOCK]);
      const user = await em.findOne(User, { where: { id }, relations: { trust: true, supplier: true } });
      if (!user) throw notFound();
      const current = stateOf(user);
      const plan = planUserChange(current, patch);
      if (plan.problems.length) throw validationFailed(plan.problems);
      if (plan.changed.length === 0) return false;
      const trustId = await this.bindingId(
        em,
        Trust,
        'trustCode',
        plan.next.trustCode,
        current.trustCode,
        user.trustId,
      );
      const supplierId = await this.bindingId(
        em,
        Supplier,
        'supplierCode',
        plan.next.supplierCode,
        current.supplierCode,
        user.supplierId,
      );
      if (leavesNoActiveAdmin(current, plan.next, await this.otherActiveAdmins(em, id))) {
        throw new DomainError(
          'USER.LAST_ADMIN',
          'This is the last active administrator: make another user an active admin first.',
        );
      }
      await em.update(User, id, {
        name: plan.next.name,
        role: plan.next.role,
        trustId,
        supplierId,
        active: plan.next.active,
      });
      if (plan.endsSessions) await this.sessions.endSessions(em, id);
      await this.audit.record(em, {
        entityType: 'user',
        entityId: id,
        action: 'user.updated',
        actor,
        changes: plan.changed.map((field) => ({ field, old: current[field], new: plan.next[field] })),
      });
      return plan.endsSessions;
    });
    if (endedSessions) {
      this.sessions.forget(id);
      this.logger.log({ userId: id }, 'User changed; their sessions ended');
    }
    return this.get(id);
  }

  /** Ends every token the user holds, in every process; they may sign in again. */
  async revokeSessions(id: string, actor: Actor): Promise<void> {
    await this.users.manager.transaction(async (em) => {
      if (!(await this.sessions.endSessions(em, id))) throw notFound();
      await this.audit.record(em, {
        entityType: 'user',
        entityId: id,
        action: 'user.sessions_revoked',
        actor,
        changes: [],
      });
    });
    this.sessions.forget(id);
    this.logger.log({ userId: id }, 'Sessions revoked');
  }

  async auditTrail(id: string, limit: number, cursor?: string): Promise<Page<AuditView>> {
    if (!(await this.users.existsBy({ id }))) throw notFound();
    return this.audit.list('user', id, limit, cursor);
  }

  async get(id: string): Promise<UserDto> {
    const user = await this.users.findOne({ where: { id }, relations: { trust: true, supplier: true } });
    if (!user) throw notFound();
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

  /** Active desk staff (agent, desk manager, admin), by name: who an incident can be assigned to. */
  async deskUsers(): Promise<{ id: string; name: string; email: string }[]> {
    return this.users.find({
      select: { id: true, name: true, email: true },
      where: { active: true, role: In(['agent', 'desk_manager', 'admin']) },
      order: { name: 'ASC', email: 'ASC' },
    });
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

  /** The id a trust or supplier code names: unchanged codes keep their id, a new code must exist (422). */
  private async bindingId(
    em: EntityManager,
    entity: typeof Trust | typeof Supplier,
    field: 'trustCode' | 'supplierCode',
    code: string | null,
    currentCode: string | null,
    currentId: string | null,
  ): Promise<string | null> {
    if (code === null) return null;
    if (code === currentCode) return currentId;
    const found = await em.findOneBy<Trust | Supplier>(entity, { code });
    if (!found) throw unknown(field, code);
    return found.id;
  }

  private async otherActiveAdmins(em: EntityManager, id: string): Promise<number> {
    const [{ count }] = await em.query<{ count: number }[]>(
      "SELECT count(*)::int AS count FROM app_user WHERE role = 'admin' AND active AND id <> $1",
      [id],
    );
    return count;
  }
}

function stateOf(u: User): UserState {
  return {
    name: u.name,
    role: u.role,
    trustCode: u.trust?.code ?? null,
    supplierCode: u.supplier?.code ?? null,
    active: u.active,
  };
}

function notFound(): DomainError {
  return new DomainError('USER.NOT_FOUND', 'No such user.');
}

function validationFailed(problems: FieldProblem[]): DomainError {
  return new DomainError(
    'REQUEST.VALIDATION_FAILED',
    `Invalid request: ${problems.map((p) => `${p.field} (${p.reasons[0]})`).join(', ')}`,
    { fields: problems },
  );
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
