import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { Supplier } from '../directory/supplier.entity';
import {
  bodyHash,
  checkSignature,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from './domain/signature';
import type { UpdateKey } from './supplier-updates.service';

/** What a checked request carries to its handler. */
export interface SignedSupplierRequest extends FastifyRequest {
  rawBody?: Buffer;
  supplier?: { id: string; code: string; name: string };
  updateKey?: UpdateKey | null;
}

const refused = (): DomainError =>
  new DomainError('ESCALATION.SIGNATURE_INVALID', 'Missing or invalid signature, or a stale timestamp.');

/**
 * A supplier's signed request: `X-RoseDesk-Timestamp` within 5 minutes of the desk clock and `X-RoseDesk-Signature`
 * the HMAC-SHA256 of "<timestamp>.<raw body>" with the supplier's secret; otherwise 401 before the body is looked
 * at, so nothing is stored. An unknown supplier, or one without a secret, is refused the same way (401).
 */
@Injectable()
export class SupplierSignatureGuard implements CanActivate {
  private readonly logger = new Logger(SupplierSignatureGuard.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<SignedSupplierRequest>();
    const code = (req.params as { code?: string }).code ?? '';
    const supplier = /^[a-z0-9_]{2,32}$/.test(code)
      ? await this.db.getRepository(Supplier).findOneBy({ code })
      : null;
    const header = (name: string): string | undefined => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    if (!supplier?.webhookSecret || !req.rawBody) throw refused();
    const check = checkSignature(
      supplier.webhookSecret,
      header(TIMESTAMP_HEADER),
      header(SIGNATURE_HEADER),
      req.rawBody,
      this.clock.now(),
    );
    if (!check.ok) {
      this.logger.warn({ supplier: supplier.code, reason: check.reason }, 'Supplier request refused');
      throw refused();
    }
    const key = header(IDEMPOTENCY_HEADER)?.trim();
    if (key !== undefined && (key === '' || key.length > 200))
      throw new DomainError('REQUEST.VALIDATION_FAILED', 'Idempotency-Key: 1-200 characters.', {
        field: 'Idempotency-Key',
      });
    req.supplier = { id: supplier.id, code: supplier.code, name: supplier.name };
    req.updateKey = key ? { idempotencyKey: key, bodyHash: bodyHash(req.rawBody) } : null;
    return true;
  }
}
