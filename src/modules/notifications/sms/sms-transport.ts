import { Injectable } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import twilio from 'twilio';
import { maskPhoneNumbers } from '../domain/mask-numbers';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { SmsSettings } from './sms-settings';

export interface SmsMessage {
  id: string;
  to: string;
  body: string;
  createdAt: Date;
  /** Where Twilio posts the text's delivery status (null: nowhere). */
  statusCallback?: string | null;
}

/**
 * Twilio's RequestClient with every request sent to another base URL instead of https://*.twilio.com (a local fake
 * speaking Twilio's REST API in tests). Twilio's client has no base-URL option of its own.
 */
class RebasedRequestClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super({ autoRetry: false, timeout: 10_000 });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    return super.request<TData>({
      ...opts,
      uri: opts.uri.replace(/^https:\/\/[^/]+/, this.base.replace(/\/$/, '')),
    });
  }
}

/**
 * Where texts go: Twilio's Messages API when TWILIO_ACCOUNT_SID is set, otherwise a `.sms.txt` file in OUTBOX_DIR
 * (the development outbox, like outbound mail). Returns the provider's id for the message.
 */
@Injectable()
export class SmsTransport {
  private readonly client: twilio.Twilio | null;

  constructor(private readonly settings: SmsSettings) {
    const t = settings.twilio;
    this.client = t
      ? twilio(
          t.accountSid,
          t.authToken,
          t.apiBaseUrl ? { httpClient: new RebasedRequestClient(t.apiBaseUrl) } : { autoRetry: false },
        )
      : null;
  }

  async send(message: SmsMessage): Promise<string> {
    const t = this.settings.twilio;
    if (this.client && t) {
      try {
        const sent = await this.client.messages.create({
          to: message.to,
          from: t.from,
          body: message.body,
          ...(message.statusCallback ? { statusCallback: message.statusCallback } : {}),
        });
        return sent.sid;
      } catch (err) {
        // Twilio names the number in some refusals; the error goes to the log and to last_error.
        throw new Error(maskPhoneNumbers(err instanceof Error ? err.message : String(err)));
      }
    }
    await mkdir(this.settings.outboxDir, { recursive: true });
    const name = `${message.createdAt.toISOString().replace(/[:.]/g, '-')}-${message.id}.sms.txt`;
    await writeFile(join(this.settings.outboxDir, name), `To: ${message.to}\n\n${message.body}\n`, 'utf8');
    return 'outbox';
  }
}
