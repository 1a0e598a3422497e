import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A settled month's report figures per trust, in a form months add up from (`report_month_partial`: counts, sums,
 * each group's minutes for its percentiles, the month's worst breaches), stored with the key of everything they
 * were computed from (src/modules/reporting/queries/month-partials.query.ts); and the indexes that key is read
 * from without the tables' rows: the response clocks by start (the resolution clocks have theirs,
 * incident_sla_resolution_month_idx) and the incidents by reported_at (with what the supplier figures group
 * them by); and the escalations by when they were made
 * (a period's supplier figures read the escalations made since it began); and the running clocks by start (which
 * months, and whose, have not settled). Hand-written in the generated style.
 */
export class ReportMonthPartials1796600000400 implements MigrationInterface {
  name = 'ReportMonthPartials1796600000400';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_month_partial" (
                "month" date NOT NULL,
                "trust_id" uuid NOT NULL,
                "month_key" text NOT NULL,
                "aggregates" jsonb NOT NULL,
                "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_report_month_partial" PRIMARY KEY ("month", "trust_id")
            )
        `);
    await queryRunner.query(
      `CREATE INDEX "incident_sla_response_month_idx" ON "incident_sla" ("started_at") INCLUDE ("updated_at", "stopped_at") WHERE target = 'response'`,
    );
    await queryRunner.query(
      `CREATE INDEX "incident_reported_key_idx" ON "incident" ("reported_at") INCLUDE ("updated_at", "trust_id", "priority", "id")`,
    );
    await queryRunner.query(`CREATE INDEX "escalation_created_idx" ON "escalation" ("created_at")`);
    await queryRunner.query(
      `CREATE INDEX "incident_sla_running_started_idx" ON "incident_sla" ("started_at") WHERE stopped_at IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."incident_sla_running_started_idx"`);
    await queryRunner.query(`DROP INDEX "public"."escalation_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."incident_reported_key_idx"`);
    await queryRunner.query(`DROP INDEX "public"."incident_sla_response_month_idx"`);
    await queryRunner.query(`DROP TABLE "report_month_partial"`);
  }
}
