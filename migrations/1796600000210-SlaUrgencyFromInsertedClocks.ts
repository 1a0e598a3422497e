import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The urgency of a set of clocks `s` (as sla_urgency_refresh computes it). */
const URGENCY = (
  s: string,
) => `CASE WHEN bool_and(${s}.stopped_at IS NOT NULL) THEN '9999-12-31T23:59:59.999Z'::timestamptz
                ELSE coalesce(min(${s}.due_at) FILTER (WHERE ${s}.stopped_at IS NULL AND NOT ${s}.paused),
                              '9999-12-31T00:00:00Z'::timestamptz) END`;

/**
 * sla_urgency after an INSERT on incident_sla, without reading the clocks back: an incident with no urgency row yet
 * is a new one, whose clocks are all in the statement's new rows (a create writes both in one statement), so its
 * urgency comes from those rows alone; an incident that has one gained a clock beside others, and its urgency is
 * computed again from all its clocks, as before. The create statement was paying for the read back of every new
 * clock (profiled: the trigger was about a quarter of the statement's time). The UPDATE trigger is unchanged.
 * Hand-written.
 */
export class SlaUrgencyFromInsertedClocks1796600000210 implements MigrationInterface {
  name = 'SlaUrgencyFromInsertedClocks1796600000210';

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
    await queryRunner.query(`DROP TRIGGER "sla_urgency_after_insert" ON "incident_sla"`);
    await queryRunner.query(`
            CREATE TRIGGER "sla_urgency_after_insert" AFTER INSERT ON "incident_sla"
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION sla_urgency_inserted()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "sla_urgency_after_insert" ON "incident_sla"`);
    await queryRunner.query(`
            CREATE TRIGGER "sla_urgency_after_insert" AFTER INSERT ON "incident_sla"
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION sla_urgency_refresh()
        `);
    await queryRunner.query(`DROP FUNCTION sla_urgency_inserted()`);
  }
}
