import { Controller, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../../common/errors/domain-error';
import { Public } from '../../auth/auth.decorators';
import { isVoiceStep } from './domain/call-menu';
import { SmsIntakeService } from './sms-intake.service';
import { SmsStatusService } from './sms-status.service';
import { field, isSid } from './twilio-fields';
import { TwilioSignatureGuard, twilioParams } from './twilio-signature.guard';
import { VoiceService } from './voice.service';

/** Twilio's header naming one webhook delivery: the same on every retry of it. */
const IDEMPOTENCY_HEADER = 'i-twilio-idempotency-token';

/**
 * Twilio's webhooks. Twilio is configured with two URLs: `POST /twilio/voice` (a call comes in) and
 * `POST /twilio/sms` (a text comes in); every later step is an action or callback URL the TwiML names:
 * `/twilio/voice/<step>?n=<turn>`, and `/twilio/sms/status` for the delivery status of the desk's texts. No bearer
 * token: each request is signed by Twilio (TwilioSignatureGuard, 403 otherwise; 503 without TWILIO_AUTH_TOKEN).
 * Form-encoded bodies in, TwiML out.
 */
@Public()
@ApiExcludeController()
@UseGuards(TwilioSignatureGuard)
@Controller('twilio')
export class TwilioController {
  constructor(
    private readonly voice: VoiceService,
    private readonly sms: SmsIntakeService,
    private readonly smsStatus: SmsStatusService,
  ) {}

  @Post('voice')
  @HttpCode(200)
  async incoming(@Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    await sendTwiml(res, await this.voice.handle(this.voiceWebhook('incoming', req, null)));
  }

  @Post('voice/:step')
  @HttpCode(200)
  async step(
    @Param('step') step: string,
    @Query('n') n: unknown,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    if (!isVoiceStep(step)) throw new DomainError('PHONE.UNKNOWN_STEP', 'No such step of the voice menu.');
    const turn = typeof n === 'string' && /^\d{1,6}$/.test(n) ? Number(n) : null;
    await sendTwiml(res, await this.voice.handle(this.voiceWebhook(step, req, turn)));
  }

  @Post('sms')
  @HttpCode(200)
  async text(@Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    await sendTwiml(res, await this.sms.receive(twilioParams(req), idempotencyToken(req)));
  }

  @Post('sms/status')
  @HttpCode(200)
  async textStatus(
    @Query() query: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    await sendTwiml(res, await this.smsStatus.record(query, twilioParams(req), idempotencyToken(req)));
  }

  private voiceWebhook(
    step: Parameters<VoiceService['handle']>[0]['step'],
    req: FastifyRequest,
    turn: number | null,
  ) {
    const params = twilioParams(req);
    const callSid = field(params, 'CallSid');
    if (!isSid(callSid, ['CA'])) {
      throw new DomainError('PHONE.WEBHOOK_INCOMPLETE', 'CallSid: missing or not a call SID.', {
        field: 'CallSid',
      });
    }
    return { step, callSid, params, turn, token: idempotencyToken(req) };
  }
}

function idempotencyToken(req: FastifyRequest): string | null {
  const token = req.headers[IDEMPOTENCY_HEADER];
  return typeof token === 'string' && token.length > 0 && token.length <= 200 ? token : null;
}

async function sendTwiml(res: FastifyReply, twiml: string): Promise<void> {
  await res.status(200).header('Content-Type', 'text/xml; charset=utf-8').send(twiml);
}
