import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether a sent report carried its CSV (`report_delivery.csv_attached`): a CSV larger than the mail may carry
 * (REPORT_MAIL_MAX_BYTES) is left out and the mail links to the report page instead. Null for a skipped run; the
 * runs sent before this column all carried theirs. Hand-written in the generated style.
 */
export class ReportDeliveryCsvAttached1796600000310 implements MigrationInterface {
  name = 'ReportDeliveryCsvAttached1796600000310';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "report_delivery" ADD "csv_attached" boolean`);
    await queryRunner.query(`UPDATE "report_delivery" SET "csv_attached" = true WHERE "status" = 'sent'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "report_delivery" DROP COLUMN "csv_attached"`);
  }
}
