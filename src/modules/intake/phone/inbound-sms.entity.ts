import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Incident } from '../../incidents/incident.entity';

/**
 * A text to the desk's number and what was decided about it (a new incident, a reply, STOP, START, HELP). The unique
 * MessageSid makes a text acted on once: it is written in the transaction that acts on it.
 */
@Entity('inbound_sms')
@Index('inbound_sms_received_idx', ['receivedAt', 'id'])
export class InboundSms {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  messageSid: string;

  /** E.164; null when the sender's number cannot be one (a short code, an alphanumeric sender). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  fromNumber: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  toNumber: string | null;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  @Column({ type: 'varchar', length: 32 })
  decision: string;

  @Column({ type: 'text' })
  reason: string;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  incidentId: string | null;

  @ManyToOne(() => Incident, { nullable: true })
  @JoinColumn({ name: 'incident_id' })
  incident?: Incident | null;
}
