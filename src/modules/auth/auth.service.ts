import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { User } from '../users/user.entity';
import { LoginThrottle } from './login-throttle';
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
  ) {}

  /**
   * One answer for an unknown account, a wrong password and a disabled account: nothing to enumerate. Failed
   * attempts are throttled per account and per client address (LoginThrottle) before the password is checked.
   */
  async login(
    email: string,
    password: string,
    clientAddress: string,
  ): Promise<{ accessToken: string; expiresAt: string }> {
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
    const ttlSeconds = this.config.env.ACCESS_TOKEN_TTL_MINUTES * 60;
    const accessToken = await this.jwt.signAsync(
      {
        sub: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        trust: user.trustId,
        supplier: user.supplierId,
      },
      { expiresIn: ttlSeconds },
    );
    return { accessToken, expiresAt: new Date(this.clock.now().getTime() + ttlSeconds * 1000).toISOString() };
  }
}
