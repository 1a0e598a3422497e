import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A number that texted STOP (or a word meaning it) to the desk: no text is queued for it (queueSms leaves it out)
 * until it texts START. Kept per number, whichever incident or channel wanted to text it.
 */
@Entity('sms_opt_out')
export class SmsOptOut {
  /** E.164. */
  @PrimaryColumn({ type: 'varchar', length: 20 })
  phoneNumber: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  optedOutAt: Date;
}
