import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

/**
 * Who changed what, when, with old and new values. Append-only: there is no API to change it, and a trigger
 * (migration AuditAppendOnly) refuses UPDATE and DELETE in the database itself.
 */
@Entity('audit_entry')
@Index('audit_entity_idx', ['entityType', 'entityId', 'id'])
export class AuditEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  entityType: string;

  @Column({ type: 'uuid' })
  entityId: string;

  /** e.g. `incident.created`, `incident.transitioned`, `incident.updated`. */
  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'uuid', nullable: true })
  actorUserId: string | null;

  /** Who acted, readable: a user's email, `reporter:<email>`, `system`. */
  @Column({ type: 'varchar', length: 320 })
  actorLabel: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  changes: FieldChange[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
