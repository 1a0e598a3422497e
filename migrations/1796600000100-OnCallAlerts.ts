import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * P1 alerts to the on-call numbers of the incident's service: `outbound_sms.purpose` marks a text the desk sends
 * once per incident (`on_call_p1`), and a unique index keeps one row per incident, purpose and number. Hand-written.
 */
export class OnCallAlerts1796600000100 implements MigrationInterface {
  name = 'OnCallAlerts1796600000100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbound_sms" ADD "purpose" character varying(32)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "outbound_sms_purpose_once_idx" ON "outbound_sms" ("incident_id", "purpose", "to_number") WHERE purpose IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."outbound_sms_purpose_once_idx"`);
    await queryRunner.query(`ALTER TABLE "outbound_sms" DROP COLUMN "purpose"`);
  }
}
