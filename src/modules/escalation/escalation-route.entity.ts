import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A routing rule: incidents of this service (optionally only at this site class, only of this priority) go to this
 * supplier; with `autoEscalate`, a new incident matching it is escalated at once. The most specific rule wins.
 */
@Entity('escalation_route')
@Index('escalation_route_match_idx', ['serviceId', 'siteClass', 'priority'], { unique: true })
export class EscalationRoute {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  serviceId: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  siteClass: string | null;

  @Column({ type: 'varchar', length: 2, nullable: true })
  priority: string | null;

  @Column({ type: 'uuid' })
  supplierId: string;

  @Column({ type: 'boolean', default: false })
  autoEscalate: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
