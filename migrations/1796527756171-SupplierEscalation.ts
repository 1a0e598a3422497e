import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Supplier escalation: suppliers' channels (webhook URL and secret, escalation email, reference pattern), their
 * underpinning-contract targets, routing rules, the escalation record's delivery and hand-back columns, the
 * contract clocks (`supplier_clock`) and the inbound updates' idempotency keys (`supplier_update`). Escalations
 * made before this were `open`: they become `sent`. Generated; read and kept as generated, plus that update.
 */
export class SupplierEscalation1796527756171 implements MigrationInterface {
  name = 'SupplierEscalation1796527756171';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "escalation_route" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "service_id" uuid NOT NULL,
                "site_class" character varying(32),
                "priority" character varying(2),
                "supplier_id" uuid NOT NULL,
                "auto_escalate" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3da0401e7d6f48d3960fe6410f4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "escalation_route_match_idx" ON "escalation_route" ("service_id", "site_class", "priority")
        `);
    await queryRunner.query(`
            CREATE TABLE "supplier_clock" (
                "escalation_id" uuid NOT NULL,
                "target" character varying(16) NOT NULL,
                "priority" character varying(2) NOT NULL,
                "calendar_code" character varying(32) NOT NULL,
                "target_minutes" integer NOT NULL,
                "started_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "warn_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "met_at" TIMESTAMP WITH TIME ZONE,
                "warned_at" TIMESTAMP WITH TIME ZONE,
                "breached_at" TIMESTAMP WITH TIME ZONE,
                "next_check_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_be32b0e9157a078555ccbfc3e28" PRIMARY KEY ("escalation_id", "target")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "supplier_clock_due_idx" ON "supplier_clock" ("next_check_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "supplier_contract_target" (
                "supplier_id" uuid NOT NULL,
                "priority" character varying(2) NOT NULL,
                "calendar_code" character varying(32) NOT NULL,
                "acknowledge_minutes" integer NOT NULL,
                "fix_minutes" integer NOT NULL,
                "assumed" boolean NOT NULL DEFAULT true,
                CONSTRAINT "PK_fdc5ace7f5568dae1314b36cbfb" PRIMARY KEY ("supplier_id", "priority")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "supplier_update" (
                "supplier_id" uuid NOT NULL,
                "idempotency_key" character varying(200) NOT NULL,
                "body_hash" character varying(64) NOT NULL,
                "escalation_id" uuid NOT NULL,
                "answer" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_8ed8cdc461cc5f4a2abeb453033" PRIMARY KEY ("supplier_id", "idempotency_key")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "supplier"
            ADD "webhook_url" character varying(500)
        `);
    await queryRunner.query(`
            ALTER TABLE "supplier"
            ADD "webhook_secret" character varying(200)
        `);
    await queryRunner.query(`
            ALTER TABLE "supplier"
            ADD "escalation_email" character varying(320)
        `);
    await queryRunner.query(`
            ALTER TABLE "supplier"
            ADD "reference_pattern" character varying(200)
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation"
            ADD "reason" text NOT NULL DEFAULT ''
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation"
            ADD "created_by_user_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation"
            ADD "created_by_name" character varying(200) NOT NULL DEFAULT ''
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation"
            ADD "channel" character varying(16) NOT NULL DEFAULT 'webhook'
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation"
            ADD "attempts" integer NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation"
            ADD "last_error" character varying(300)
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation"
            ADD "round" integer NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation"
            ADD "sent_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation"
            ADD "acknowledged_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation"
            ADD "resolved_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation"
            ADD "ended_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation"
            ADD "not_ours" boolean NOT NULL DEFAULT false
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation"
            ALTER COLUMN "status"
            SET DEFAULT 'pending'
        `);
    await queryRunner.query(`UPDATE "escalation" SET "status" = 'sent' WHERE "status" = 'open'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "escalation"
            ALTER COLUMN "status"
            SET DEFAULT 'open'
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation" DROP COLUMN "not_ours"
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation" DROP COLUMN "ended_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation" DROP COLUMN "resolved_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation" DROP COLUMN "acknowledged_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation" DROP COLUMN "sent_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation" DROP COLUMN "round"
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation" DROP COLUMN "last_error"
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation" DROP COLUMN "attempts"
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation" DROP COLUMN "channel"
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation" DROP COLUMN "created_by_name"
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation" DROP COLUMN "created_by_user_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "escalation" DROP COLUMN "reason"
        `);
    await queryRunner.query(`
            ALTER TABLE "supplier" DROP COLUMN "reference_pattern"
        `);
    await queryRunner.query(`
            ALTER TABLE "supplier" DROP COLUMN "escalation_email"
        `);
    await queryRunner.query(`
            ALTER TABLE "supplier" DROP COLUMN "webhook_secret"
        `);
    await queryRunner.query(`
            ALTER TABLE "supplier" DROP COLUMN "webhook_url"
        `);
    await queryRunner.query(`
            DROP TABLE "supplier_update"
        `);
    await queryRunner.query(`
            DROP TABLE "supplier_contract_target"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."supplier_clock_due_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "supplier_clock"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."escalation_route_match_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "escalation_route"
        `);
  }
}
