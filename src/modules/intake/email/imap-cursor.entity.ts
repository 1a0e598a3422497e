import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far the IMAP poller has read one folder: its UIDVALIDITY and the last UID stored. */
@Entity('imap_cursor')
export class ImapCursor {
  /** `user@host:port/folder`. */
  @PrimaryColumn({ type: 'varchar', length: 500 })
  mailboxKey: string;

  @Column({ type: 'bigint' })
  uidValidity: string;

  @Column({ type: 'bigint' })
  lastUid: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
