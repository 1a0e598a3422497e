import { MigrationInterface, QueryRunner } from 'typeorm';

/** Email intake: raw inbound messages with their intake log, bounce suppression, copied addresses, IMAP cursors. */
export class EmailIntake1795609500000 implements MigrationInterface {
  name = 'EmailIntake1795609500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "inbound_message" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "mailbox" character varying(320) NOT NULL,
                "source" character varying(8) NOT NULL,
                "raw" bytea NOT NULL,
                "size" integer NOT NULL,
                "envelope_from" character varying(320),
                "envelope_to" text array NOT NULL DEFAULT '{}',
                "remote_address" character varying(64),
                "imap_uid_validity" bigint,
                "imap_uid" bigint,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                "message_id" character varying(1000),
                "dedupe_key" character varying(1000),
                "duplicate_of" uuid,
                "sender" character varying(320),
                "subject" character varying(400),
                "kind" character varying(16),
                "status" character varying(16) NOT NULL DEFAULT 'received',
                "decision" character varying(32),
                "step" smallint,
                "reason" text,
                "error" text,
                "log" jsonb NOT NULL DEFAULT '[]',
                "incident_id" uuid,
                "attempts" integer NOT NULL DEFAULT 0,
                "claimed_until" TIMESTAMP WITH TIME ZONE,
                "processed_at" TIMESTAMP WITH TIME ZONE,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_inbound_message" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "inbound_message_dedupe_uq" ON "inbound_message" ("mailbox", "dedupe_key")
            WHERE dedupe_key IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "inbound_message_status_idx" ON "inbound_message" ("status", "received_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "inbound_message_received_idx" ON "inbound_message" ("received_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "inbound_message_message_id_idx" ON "inbound_message" ("message_id")
            WHERE message_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "inbound_message_incident_idx" ON "inbound_message" ("incident_id")
            WHERE incident_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "outbound_recipient_created_idx" ON "outbound_message" ("to_address", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "mail_suppression" (
                "email" character varying(320) NOT NULL,
                "until" TIMESTAMP WITH TIME ZONE NOT NULL,
                "status" character varying(16),
                "bounces" integer NOT NULL DEFAULT 1,
                "last_inbound_message_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_mail_suppression" PRIMARY KEY ("email")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "incident_participant" (
                "incident_id" uuid NOT NULL,
                "email" character varying(320) NOT NULL,
                "role" character varying(16) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_incident_participant" PRIMARY KEY ("incident_id", "email", "role")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "imap_cursor" (
                "mailbox_key" character varying(500) NOT NULL,
                "uid_validity" bigint NOT NULL,
                "last_uid" bigint NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_imap_cursor" PRIMARY KEY ("mailbox_key")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "imap_cursor"`);
    await queryRunner.query(`DROP TABLE "incident_participant"`);
    await queryRunner.query(`DROP TABLE "mail_suppression"`);
    await queryRunner.query(`DROP INDEX "outbound_recipient_created_idx"`);
    await queryRunner.query(`DROP TABLE "inbound_message"`);
  }
}
