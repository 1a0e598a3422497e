import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { SiteClassCode } from '../../directory/site-class.entity';
import type { Priority } from '../../incidents/domain/incident-enums';

/** Every value a policy row has had (append-only history); the newest per key is the one in sla_policy. */
@Entity('sla_policy_version')
@Index('sla_policy_version_key_idx', ['siteClassCode', 'priority', 'id'])
export class SlaPolicyVersion {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  siteClassCode: SiteClassCode;

  @Column({ type: 'varchar', length: 2 })
  priority: Priority;

  @Column({ type: 'varchar', length: 32, nullable: true })
  calendarCode: string | null;

  @Column({ type: 'integer' })
  responseMinutes: number;

  @Column({ type: 'integer' })
  resolutionMinutes: number;

  @Column({ type: 'varchar', length: 320 })
  changedBy: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** New incidents from this instant use these values. */
  @CreateDateColumn({ type: 'timestamptz' })
  validFrom: Date;
}
