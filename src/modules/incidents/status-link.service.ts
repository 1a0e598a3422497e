import { Injectable, type OnModuleInit } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { SecretsService } from '../system/secrets.service';

/**
 * Signed, expiring links that let a reporter without an account see their incident's status and public
 * timeline and add a comment. The token names the incident and an expiry, signed with a key the desk keeps in
 * its database (HMAC-SHA256); it reveals nothing else and cannot be forged or extended.
 */
@Injectable()
export class StatusLinkService implements OnModuleInit {
  private key: Buffer;

  constructor(
    private readonly secrets: SecretsService,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.key = Buffer.from(await this.secrets.getOrCreate('status-link-key', undefined), 'utf8');
  }

  token(incidentId: string, now: Date): string {
    const expires = Math.floor(now.getTime() / 1000) + this.config.env.STATUS_LINK_TTL_DAYS * 86_400;
    const payload = Buffer.from(`${incidentId}.${expires}`, 'utf8').toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  url(incidentId: string, now: Date): string {
    return this.config.publicUrl(`/report/status/${this.token(incidentId, now)}`);
  }

  /** The incident id the token names, or null when it is malformed, forged or expired. */
  verify(token: string, now: Date): string | null {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    const [incidentId, expires] = Buffer.from(payload, 'base64url').toString('utf8').split('.');
    if (!incidentId || !/^\d+$/.test(expires ?? '')) return null;
    return Number(expires) * 1000 > now.getTime() ? incidentId : null;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
