import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A frozen monthly SLA report of one trust: its JSON and CSV as they were, the SLA configuration version they were
 * computed under and a hash of both. A correction issues a new version; old versions are kept.
 */
@Entity('report_pack')
@Index('report_pack_trust_month_version_idx', ['trustId', 'month', 'version'], { unique: true })
export class ReportPack {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  trustId: string;

  /** 'YYYY-MM' */
  @Column({ type: 'varchar', length: 7 })
  month: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'jsonb' })
  report: object;

  @Column({ type: 'text' })
  csv: string;

  @Column({ type: 'text' })
  configVersion: string;

  /** sha256 (hex) of the report's figures (without asOf and frozen) and the CSV. */
  @Column({ type: 'varchar', length: 64 })
  hash: string;

  /** Who issued it: 'system' for the automatic freeze, else the desk manager's email. */
  @Column({ type: 'varchar', length: 320 })
  frozenBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  frozenAt: Date;
}
