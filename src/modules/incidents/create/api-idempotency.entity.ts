import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An `Idempotency-Key` a caller sent with `POST /api/incidents`: the same key with the same body within 24 hours
 * answers the first create's answer and creates nothing; with another body it is refused (409).
 */
@Entity('api_idempotency')
export class ApiIdempotency {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  /** SHA-256 (hex) of the request body as parsed. */
  @Column({ type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'uuid' })
  incidentId: string;

  /** The answer given the first time (written just after the create commits; null until then). */
  @Column({ type: 'jsonb', nullable: true })
  response: Record<string, unknown> | null;

  @Index('api_idempotency_created_idx')
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
