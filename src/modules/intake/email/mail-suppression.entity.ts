import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An address our mail bounced from: no automatic mail (acknowledgements) goes to it until `until`. Written by
 * the intake pipeline when a delivery status notification names it; each new bounce extends it.
 */
@Entity('mail_suppression')
export class MailSuppression {
  /** Lower case. */
  @PrimaryColumn({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'timestamptz' })
  until: Date;

  /** Enhanced status code of the last bounce, e.g. `5.1.1`. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  status: string | null;

  @Column({ type: 'integer', default: 1 })
  bounces: number;

  @Column({ type: 'uuid', nullable: true })
  lastInboundMessageId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
