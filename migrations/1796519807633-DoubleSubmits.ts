import { MigrationInterface, QueryRunner } from 'typeorm';

/** Double submits make one incident: the public form's sent forms, and the API's Idempotency-Keys. */
export class DoubleSubmits1796519807633 implements MigrationInterface {
  name = 'DoubleSubmits1796519807633';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "report_submission" (
        "token_hash" character(64) NOT NULL,
        "incident_id" uuid NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_report_submission" PRIMARY KEY ("token_hash")
      )`);
    await queryRunner.query(
      `CREATE INDEX "report_submission_created_idx" ON "report_submission" ("created_at")`,
    );
    await queryRunner.query(`
      CREATE TABLE "api_idempotency" (
        "user_id" uuid NOT NULL,
        "key" character varying(255) NOT NULL,
        "request_hash" character(64) NOT NULL,
        "incident_id" uuid NOT NULL,
        "response" jsonb,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_api_idempotency" PRIMARY KEY ("user_id", "key")
      )`);
    await queryRunner.query(`CREATE INDEX "api_idempotency_created_idx" ON "api_idempotency" ("created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "api_idempotency"`);
    await queryRunner.query(`DROP TABLE "report_submission"`);
  }
}
