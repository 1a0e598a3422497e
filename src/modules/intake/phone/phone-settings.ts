import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import type { ServiceChoice } from './domain/call-menu';

/** Phone and SMS intake's settings, read once from the validated environment. */
@Injectable()
export class PhoneSettings {
  /** TWILIO_AUTH_TOKEN: every webhook's signature is checked with it; empty: the phone routes answer 503. */
  readonly authToken: string;
  readonly deskName: string;
  readonly recordingMaxSeconds: number;
  readonly abandonedCallIncidents: boolean;
  /** Service code of "0, something else" and of texts that name none. */
  readonly defaultService: string;
  /**
   * On-call numbers per service code (PHONE_ON_CALL_NUMBERS, a service named again adds a number): each gets a text
   * when an incident of the service becomes P1; a caller put through is dialled to the first.
   */
  readonly onCall: ReadonlyMap<string, readonly string[]>;
  /** Whether outbound texts go anywhere but the development outbox (TWILIO_ACCOUNT_SID). */
  readonly sendsTexts: boolean;

  constructor(private readonly config: AppConfig) {
    const env = config.env;
    this.authToken = env.TWILIO_AUTH_TOKEN;
    this.deskName = env.PHONE_DESK_NAME;
    this.recordingMaxSeconds = env.PHONE_RECORDING_MAX_SECONDS;
    this.abandonedCallIncidents = env.PHONE_ABANDONED_CALL_INCIDENTS;
    this.defaultService = env.PHONE_DEFAULT_SERVICE;
    const onCall = new Map<string, string[]>();
    for (const pair of env.PHONE_ON_CALL_NUMBERS.split(',')) {
      const [service, number] = pair.split('=').map((part) => part.trim());
      if (!service || !number) continue;
      const numbers = onCall.get(service) ?? [];
      if (!numbers.includes(number)) numbers.push(number);
      onCall.set(service, numbers);
    }
    this.onCall = onCall;
    this.sendsTexts = env.TWILIO_ACCOUNT_SID !== '';
  }

  get configured(): boolean {
    return this.authToken !== '';
  }

  /** The catalogue service code of a menu choice. */
  serviceCode(choice: ServiceChoice): string {
    return choice === 'other' ? this.defaultService : choice;
  }

  /** Who a caller is put through to: the first on-call number of the chosen service. */
  onCallNumber(choice: ServiceChoice): string | null {
    return this.onCall.get(this.serviceCode(choice))?.[0] ?? null;
  }

  /** An absolute URL under PUBLIC_BASE_URL (TwiML actions, status callbacks): the address Twilio calls and signs. */
  url(path: string): string {
    return this.config.publicUrl(path);
  }
}
