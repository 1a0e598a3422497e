import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Phone and SMS intake: sites' own phone lines (`site_phone_number`, a number on one site at most), numbers that
 * texted STOP (`sms_opt_out`), the call log (`phone_call`), texts received (`inbound_sms`), who is texted about
 * which incident (`sms_subscription`), the answers given to Twilio's webhooks (`twilio_webhook`, for retries) and
 * each outbound text's status callback (`outbound_sms.status_callback`). The new channel `sms` needs nothing here:
 * `incident.channel` is a varchar without a CHECK. Generated; read and kept as generated.
 */
export class PhoneAndSms1796520524291 implements MigrationInterface {
  name = 'PhoneAndSms1796520524291';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "site_phone_number" (
                "phone_number" character varying(20) NOT NULL,
                "site_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_436fc2d97d8f7b85c04e9ce2216" PRIMARY KEY ("phone_number")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_985062167dd5420e9a35803a4d" ON "site_phone_number" ("site_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "sms_opt_out" (
                "phone_number" character varying(20) NOT NULL,
                "opted_out_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_4ba8a24244a6483a1f492983522" PRIMARY KEY ("phone_number")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "inbound_sms" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "message_sid" character varying(64) NOT NULL,
                "from_number" character varying(20),
                "to_number" character varying(20),
                "body" text NOT NULL,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "decision" character varying(32) NOT NULL,
                "reason" text NOT NULL,
                "incident_id" uuid,
                CONSTRAINT "PK_b0ee6eb44833577f1d2e11038f3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_5eeeb02a4c33ccd7e3dea282b8" ON "inbound_sms" ("message_sid")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_b31e90faea177770640de7eca9" ON "inbound_sms" ("incident_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "inbound_sms_received_idx" ON "inbound_sms" ("received_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "phone_call" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "call_sid" character varying(64) NOT NULL,
                "from_number" character varying(20),
                "to_number" character varying(20),
                "contact_id" uuid,
                "caller_name" character varying(200),
                "started_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "last_activity_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ended_at" TIMESTAMP WITH TIME ZONE,
                "duration_seconds" integer,
                "twilio_status" character varying(24),
                "state" jsonb NOT NULL,
                "recording_sid" character varying(64),
                "recording_url" text,
                "recording_seconds" integer,
                "transcription_status" character varying(16),
                "transcription" text,
                "outcome" character varying(24),
                "incident_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f7a9579283280d3571d6ba5a79a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_d118fb68efe271138fc63bc438" ON "phone_call" ("call_sid")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_18e5d466e9e57fb0eb03cc9908" ON "phone_call" ("incident_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "phone_call_open_idx" ON "phone_call" ("last_activity_at")
            WHERE ended_at IS NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "phone_call_started_idx" ON "phone_call" ("started_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "sms_subscription" (
                "incident_id" uuid NOT NULL,
                "phone_number" character varying(20) NOT NULL,
                "source" character varying(16) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7494f059cd70202b91d842e1e11" PRIMARY KEY ("incident_id", "phone_number")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "sms_subscription_number_idx" ON "sms_subscription" ("phone_number", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "twilio_webhook" (
                "key" character varying(200) NOT NULL,
                "idempotency_token" character varying(200),
                "response" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ab396fa0756ca0f9c0202727ba6" PRIMARY KEY ("key")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_363c9e5f1f6b5d2a5f2e2cf3a0" ON "twilio_webhook" ("idempotency_token")
            WHERE idempotency_token IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_804bc20a82c6889a0de4b509a3" ON "twilio_webhook" ("created_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "outbound_sms"
            ADD "status_callback" text
        `);
    await queryRunner.query(`
            ALTER TABLE "site_phone_number"
            ADD CONSTRAINT "FK_985062167dd5420e9a35803a4d6" FOREIGN KEY ("site_id") REFERENCES "site"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "inbound_sms"
            ADD CONSTRAINT "FK_b31e90faea177770640de7eca9f" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "phone_call"
            ADD CONSTRAINT "FK_18e5d466e9e57fb0eb03cc99084" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "sms_subscription"
            ADD CONSTRAINT "FK_e9151b34028e53a051ba66b5c81" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "sms_subscription" DROP CONSTRAINT "FK_e9151b34028e53a051ba66b5c81"
        `);
    await queryRunner.query(`
            ALTER TABLE "phone_call" DROP CONSTRAINT "FK_18e5d466e9e57fb0eb03cc99084"
        `);
    await queryRunner.query(`
            ALTER TABLE "inbound_sms" DROP CONSTRAINT "FK_b31e90faea177770640de7eca9f"
        `);
    await queryRunner.query(`
            ALTER TABLE "site_phone_number" DROP CONSTRAINT "FK_985062167dd5420e9a35803a4d6"
        `);
    await queryRunner.query(`
            ALTER TABLE "outbound_sms" DROP COLUMN "status_callback"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_804bc20a82c6889a0de4b509a3"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_363c9e5f1f6b5d2a5f2e2cf3a0"
        `);
    await queryRunner.query(`
            DROP TABLE "twilio_webhook"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."sms_subscription_number_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "sms_subscription"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."phone_call_started_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."phone_call_open_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_18e5d466e9e57fb0eb03cc9908"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_d118fb68efe271138fc63bc438"
        `);
    await queryRunner.query(`
            DROP TABLE "phone_call"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."inbound_sms_received_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_b31e90faea177770640de7eca9"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_5eeeb02a4c33ccd7e3dea282b8"
        `);
    await queryRunner.query(`
            DROP TABLE "inbound_sms"
        `);
    await queryRunner.query(`
            DROP TABLE "sms_opt_out"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_985062167dd5420e9a35803a4d"
        `);
    await queryRunner.query(`
            DROP TABLE "site_phone_number"
        `);
  }
}
