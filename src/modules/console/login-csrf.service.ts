import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { SecretsService } from '../system/secrets.service';

export const LOGIN_CSRF_COOKIE = 'rosedesk_console_login';
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The sign-in form's token, before there is a session to hold one: a signed double-submit. The browser keeps a
 * random value in an HttpOnly, SameSite=Lax cookie on /console/login; the form carries HMAC(key, value). A
 * sign-in posted from another site has neither. The key is kept in the database, shared by every instance.
 */
@Injectable()
export class LoginCsrf implements OnModuleInit {
  private key: Buffer;

  constructor(
    private readonly secrets: SecretsService,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.key = Buffer.from(await this.secrets.getOrCreate('console-login-csrf-key', undefined), 'utf8');
  }

  tokenFor(req: FastifyRequest, reply: FastifyReply): string {
    let value = req.cookies[LOGIN_CSRF_COOKIE];
    if (!value || !COOKIE_VALUE.test(value)) {
      value = randomBytes(32).toString('base64url');
      reply.setCookie(LOGIN_CSRF_COOKIE, value, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.config.env.PUBLIC_BASE_URL.toLowerCase().startsWith('https:'),
        path: '/console/login',
      });
    }
    return this.sign(value);
  }

  verify(req: FastifyRequest, submitted: unknown): boolean {
    const value = req.cookies[LOGIN_CSRF_COOKIE];
    if (!value || !COOKIE_VALUE.test(value) || typeof submitted !== 'string') return false;
    const expected = Buffer.from(this.sign(value));
    const given = Buffer.from(submitted);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(value: string): string {
    return createHmac('sha256', this.key).update(`console-login:${value}`).digest('base64url');
  }
}
