import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { User } from '../users/user.entity';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from './auth-user';
import { LoginThrottle } from './login-throttle';
import { SessionVersions } from './session-versions';
import { PasswordHasher } from './password-hasher';

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionVersions,
    private readonly audit: AuditService,
  ) {}

  /** The API's sign-in: an access token for the active user behind an email and password. */
  async login(
    email: string,
    password: string,
    clientAddress: string,
  ): Promise<{ accessToken: string; expiresAt: string }> {
    const user = await this.verifyCredentials(email, password, clientAddress);
    const ttlSeconds = this.config.env.ACCESS_TOKEN_TTL_MINUTES * 60;
    const accessToken = await this.jwt.signAsync(
      {
        sub: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        trust: user.trustId,
        supplier: user.supplierId,
        ver: user.tokenVersion,
      },
      { expiresIn: ttlSeconds },
    );
    return { accessToken, expiresAt: new Date(this.clock.now().getTime() + ttlSeconds * 1000).toISOString() };
  }

  /**
   * The active user behind an email and password (the API's login and the console's sign-in). One answer for an
   * unknown account, a wrong password and a disabled account: nothing to enumerate. Failed attempts are throttled
   * per account and per client address (LoginThrottle) before the password is checked.
   */
  async verifyCredentials(email: string, password: string, clientAddress: string): Promise<User> {
    const ticket = await this.throttle.take(email, clientAddress);
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: email.trim().toLowerCase() })
      .getOne();
    const valid = await this.hasher.verify(user?.passwordHash ?? null, password);
    if (!user || !valid || !user.active) {
      throw new DomainError('AUTH.INVALID_CREDENTIALS', 'Email or password is wrong.');
    }
    await this.throttle.giveBack(ticket);
    return user;
  }

  /** Signs the caller out everywhere: every token they hold answers 401 from now on, in every process. */
  async logout(user: AuthUser): Promise<void> {
    await this.users.manager.transaction(async (em) => {
      await this.sessions.endSessions(em, user.id);
      await this.audit.record(em, {
        entityType: 'user',
        entityId: user.id,
        action: 'user.signed_out',
        actor: { kind: 'user', user, name: user.name },
        changes: [],
      });
    });
    this.sessions.forget(user.id);
  }
}
