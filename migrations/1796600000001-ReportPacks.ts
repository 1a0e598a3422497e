import { MigrationInterface, QueryRunner } from 'typeorm';

/** Frozen monthly SLA report packs per trust, versioned (`report_pack`). Hand-written in the generated style. */
export class ReportPacks1796600000001 implements MigrationInterface {
  name = 'ReportPacks1796600000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_pack" (
                "id" BIGSERIAL NOT NULL,
                "trust_id" uuid NOT NULL,
                "month" character varying(7) NOT NULL,
                "version" integer NOT NULL,
                "report" jsonb NOT NULL,
                "csv" text NOT NULL,
                "config_version" text NOT NULL,
                "hash" character varying(64) NOT NULL,
                "frozen_by" character varying(320) NOT NULL,
                "frozen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_report_pack" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "report_pack_trust_month_version_idx" ON "report_pack" ("trust_id", "month", "version")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "report_pack"`);
  }
}
