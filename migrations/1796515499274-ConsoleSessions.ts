import { MigrationInterface, QueryRunner } from 'typeorm';

export class ConsoleSessions1796515499274 implements MigrationInterface {
  name = 'ConsoleSessions1796515499274';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "console_session" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "token_hash" character(64) NOT NULL,
                "user_id" uuid NOT NULL,
                "csrf_token" character varying(64) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_de017bbd4b96ce481ef2729ad1a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_d2489983f3903a6c92782d0d0e" ON "console_session" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_86396e1b9cdd87aa5e1e979bd6" ON "console_session" ("user_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_6ae8f7e12613f4891d49a1c225" ON "console_session" ("expires_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "console_session"
            ADD CONSTRAINT "FK_86396e1b9cdd87aa5e1e979bd66" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "console_session" DROP CONSTRAINT "FK_86396e1b9cdd87aa5e1e979bd66"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_6ae8f7e12613f4891d49a1c225"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_86396e1b9cdd87aa5e1e979bd6"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_d2489983f3903a6c92782d0d0e"
        `);
    await queryRunner.query(`
            DROP TABLE "console_session"
        `);
  }
}
