import { MigrationInterface, QueryRunner } from 'typeorm';

export class IncidentListIndexes1795608800086 implements MigrationInterface {
  name = 'IncidentListIndexes1795608800086';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."IDX_87c1809e4e158aaf9982d3270d"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."incident_reported_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."incident_trust_reported_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."incident_queue_idx"
        `);
    await queryRunner.query(`
            CREATE INDEX "incident_open_queue_idx" ON "incident" ("priority", "reported_at", "id")
            WHERE status IN (
                    'new',
                    'assigned',
                    'in_progress',
                    'awaiting_caller',
                    'awaiting_supplier'
                )
        `);
    await queryRunner.query(`
            CREATE INDEX "incident_status_reported_idx" ON "incident" ("status", "reported_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "incident_class_reported_idx" ON "incident" ("site_class_code", "reported_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "incident_trust_reported_idx" ON "incident" ("trust_id", "reported_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "incident_reported_idx" ON "incident" ("reported_at", "id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."incident_reported_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."incident_trust_reported_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."incident_class_reported_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."incident_status_reported_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."incident_open_queue_idx"
        `);
    await queryRunner.query(`
            CREATE INDEX "incident_queue_idx" ON "incident" USING btree ("status", "priority", "reported_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "incident_trust_reported_idx" ON "incident" USING btree ("trust_id", "reported_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "incident_reported_idx" ON "incident" USING btree ("reported_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_87c1809e4e158aaf9982d3270d" ON "incident" USING btree ("site_class_code")
        `);
  }
}
