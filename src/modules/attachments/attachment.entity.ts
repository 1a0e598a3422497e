import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A file on an incident (optionally on one timeline entry), stored in PostgreSQL. */
@Entity('attachment')
@Index('attachment_incident_idx', ['incidentId', 'createdAt'])
export class Attachment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  incidentId: string;

  @Column({ type: 'bigint', nullable: true })
  eventId: string | null;

  @Column({ type: 'varchar', length: 255 })
  filename: string;

  /** Sniffed from the bytes, not taken from the uploader's claim. */
  @Column({ type: 'varchar', length: 127 })
  contentType: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'bytea', select: false })
  data?: Buffer;

  @Column({ type: 'uuid', nullable: true })
  uploadedByUserId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
