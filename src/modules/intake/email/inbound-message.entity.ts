import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const INBOUND_SOURCES = ['smtp', 'imap'] as const;
export type InboundSource = (typeof INBOUND_SOURCES)[number];

/**
 * received → processing → processed (a decision was reached: an incident, a reply, or a logged drop) | refused
 * (stored, deliberately not acted on, with the reason) | failed (an error, kept with it; `retry` runs it again).
 */
export const INBOUND_STATUSES = ['received', 'processing', 'processed', 'refused', 'failed'] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];

/** One entry of a message's intake log: which step, what it decided, and why. Never the body. */
export interface IntakeLogEntry {
  step: number;
  name: string;
  decision: string;
  reason: string;
  at: string;
}

/**
 * One email as it reached the desk, raw RFC 822 bytes first: the SMTP listener answers 250, and the IMAP poller
 * marks the message read, only after this row has committed. The pipeline worker fills in the rest.
 *
 * `mailbox` is the desk's logical mailbox (the first INTAKE_ADDRESSES entry) for every source, so the same
 * message reaching the desk by SMTP and by IMAP shares one dedupe scope. `dedupe_key` (normalised Message-ID,
 * else the content fingerprint) and `content_fingerprint` are set by the pipeline's first step; the partial
 * unique index lets one row per (key, fingerprint) win. Rows stored before fingerprints existed have none and
 * hold their Message-ID alone, as they did then.
 */
@Entity('inbound_message')
@Index('inbound_message_dedupe_uq', ['mailbox', 'dedupeKey', 'contentFingerprint'], {
  unique: true,
  where: 'dedupe_key IS NOT NULL',
})
@Index('inbound_message_status_idx', ['status', 'receivedAt', 'id'])
@Index('inbound_message_received_idx', ['receivedAt', 'id'])
@Index('inbound_message_message_id_idx', ['messageId'], { where: 'message_id IS NOT NULL' })
@Index('inbound_message_incident_idx', ['incidentId'], { where: 'incident_id IS NOT NULL' })
export class InboundMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 320 })
  mailbox: string;

  @Column({ type: 'varchar', length: 8 })
  source: InboundSource;

  @Column({ type: 'bytea', select: false })
  raw?: Buffer;

  @Column({ type: 'integer' })
  size: number;

  /** SMTP `MAIL FROM` (null for the null sender `<>`, and for IMAP). */
  @Column({ type: 'varchar', length: 320, nullable: true })
  envelopeFrom: string | null;

  /** SMTP `RCPT TO` addresses that were accepted (desk addresses only); for IMAP, the folder's mailbox. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  envelopeTo: string[];

  @Column({ type: 'varchar', length: 64, nullable: true })
  remoteAddress: string | null;

  @Column({ type: 'bigint', nullable: true })
  imapUidValidity: string | null;

  @Column({ type: 'bigint', nullable: true })
  imapUid: string | null;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  receivedAt: Date;

  /** Normalised Message-ID (no brackets), once parsed. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  messageId: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  dedupeKey: string | null;

  /** sha256 (hex) of what does not change in transit: sender, date, subject, body, attachments (contentFingerprint). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  contentFingerprint: string | null;

  /** The row that already holds this message's dedupe key (decision `duplicate`). */
  @Column({ type: 'uuid', nullable: true })
  duplicateOf: string | null;

  /** Sender address and subject as parsed, for the intake log (the body stays in `raw`). */
  @Column({ type: 'varchar', length: 320, nullable: true })
  sender: string | null;

  @Column({ type: 'varchar', length: 400, nullable: true })
  subject: string | null;

  /** Whether the relay in front of the desk vouched for the sender (verifySender); null when not asked. */
  @Column({ type: 'boolean', nullable: true })
  senderVerified: boolean | null;

  /** classifyMail's verdict: human, machine, automated, bounce, own_mail. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  kind: string | null;

  @Column({ type: 'varchar', length: 16, default: 'received' })
  status: InboundStatus;

  /** The final decision, e.g. `created`, `appended`, `duplicate`, `bounce_recorded`. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  decision: string | null;

  /** The pipeline step that decided (1 dedupe … 8 acknowledge; 0 parse). */
  @Column({ type: 'smallint', nullable: true })
  step: number | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** The last error (message only), kept until a run succeeds. */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  log: IntakeLogEntry[];

  @Column({ type: 'uuid', nullable: true })
  incidentId: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** While `processing`: the worker's claim runs until then; a row past its claim is picked up again. */
  @Column({ type: 'timestamptz', nullable: true })
  claimedUntil: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
