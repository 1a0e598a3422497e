import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One signed update a supplier posted, by its Idempotency-Key: the same key with the same body is answered again
 * from here with no second effect; with another body it is refused (409).
 */
@Entity('supplier_update')
export class SupplierUpdate {
  @PrimaryColumn({ type: 'uuid' })
  supplierId: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  idempotencyKey: string;

  /** SHA-256 (hex) of the raw body. */
  @Column({ type: 'varchar', length: 64 })
  bodyHash: string;

  @Column({ type: 'uuid' })
  escalationId: string;

  /** The answer given: `{escalationId, status}`. */
  @Column({ type: 'jsonb' })
  answer: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
