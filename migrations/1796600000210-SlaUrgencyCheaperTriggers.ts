import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The urgency of a set of clocks `s` (as sla_urgency_refresh computes it). */
const URGENCY = (
  s: string,
) => `CASE WHEN bool_and(${s}.stopped_at IS NOT NULL) THEN '9999-12-31T23:59:59.999Z'::timestamptz
                ELSE coalesce(min(${s}.due_at) FILTER (WHERE ${s}.stopped_at IS NULL AND NOT ${s}.paused),
                              '9999-12-31T00:00:00Z'::timestamptz) END`;

/**
 * sla_urgency kept for less:
 * - after an INSERT on incident_sla, without reading the clocks back: an incident with no urgency row yet is a new
 *   one, whose clocks are all in the statement's new rows (a create writes both in one statement), so its urgency
 *   comes from those rows alone; an incident that has one gained a clock beside others, and its urgency is computed
 *   again from all its clocks, as before;
 * - after an UPDATE, only for incidents a clock of which changed what the urgency is made of (due_at, stopped_at,
 *   paused): most writes (a level checked, the next check moved, the elapsed time) change none of it.
 * Profiled: the create statement spent about a quarter of its time in the insert trigger, and the SLA engine's
 * upsert of an incident's clocks took 0.63 ms against 0.17 ms before the table existed. Hand-written.
 */
export class SlaUrgencyCheaperTriggers1796600000210 implements MigrationInterface {
  name = 'SlaUrgencyCheaperTriggers1796600000210';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE FUNCTION sla_urgency_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO sla_urgency (incident_id, urgency)
              SELECT c.incident_id, ${URGENCY('c')}
                FROM changed c
               GROUP BY c.incident_id
              ON CONFLICT (incident_id) DO UPDATE SET urgency = (
                SELECT ${URGENCY('s')} FROM incident_sla s WHERE s.incident_id = EXCLUDED.incident_id);
              RETURN NULL;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE FUNCTION sla_urgency_updated() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO sla_urgency (incident_id, urgency)
              SELECT s.incident_id, ${URGENCY('s')}
                FROM incident_sla s
               WHERE s.incident_id IN (
                       SELECT n.incident_id FROM changed n
                         JOIN prior o ON o.incident_id = n.incident_id AND o.target = n.target
                        WHERE (n.due_at, n.stopped_at, n.paused) IS DISTINCT FROM (o.due_at, o.stopped_at, o.paused))
               GROUP BY s.incident_id
              ON CONFLICT (incident_id) DO UPDATE SET urgency = EXCLUDED.urgency
               WHERE sla_urgency.urgency IS DISTINCT FROM EXCLUDED.urgency;
              RETURN NULL;
            END
            $$
        `);
    await queryRunner.query(`DROP TRIGGER "sla_urgency_after_insert" ON "incident_sla"`);
    await queryRunner.query(`DROP TRIGGER "sla_urgency_after_update" ON "incident_sla"`);
    await queryRunner.query(`
            CREATE TRIGGER "sla_urgency_after_insert" AFTER INSERT ON "incident_sla"
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION sla_urgency_inserted()
        `);
    await queryRunner.query(`
            CREATE TRIGGER "sla_urgency_after_update" AFTER UPDATE ON "incident_sla"
            REFERENCING OLD TABLE AS prior NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION sla_urgency_updated()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "sla_urgency_after_insert" ON "incident_sla"`);
    await queryRunner.query(`DROP TRIGGER "sla_urgency_after_update" ON "incident_sla"`);
    for (const event of ['INSERT', 'UPDATE'])
      await queryRunner.query(`
            CREATE TRIGGER "sla_urgency_after_${event.toLowerCase()}" AFTER ${event} ON "incident_sla"
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION sla_urgency_refresh()
        `);
    await queryRunner.query(`DROP FUNCTION sla_urgency_updated()`);
    await queryRunner.query(`DROP FUNCTION sla_urgency_inserted()`);
  }
}
