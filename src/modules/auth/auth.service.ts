import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { User } from '../users/user.entity';
import { PasswordHasher } from './password-hasher';

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async login(email: string, password: string): Promise<{ accessToken: string; expiresAt: string }> {
    const user = await this.verifyCredentials(email, password);
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

  /**
   * The active user behind an email and password (the API's login and the console's sign-in). One answer for
   * an unknown account, a wrong password and a disabled account: nothing to enumerate.
   */
  async verifyCredentials(email: string, password: string): Promise<User> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: email.trim().toLowerCase() })
      .getOne();
    const valid = await this.hasher.verify(user?.passwordHash ?? null, password);
    if (!user || !valid || !user.active) {
      throw new DomainError('AUTH.INVALID_CREDENTIALS', 'Email or password is wrong.');
    }
    return user;
  }
}
