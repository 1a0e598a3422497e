import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const TRUST_KINDS = ['foundation_trust', 'pct', 'acute_trust'] as const;
export type TrustKind = (typeof TRUST_KINDS)[number];

@Entity('trust')
export class Trust {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 16 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  kind: TrustKind;

  /** True for the two organisations the published material does not name (seeded as plausible stand-ins). */
  @Column({ type: 'boolean', default: false })
  assumed: boolean;

  /** Mail domains whose senders belong to this trust (used to place email from unknown senders). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  emailDomains: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
