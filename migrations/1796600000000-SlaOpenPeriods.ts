import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Business-open periods per calendar as rows (`sla_open_period`), written per calendar and year from the domain
 * calendar (`sla_open_period_year` records which calendar version each year was written from), so reports
 * measure business time in SQL; an index on stopped clocks for the reports' backlog. Hand-written in the generated style.
 */
export class SlaOpenPeriods1796600000000 implements MigrationInterface {
  name = 'SlaOpenPeriods1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "sla_open_period" (
                "calendar_code" character varying(32) NOT NULL,
                "opens_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "closes_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_sla_open_period" PRIMARY KEY ("calendar_code", "opens_at")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "sla_open_period_year" (
                "calendar_code" character varying(32) NOT NULL,
                "year" integer NOT NULL,
                "calendar_version" integer NOT NULL,
                CONSTRAINT "PK_sla_open_period_year" PRIMARY KEY ("calendar_code", "year")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "incident_sla_stopped_idx" ON "incident_sla" ("stopped_at") WHERE stopped_at IS NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."incident_sla_stopped_idx"`);
    await queryRunner.query(`DROP TABLE "sla_open_period_year"`);
    await queryRunner.query(`DROP TABLE "sla_open_period"`);
  }
}
