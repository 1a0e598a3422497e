import { MigrationInterface, QueryRunner } from 'typeorm';

export class UserSessions1796515643250 implements MigrationInterface {
  name = 'UserSessions1796515643250';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "login_throttle" (
                "key" character varying(64) NOT NULL,
                "hits" integer NOT NULL,
                "window_ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_14c03bac82292a8310c54cb98d0" PRIMARY KEY ("key")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "login_throttle_window_ends_idx" ON "login_throttle" ("window_ends_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "app_user"
            ADD "token_version" integer NOT NULL DEFAULT '0'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "app_user" DROP COLUMN "token_version"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."login_throttle_window_ends_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "login_throttle"
        `);
  }
}
