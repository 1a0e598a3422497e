import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Someone on an incident besides the reporter: addresses copied on the reporter's email (`cc`). They may
 * thread onto the incident by its reference, and agents' public replies are copied to them.
 */
@Entity('incident_participant')
export class IncidentParticipant {
  @PrimaryColumn({ type: 'uuid' })
  incidentId: string;

  /** Lower case. */
  @PrimaryColumn({ type: 'varchar', length: 320 })
  email: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  role: 'cc';

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
