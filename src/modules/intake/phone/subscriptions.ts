import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PhoneSettings } from './phone-settings';
import type { SubscriptionSource } from './sms-subscription.entity';

/** Who is texted about which incident (sms_subscription), and where Twilio reports those texts' delivery. */
@Injectable()
export class Subscriptions {
  constructor(private readonly settings: PhoneSettings) {}

  async add(
    em: EntityManager,
    incidentId: string,
    number: string,
    source: SubscriptionSource,
  ): Promise<void> {
    await em.query(
      'INSERT INTO sms_subscription (incident_id, phone_number, source) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [incidentId, number, source],
    );
  }

  async numbersFor(em: EntityManager, incidentId: string): Promise<string[]> {
    const rows = await em.query<{ phone_number: string }[]>(
      'SELECT phone_number FROM sms_subscription WHERE incident_id = $1 ORDER BY created_at, phone_number',
      [incidentId],
    );
    return rows.map((r) => r.phone_number);
  }

  /** The status callback of a text about this incident (notifications adds `sms={row id}`). */
  statusCallback(incidentId: string): string {
    return this.settings.url(`/twilio/sms/status?incident=${incidentId}`);
  }
}
