import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import twilio from 'twilio';
import { DomainError } from '../../../common/errors/domain-error';
import { PhoneSettings } from './phone-settings';

/** A Twilio webhook's form fields as Fastify parsed them (a repeated field is an array). */
export type TwilioParams = Record<string, string | string[] | undefined>;

/** The fields of a webhook, whatever its body was (a missing or non-form body has none). */
export function twilioParams(request: FastifyRequest): TwilioParams {
  const body = request.body;
  return body !== null && typeof body === 'object' ? (body as TwilioParams) : {};
}

/**
 * Every Twilio webhook (/twilio/...) proves it comes from Twilio: `X-Twilio-Signature` must be the HMAC Twilio
 * makes with TWILIO_AUTH_TOKEN over the URL it called (PUBLIC_BASE_URL + the path and query as received) and the
 * form fields, checked with the twilio library's own `validateRequest`. A missing or wrong signature is a 403 before
 * the controller runs, so nothing is stored. Without TWILIO_AUTH_TOKEN nothing can be checked: 503, saying so.
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  constructor(private readonly settings: PhoneSettings) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.settings.configured) {
      throw new DomainError(
        'PHONE.NOT_CONFIGURED',
        'Phone and SMS intake is not set up on this desk: TWILIO_AUTH_TOKEN is empty, so Twilio webhooks cannot be checked.',
      );
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const signature = request.headers['x-twilio-signature'];
    const url = this.settings.url(request.url);
    if (
      typeof signature !== 'string' ||
      !twilio.validateRequest(this.settings.authToken, signature, url, twilioParams(request))
    ) {
      throw new DomainError(
        'PHONE.SIGNATURE_INVALID',
        'X-Twilio-Signature is missing or does not match this request.',
      );
    }
    return true;
  }
}
