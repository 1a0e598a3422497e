import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Incident } from '../../incidents/incident.entity';

export const SUBSCRIPTION_SOURCES = ['caller', 'texter', 'outage'] as const;
/** Why a number gets texts about an incident: it reported it by phone or by text, or asked about a known outage. */
export type SubscriptionSource = (typeof SUBSCRIPTION_SOURCES)[number];

/**
 * A number texted about an incident: its public updates and its resolution (PhoneParticipant), unless the number
 * has texted STOP. A text from the number threads onto its open incidents.
 */
@Entity('sms_subscription')
@Index('sms_subscription_number_idx', ['phoneNumber', 'createdAt'])
export class SmsSubscription {
  @PrimaryColumn({ type: 'uuid' })
  incidentId: string;

  @ManyToOne(() => Incident, { nullable: false })
  @JoinColumn({ name: 'incident_id' })
  incident?: Incident;

  /** E.164. */
  @PrimaryColumn({ type: 'varchar', length: 20 })
  phoneNumber: string;

  @Column({ type: 'varchar', length: 16 })
  source: SubscriptionSource;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
