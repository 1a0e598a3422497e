import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Resolution SLA met and breached per trust for each ended month (`report_month_figures`, one row per month of
 * Europe/London), stored by the reports' 12-month chart with the key of the month's clocks they were counted from
 * (src/modules/reporting/queries/monthly-sla.query.ts); and the index that key is read from: the resolution clocks
 * by start, with the columns the key and settles_at need, so a year of keys is read from the index alone.
 * Hand-written in the generated style.
 */
export class ReportMonthFigures1796600000300 implements MigrationInterface {
  name = 'ReportMonthFigures1796600000300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_month_figures" (
                "month" date NOT NULL,
                "clocks_key" text NOT NULL,
                "settles_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "figures" jsonb NOT NULL,
                "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_report_month_figures" PRIMARY KEY ("month")
            )
        `);
    await queryRunner.query(
      `CREATE INDEX "incident_sla_resolution_month_idx" ON "incident_sla" ("started_at") INCLUDE ("updated_at", "due_at", "met_at", "stopped_at", "breached_at", "paused") WHERE target = 'resolution'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."incident_sla_resolution_month_idx"`);
    await queryRunner.query(`DROP TABLE "report_month_figures"`);
  }
}
