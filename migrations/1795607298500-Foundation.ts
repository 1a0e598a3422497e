import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795607298500 implements MigrationInterface {
  name = 'Foundation1795607298500';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "site_class" (
                "code" character varying(32) NOT NULL,
                "name" character varying(100) NOT NULL,
                "calendar_code" character varying(32) NOT NULL,
                "access_notes" text,
                CONSTRAINT "PK_9bbd3041ffb8693aeef6292cada" PRIMARY KEY ("code")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "trust" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" character varying(16) NOT NULL,
                "name" character varying(200) NOT NULL,
                "kind" character varying(32) NOT NULL,
                "assumed" boolean NOT NULL DEFAULT false,
                "email_domains" text array NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_607c22db046544870f1bdd7fcbe" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_90f646a33a78617ebf333f9365" ON "trust" ("code")
        `);
    await queryRunner.query(`
            CREATE TABLE "site" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" character varying(8) NOT NULL,
                "name" character varying(200) NOT NULL,
                "class_code" character varying(32) NOT NULL,
                "trust_id" uuid NOT NULL,
                "town" character varying(100),
                "access_notes" text,
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_635c0eeabda8862d5b0237b42b4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_56cf02fa98a3b4129ee1b886a9" ON "site" ("code")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_9669a09fcc0eb6d2794a658f64" ON "site" ("name")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_9bbd3041ffb8693aeef6292cad" ON "site" ("class_code")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_039f107688bb13635073f876c8" ON "site" ("trust_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "contact" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" character varying(200) NOT NULL,
                "email" character varying(320),
                "phone" character varying(20),
                "trust_id" uuid,
                "usual_site_id" uuid,
                "verified" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2cbbe00f59ab6b3bb5b8d19f989" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_4142ff97cec17b92ab3d172286" ON "contact" ("email")
            WHERE email IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_f9f62556c7092913f2a0697505" ON "contact" ("phone")
        `);
    await queryRunner.query(`
            CREATE TABLE "supplier" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" character varying(32) NOT NULL,
                "name" character varying(200) NOT NULL,
                "email" character varying(320) NOT NULL,
                "role" character varying(200) NOT NULL DEFAULT '',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2bc0d2cab6276144d2ff98a2828" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_e1183babf2fed1bb440905b1e5" ON "supplier" ("code")
        `);
    await queryRunner.query(`
            CREATE TABLE "service" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" character varying(32) NOT NULL,
                "name" character varying(200) NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "default_supplier_id" uuid,
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_85a21558c006647cd76fdce044b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_4cb3cf237c83885cc504634829" ON "service" ("code")
        `);
    await queryRunner.query(`
            CREATE TABLE "app_secret" (
                "name" character varying(64) NOT NULL,
                "value" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_0bf6fc27bbdc865c8ab90b4ca41" PRIMARY KEY ("name")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "app_user" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" character varying(320) NOT NULL,
                "name" character varying(200) NOT NULL,
                "password_hash" character varying(255) NOT NULL,
                "role" character varying(20) NOT NULL,
                "trust_id" uuid,
                "supplier_id" uuid,
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_3fa909d0e37c531ebc23770339" ON "app_user" ("email")
        `);
    await queryRunner.query(`
            ALTER TABLE "site"
            ADD CONSTRAINT "FK_9bbd3041ffb8693aeef6292cada" FOREIGN KEY ("class_code") REFERENCES "site_class"("code") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "site"
            ADD CONSTRAINT "FK_039f107688bb13635073f876c8e" FOREIGN KEY ("trust_id") REFERENCES "trust"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "contact"
            ADD CONSTRAINT "FK_8c75931aabb0a2e9beb76796ae4" FOREIGN KEY ("trust_id") REFERENCES "trust"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "contact"
            ADD CONSTRAINT "FK_0a52453da3dde37d2c6455f7254" FOREIGN KEY ("usual_site_id") REFERENCES "site"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "service"
            ADD CONSTRAINT "FK_ea6f6d8603919f55478de816e3a" FOREIGN KEY ("default_supplier_id") REFERENCES "supplier"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "app_user"
            ADD CONSTRAINT "FK_72d2bcd144e1ff196e5c4362813" FOREIGN KEY ("trust_id") REFERENCES "trust"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "app_user"
            ADD CONSTRAINT "FK_48085ce5740dea69aa7a9f80729" FOREIGN KEY ("supplier_id") REFERENCES "supplier"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "app_user" DROP CONSTRAINT "FK_48085ce5740dea69aa7a9f80729"
        `);
    await queryRunner.query(`
            ALTER TABLE "app_user" DROP CONSTRAINT "FK_72d2bcd144e1ff196e5c4362813"
        `);
    await queryRunner.query(`
            ALTER TABLE "service" DROP CONSTRAINT "FK_ea6f6d8603919f55478de816e3a"
        `);
    await queryRunner.query(`
            ALTER TABLE "contact" DROP CONSTRAINT "FK_0a52453da3dde37d2c6455f7254"
        `);
    await queryRunner.query(`
            ALTER TABLE "contact" DROP CONSTRAINT "FK_8c75931aabb0a2e9beb76796ae4"
        `);
    await queryRunner.query(`
            ALTER TABLE "site" DROP CONSTRAINT "FK_039f107688bb13635073f876c8e"
        `);
    await queryRunner.query(`
            ALTER TABLE "site" DROP CONSTRAINT "FK_9bbd3041ffb8693aeef6292cada"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_3fa909d0e37c531ebc23770339"
        `);
    await queryRunner.query(`
            DROP TABLE "app_user"
        `);
    await queryRunner.query(`
            DROP TABLE "app_secret"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_4cb3cf237c83885cc504634829"
        `);
    await queryRunner.query(`
            DROP TABLE "service"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_e1183babf2fed1bb440905b1e5"
        `);
    await queryRunner.query(`
            DROP TABLE "supplier"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_f9f62556c7092913f2a0697505"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_4142ff97cec17b92ab3d172286"
        `);
    await queryRunner.query(`
            DROP TABLE "contact"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_039f107688bb13635073f876c8"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_9bbd3041ffb8693aeef6292cad"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_9669a09fcc0eb6d2794a658f64"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_56cf02fa98a3b4129ee1b886a9"
        `);
    await queryRunner.query(`
            DROP TABLE "site"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_90f646a33a78617ebf333f9365"
        `);
    await queryRunner.query(`
            DROP TABLE "trust"
        `);
    await queryRunner.query(`
            DROP TABLE "site_class"
        `);
  }
}
