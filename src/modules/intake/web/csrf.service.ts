import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';
import { SecretsService } from '../../system/secrets.service';

export const CSRF_COOKIE = 'rosedesk_report_csrf';
export const CSRF_FIELD = '_csrf';
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

/**
 * CSRF protection for the public pages, a signed double-submit: the browser holds a random value in an
 * HttpOnly, SameSite=Lax cookie, and every form carries HMAC(key, value) in a hidden field. A POST whose field
 * does not match its own cookie was not made from one of our pages. The key lives in the database (shared by
 * every API instance); no server-side session is needed.
 */
@Injectable()
export class CsrfService implements OnModuleInit {
  private key: Buffer;

  constructor(
    private readonly secrets: SecretsService,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.key = Buffer.from(await this.secrets.getOrCreate('report-csrf-key', undefined), 'utf8');
  }

  /** The token for the forms of this response, setting the cookie first when the browser has none (or a bad one). */
  tokenFor(req: FastifyRequest, reply: FastifyReply): string {
    const stash = req as FastifyRequest & { csrfCookie?: string };
    let value = stash.csrfCookie ?? req.cookies[CSRF_COOKIE];
    if (!value || !COOKIE_VALUE.test(value)) {
      value = randomBytes(32).toString('base64url');
      reply.setCookie(CSRF_COOKIE, value, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.config.env.PUBLIC_BASE_URL.startsWith('https:'),
        path: '/report',
      });
      // Later reads in this request (a second form on the page) must see the new value.
      stash.csrfCookie = value;
    }
    return this.sign(value);
  }

  /** True when the submitted token was made for this browser's cookie. */
  verify(req: FastifyRequest, submitted: unknown): boolean {
    const value = req.cookies[CSRF_COOKIE];
    if (!value || !COOKIE_VALUE.test(value) || typeof submitted !== 'string') return false;
    const expected = Buffer.from(this.sign(value));
    const given = Buffer.from(submitted);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(value: string): string {
    return createHmac('sha256', this.key).update(`report-csrf:${value}`).digest('base64url');
  }
}
