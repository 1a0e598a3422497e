import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dedupe on the Message-ID and a content fingerprint: the unique index takes the fingerprint as a third column.
 * And whether the relay verified the sender (`sender_verified`).
 * Rows stored before keep a NULL fingerprint and, by the pipeline's lookup, still hold their Message-ID alone.
 * Generated; the data step of `down` is written by hand.
 */
export class InboundContentFingerprint1796515919663 implements MigrationInterface {
  name = 'InboundContentFingerprint1796515919663';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."inbound_message_dedupe_uq"
        `);
    await queryRunner.query(`
            ALTER TABLE "inbound_message"
            ADD "content_fingerprint" character varying(64)
        `);
    await queryRunner.query(`
            ALTER TABLE "inbound_message"
            ADD "sender_verified" boolean
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "inbound_message_dedupe_uq" ON "inbound_message" ("mailbox", "dedupe_key", "content_fingerprint")
            WHERE dedupe_key IS NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."inbound_message_dedupe_uq"
        `);
    // The old index allows one row per key: later messages that share a Message-ID with an earlier, different one
    // give up their key (they keep their outcome and incident) so that the index can be built again.
    await queryRunner.query(`
            UPDATE "inbound_message" m SET "dedupe_key" = NULL
            WHERE m."dedupe_key" IS NOT NULL AND EXISTS (
                SELECT 1 FROM "inbound_message" o
                WHERE o."mailbox" = m."mailbox" AND o."dedupe_key" = m."dedupe_key"
                  AND (o."received_at", o."id") < (m."received_at", m."id"))
        `);
    await queryRunner.query(`
            ALTER TABLE "inbound_message" DROP COLUMN "content_fingerprint"
        `);
    await queryRunner.query(`
            ALTER TABLE "inbound_message" DROP COLUMN "sender_verified"
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "inbound_message_dedupe_uq" ON "inbound_message" USING btree ("mailbox", "dedupe_key")
            WHERE (dedupe_key IS NOT NULL)
        `);
  }
}
