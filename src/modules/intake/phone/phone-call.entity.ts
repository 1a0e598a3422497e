import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Incident } from '../../incidents/incident.entity';
import type { CallState } from './domain/call-menu';

export const CALL_OUTCOMES = ['reported', 'abandoned', 'put_through', 'subscribed', 'hung_up'] as const;
/**
 * How a call ended: `reported` (an incident from its message, or from a call that ended while recording),
 * `abandoned` (an incident marked abandoned, to call back), `put_through` (to the on-call engineer, with an
 * incident), `subscribed` (texts about a known outage), `hung_up` (the call log only).
 */
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/**
 * One call to the desk's number, from the first ring: the menu's state and every answer, the recording and its
 * transcription, how it ended, and the incident it made or joined. The row is also the lock every webhook of the
 * call takes, so a call's webhooks are handled one at a time and a call makes one incident at most.
 */
@Entity('phone_call')
@Index('phone_call_started_idx', ['startedAt', 'id'])
@Index('phone_call_open_idx', ['lastActivityAt'], { where: 'ended_at IS NULL' })
export class PhoneCall {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  callSid: string;

  /** The caller's number in E.164; null when withheld. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  fromNumber: string | null;

  /** The desk's number that was called. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  toNumber: string | null;

  /** The directory contact with the caller's number, when one was found, and its name (the reporter's). */
  @Column({ type: 'uuid', nullable: true })
  contactId: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  callerName: string | null;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  /** The last webhook of this call: a call silent for long enough is taken as ended (CallSweeper). */
  @Column({ type: 'timestamptz' })
  lastActivityAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  durationSeconds: number | null;

  /** Twilio's final CallStatus (completed, busy, no-answer, failed, canceled), or `idle` when the sweeper ended it. */
  @Column({ type: 'varchar', length: 24, nullable: true })
  twilioStatus: string | null;

  @Column({ type: 'jsonb' })
  state: CallState;

  @Column({ type: 'varchar', length: 64, nullable: true })
  recordingSid: string | null;

  @Column({ type: 'text', nullable: true })
  recordingUrl: string | null;

  @Column({ type: 'integer', nullable: true })
  recordingSeconds: number | null;

  /** Twilio's TranscriptionStatus (`completed`, `failed`); null until its callback arrives (which may be never). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  transcriptionStatus: string | null;

  @Column({ type: 'text', nullable: true })
  transcription: string | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  outcome: CallOutcome | null;

  /** The incident the call made (or, for `subscribed`, the known outage it asked about). */
  @Index()
  @Column({ type: 'uuid', nullable: true })
  incidentId: string | null;

  @ManyToOne(() => Incident, { nullable: true })
  @JoinColumn({ name: 'incident_id' })
  incident?: Incident | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
