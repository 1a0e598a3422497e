import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who held each clock, stored once an incident's clocks have all stopped (`sla_clock_summary`, see
 * src/modules/sla/sla-clock-summary.ts), so reports read one row per settled incident. No backfill here: the first
 * report over a period measures its settled incidents and stores them, so this migration does not depend on
 * application code that may change later. Hand-written in the generated style.
 */
export class SlaClockSummary1796600000003 implements MigrationInterface {
  name = 'SlaClockSummary1796600000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "sla_clock_summary" (
                "incident_id" uuid NOT NULL,
                "reported_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "clocks_key" text NOT NULL,
                "ever_resolved" boolean NOT NULL,
                "reopened" boolean NOT NULL,
                "response_desk" numeric,
                "response_caller" numeric,
                "response_suppliers" jsonb NOT NULL,
                "response_held_by" text,
                "resolution_desk" numeric,
                "resolution_caller" numeric,
                "resolution_suppliers" jsonb NOT NULL,
                "resolution_held_by" text,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_sla_clock_summary" PRIMARY KEY ("incident_id"),
                CONSTRAINT "FK_sla_clock_summary_incident" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE
            )
        `);
    await queryRunner.query(
      `CREATE INDEX "sla_clock_summary_reported_idx" ON "sla_clock_summary" ("reported_at")`,
    );
    // A period's clocks by the range of its incidents' reported_at (a clock starts when its incident is reported).
    await queryRunner.query(`CREATE INDEX "incident_sla_started_idx" ON "incident_sla" ("started_at")`);
    // The reports' backlog: resolution clocks running across an instant.
    await queryRunner.query(
      `CREATE INDEX "incident_sla_resolution_span_idx" ON "incident_sla" USING gist (tstzrange(started_at, stopped_at, '[]')) WHERE target = 'resolution'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."incident_sla_resolution_span_idx"`);
    await queryRunner.query(`DROP INDEX "public"."incident_sla_started_idx"`);
    await queryRunner.query(`DROP TABLE "sla_clock_summary"`);
  }
}
