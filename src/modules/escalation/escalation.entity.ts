import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An incident handed to a supplier. This is the minimum the access rules need (a supplier's users see the
 * incidents escalated to their supplier); routing, the supplier's contract clock and the webhooks build on it.
 */
@Entity('escalation')
@Index('escalation_supplier_incident_idx', ['supplierId', 'incidentId'])
export class Escalation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  incidentId: string;

  @Column({ type: 'uuid' })
  supplierId: string;

  /** The supplier's own reference for the job, once they tell us. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  supplierReference: string | null;

  @Column({ type: 'varchar', length: 24, default: 'open' })
  status: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
