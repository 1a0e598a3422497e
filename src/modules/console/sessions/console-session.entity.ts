import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../users/user.entity';

/**
 * A signed-in console browser. The cookie holds a random token; only its SHA-256 is stored, so a copy of this
 * table signs nobody in. Times come from the desk's Clock (not the database's), so tests can move them.
 */
@Entity('console_session')
export class ConsoleSession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Hex SHA-256 of the cookie's token. */
  @Index({ unique: true })
  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Index()
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** The form token of this session (synchronizer token): every console form and htmx request carries it. */
  @Column({ type: 'varchar', length: 64 })
  csrfToken: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  lastSeenAt: Date;

  /** createdAt + CONSOLE_ABSOLUTE_TIMEOUT_MINUTES. */
  @Index()
  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
