import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scheduled report delivery: subscriptions (`report_subscription`), the log of every run's decision, one row per
 * (subscription, period) (`report_delivery`), and attachments of outbound mail (`outbound_attachment`).
 * Hand-written in the generated style.
 */
export class ReportDelivery1796600000002 implements MigrationInterface {
  name = 'ReportDelivery1796600000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_subscription" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "trust_id" uuid,
                "frequency" character varying(8) NOT NULL,
                "day_of_week" smallint,
                "day_of_month" smallint,
                "time_of_day" character varying(5) NOT NULL,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_report_subscription" PRIMARY KEY ("id"),
                CONSTRAINT "CHK_report_subscription_day" CHECK (
                    ("frequency" = 'weekly' AND "day_of_week" BETWEEN 1 AND 7 AND "day_of_month" IS NULL)
                    OR ("frequency" = 'monthly' AND "day_of_month" BETWEEN 1 AND 28 AND "day_of_week" IS NULL)),
                CONSTRAINT "FK_report_subscription_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE,
                CONSTRAINT "FK_report_subscription_trust" FOREIGN KEY ("trust_id") REFERENCES "trust"("id") ON DELETE CASCADE
            )
        `);
    await queryRunner.query(
      `CREATE INDEX "report_subscription_user_idx" ON "report_subscription" ("user_id")`,
    );
    await queryRunner.query(`
            CREATE TABLE "report_delivery" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "subscription_id" uuid NOT NULL,
                "period_start" TIMESTAMP WITH TIME ZONE NOT NULL,
                "period_from" date NOT NULL,
                "period_to" date NOT NULL,
                "status" character varying(16) NOT NULL,
                "reason" character varying(64),
                "outbound_message_id" uuid,
                "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_report_delivery" PRIMARY KEY ("id")
            )
        `);
    // The idempotency key: one decision per subscription and period, whatever the queue delivers twice.
    await queryRunner.query(`
            CREATE UNIQUE INDEX "report_delivery_subscription_period_idx" ON "report_delivery" ("subscription_id", "period_start")
        `);
    await queryRunner.query(`
            CREATE TABLE "outbound_attachment" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "outbound_message_id" uuid NOT NULL,
                "position" smallint NOT NULL,
                "filename" character varying(255) NOT NULL,
                "content_type" character varying(127) NOT NULL,
                "content_id" character varying(255),
                "content" bytea NOT NULL,
                CONSTRAINT "PK_outbound_attachment" PRIMARY KEY ("id"),
                CONSTRAINT "FK_outbound_attachment_message" FOREIGN KEY ("outbound_message_id") REFERENCES "outbound_message"("id") ON DELETE CASCADE
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "outbound_attachment_message_position_idx" ON "outbound_attachment" ("outbound_message_id", "position")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "outbound_attachment"`);
    await queryRunner.query(`DROP TABLE "report_delivery"`);
    await queryRunner.query(`DROP TABLE "report_subscription"`);
  }
}
