import { MigrationInterface, QueryRunner } from 'typeorm';

export class IncidentTrustStatusIndex1796186572252 implements MigrationInterface {
  name = 'IncidentTrustStatusIndex1796186572252';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "incident_trust_status_reported_idx" ON "incident" ("trust_id", "status", "reported_at", "id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."incident_trust_status_reported_idx"
        `);
  }
}
