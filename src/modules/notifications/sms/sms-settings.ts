import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';

/** Where texts go, parsed once from the validated environment. */
@Injectable()
export class SmsSettings {
  /** Twilio's account, when TWILIO_ACCOUNT_SID is set; otherwise texts are written to the development outbox. */
  readonly twilio: { accountSid: string; authToken: string; from: string; apiBaseUrl: string } | null;
  readonly outboxDir: string;

  constructor(config: AppConfig) {
    const env = config.env;
    this.twilio = env.TWILIO_ACCOUNT_SID
      ? {
          accountSid: env.TWILIO_ACCOUNT_SID,
          authToken: env.TWILIO_AUTH_TOKEN,
          from: env.TWILIO_FROM_NUMBER,
          apiBaseUrl: env.TWILIO_API_BASE_URL,
        }
      : null;
    this.outboxDir = env.OUTBOX_DIR;
  }
}
