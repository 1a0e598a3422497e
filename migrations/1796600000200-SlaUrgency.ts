import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One SLA urgency per incident (`sla_urgency`, the SLA module's): the due time of its next running clock (not paused,
 * not stopped), so a breached clock (due in the past) sorts first; 9999-12-31T00:00Z when none runs (paused);
 * 9999-12-31T23:59:59.999Z when every clock has stopped (resolved, closed, cancelled). Kept by statement-level
 * triggers on incident_sla, so it is written in the statement (and the transaction) that writes the clocks, whatever
 * writes them: the create statement, the engine's upsert, a bulk load in SQL. Indexed (urgency, incident_id) for the
 * queue's keyset order. Hand-written; the backfill gives every existing incident its row.
 */
export class SlaUrgency1796600000200 implements MigrationInterface {
  name = 'SlaUrgency1796600000200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "sla_urgency" (
                "incident_id" uuid NOT NULL,
                "urgency" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_sla_urgency" PRIMARY KEY ("incident_id"),
                CONSTRAINT "FK_sla_urgency_incident" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE
            )
        `);
    await queryRunner.query(
      `CREATE INDEX "sla_urgency_order_idx" ON "sla_urgency" ("urgency", "incident_id")`,
    );
    await queryRunner.query(`
            CREATE FUNCTION sla_urgency_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO sla_urgency (incident_id, urgency)
              SELECT s.incident_id,
                     CASE WHEN bool_and(s.stopped_at IS NOT NULL) THEN '9999-12-31T23:59:59.999Z'::timestamptz
                          ELSE coalesce(min(s.due_at) FILTER (WHERE s.stopped_at IS NULL AND NOT s.paused),
                                        '9999-12-31T00:00:00Z'::timestamptz) END
                FROM incident_sla s
               WHERE s.incident_id IN (SELECT c.incident_id FROM changed c)
               GROUP BY s.incident_id
              ON CONFLICT (incident_id) DO UPDATE SET urgency = EXCLUDED.urgency
               WHERE sla_urgency.urgency IS DISTINCT FROM EXCLUDED.urgency;
              RETURN NULL;
            END
            $$
        `);
    for (const event of ['INSERT', 'UPDATE'])
      await queryRunner.query(`
            CREATE TRIGGER "sla_urgency_after_${event.toLowerCase()}" AFTER ${event} ON "incident_sla"
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION sla_urgency_refresh()
        `);
    // Every incident has a row: those without clocks (none is created so) count as paused.
    await queryRunner.query(`
            INSERT INTO sla_urgency (incident_id, urgency)
            SELECT i.id, coalesce(
                     (SELECT CASE WHEN bool_and(s.stopped_at IS NOT NULL) THEN '9999-12-31T23:59:59.999Z'::timestamptz
                                  ELSE coalesce(min(s.due_at) FILTER (WHERE s.stopped_at IS NULL AND NOT s.paused),
                                                '9999-12-31T00:00:00Z'::timestamptz) END
                        FROM incident_sla s WHERE s.incident_id = i.id),
                     '9999-12-31T00:00:00Z'::timestamptz)
              FROM incident i
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "sla_urgency_after_update" ON "incident_sla"`);
    await queryRunner.query(`DROP TRIGGER "sla_urgency_after_insert" ON "incident_sla"`);
    await queryRunner.query(`DROP FUNCTION sla_urgency_refresh()`);
    await queryRunner.query(`DROP TABLE "sla_urgency"`);
  }
}
