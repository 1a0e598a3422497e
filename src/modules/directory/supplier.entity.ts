import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('supplier')
export class Supplier {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  role: string;

  /** Escalation channel: the supplier's endpoint for signed webhook deliveries (null: none). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  webhookUrl: string | null;

  /** The shared secret both directions are signed with (HMAC-SHA256); never shown by the API. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  webhookSecret: string | null;

  /** Escalation channel: the supplier desk's address for escalations by email (null: none). */
  @Column({ type: 'varchar', length: 320, nullable: true })
  escalationEmail: string | null;

  /** A regular expression matching the supplier's own ticket references (e.g. `VMB-\d{6}`). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  referencePattern: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
