import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One count of failed sign-ins (per account or per client address, see domain/login-throttle.ts), in PostgreSQL so
 * that every API process counts together. Rows whose window has ended are reset on their next attempt and
 * swept now and then.
 */
@Entity('login_throttle')
export class LoginThrottleEntry {
  /** sha256 hex of the account or address: no email or address is stored as text. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key: string;

  @Column({ type: 'integer' })
  hits: number;

  @Index('login_throttle_window_ends_idx')
  @Column({ type: 'timestamptz' })
  windowEndsAt: Date;
}
