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
import { Supplier } from '../directory/supplier.entity';
import { Trust } from '../directory/trust.entity';

import type { Role } from './domain/roles';

export { ROLES, type Role } from './domain/roles';

@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Lower-cased. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** argon2id PHC string. */
  @Column({ type: 'varchar', length: 255, select: false })
  passwordHash: string;

  @Column({ type: 'varchar', length: 20 })
  role: Role;

  /** Set for trust managers: the one trust they may see. */
  @Column({ type: 'uuid', nullable: true })
  trustId: string | null;

  @ManyToOne(() => Trust, { nullable: true })
  @JoinColumn({ name: 'trust_id' })
  trust?: Trust | null;

  /** Set for supplier users: the one supplier whose escalations they may see. */
  @Column({ type: 'uuid', nullable: true })
  supplierId: string | null;

  @ManyToOne(() => Supplier, { nullable: true })
  @JoinColumn({ name: 'supplier_id' })
  supplier?: Supplier | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /**
   * Carried in every access token as `ver`; raising it (a change of role, trust, supplier or active, a revoke,
   * a sign-out) makes every token issued before answer 401 (see SessionVersions).
   */
  @Column({ type: 'integer', default: 0 })
  tokenVersion: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
