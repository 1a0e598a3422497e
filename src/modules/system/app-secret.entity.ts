import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Secrets the desk generates for itself when the environment gives none (the token-signing key in the
 * zero-setup mode), so every API instance sharing the database agrees on them.
 */
@Entity('app_secret')
export class AppSecret {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'text', select: false })
  value: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
