import { MigrationInterface, QueryRunner } from 'typeorm';

export class Incidents1795607796430 implements MigrationInterface {
  name = 'Incidents1795607796430';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "attachment" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "incident_id" uuid NOT NULL,
                "event_id" bigint,
                "filename" character varying(255) NOT NULL,
                "content_type" character varying(127) NOT NULL,
                "size" integer NOT NULL,
                "sha256" character(64) NOT NULL,
                "data" bytea NOT NULL,
                "uploaded_by_user_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d2a80c3a8d467f08a750ac4b420" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "attachment_incident_idx" ON "attachment" ("incident_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "audit_entry" (
                "id" BIGSERIAL NOT NULL,
                "entity_type" character varying(32) NOT NULL,
                "entity_id" uuid NOT NULL,
                "action" character varying(64) NOT NULL,
                "actor_user_id" uuid,
                "actor_label" character varying(320) NOT NULL,
                "changes" jsonb NOT NULL DEFAULT '[]',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_58a130a4b9da189f46ba2a01801" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_entity_idx" ON "audit_entry" ("entity_type", "entity_id", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "escalation" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "incident_id" uuid NOT NULL,
                "supplier_id" uuid NOT NULL,
                "supplier_reference" character varying(100),
                "status" character varying(24) NOT NULL DEFAULT 'open',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2c9a4d9277ed8620a8a72813864" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_835e311598e467dd2002df6b13" ON "escalation" ("incident_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "escalation_supplier_incident_idx" ON "escalation" ("supplier_id", "incident_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "incident" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "number" BIGSERIAL NOT NULL,
                "trust_id" uuid NOT NULL,
                "site_id" uuid NOT NULL,
                "site_class_code" character varying(32) NOT NULL,
                "service_id" uuid NOT NULL,
                "channel" character varying(16) NOT NULL,
                "status" character varying(24) NOT NULL DEFAULT 'new',
                "priority" character varying(2) NOT NULL,
                "impact" character varying(16) NOT NULL,
                "urgency" character varying(8) NOT NULL,
                "priority_overridden" boolean NOT NULL DEFAULT false,
                "priority_reason" text,
                "summary" character varying(200) NOT NULL,
                "description" text NOT NULL,
                "reporter_contact_id" uuid,
                "reporter_name" character varying(200) NOT NULL,
                "reporter_email" character varying(320),
                "reporter_phone" character varying(20),
                "assignee_id" uuid,
                "reported_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "resolved_at" TIMESTAMP WITH TIME ZONE,
                "closed_at" TIMESTAMP WITH TIME ZONE,
                "resolution_code" character varying(32),
                "resolution_notes" text,
                "parent_incident_id" uuid,
                "related_incident_id" uuid,
                "search_vector" tsvector,
                "version" integer NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_be21c4ae5f3f70a9e346a8e9ea6" UNIQUE ("number"),
                CONSTRAINT "PK_5f90b28b0b8238d89ee8edcf96e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_e612bcd7095f58e5be8d6d42df" ON "incident" ("site_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_87c1809e4e158aaf9982d3270d" ON "incident" ("site_class_code")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_d7812ad41056acd7b8dd8a7530" ON "incident" ("service_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_af0d8692bc5b0abd4fc71859fe" ON "incident" ("reporter_contact_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_8417b1889d6395840818c70f04" ON "incident" ("assignee_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "incident_reported_idx" ON "incident" ("reported_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "incident_trust_reported_idx" ON "incident" ("trust_id", "reported_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "incident_queue_idx" ON "incident" ("status", "priority", "reported_at")
        `);
    // Hand-added: TypeORM cannot declare a GIN index (the entity marks it synchronize: false).
    await queryRunner.query(`CREATE INDEX "incident_search_idx" ON "incident" USING GIN ("search_vector")`);
    await queryRunner.query(`
            CREATE TABLE "incident_event" (
                "id" BIGSERIAL NOT NULL,
                "incident_id" uuid NOT NULL,
                "kind" character varying(16) NOT NULL,
                "event_type" character varying(32),
                "body" text,
                "author_user_id" uuid,
                "author_contact_id" uuid,
                "author_name" character varying(200) NOT NULL,
                "data" jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ee6d654432381374612876fc867" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "incident_event_timeline_idx" ON "incident_event" ("incident_id", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "outbound_message" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "incident_id" uuid,
                "template" character varying(64) NOT NULL,
                "to_address" character varying(320) NOT NULL,
                "cc_addresses" text array NOT NULL DEFAULT '{}',
                "subject" character varying(400) NOT NULL,
                "context" jsonb NOT NULL,
                "message_id" character varying(255) NOT NULL,
                "in_reply_to" character varying(255),
                "references" text array NOT NULL DEFAULT '{}',
                "automatic" boolean NOT NULL DEFAULT true,
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT '0',
                "last_error" text,
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_53741fe5d4d5e2cb54dc4a5f446" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_91abe82fd76ecb7ba65b114015" ON "outbound_message" ("incident_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_f0d164175605c712cb5d8ffe77" ON "outbound_message" ("message_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "outbound_pending_idx" ON "outbound_message" ("status", "next_attempt_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "incident"
            ADD CONSTRAINT "FK_c20d3c94dc4448d02c1e1409099" FOREIGN KEY ("trust_id") REFERENCES "trust"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "incident"
            ADD CONSTRAINT "FK_e612bcd7095f58e5be8d6d42df4" FOREIGN KEY ("site_id") REFERENCES "site"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "incident"
            ADD CONSTRAINT "FK_d7812ad41056acd7b8dd8a75303" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "incident"
            ADD CONSTRAINT "FK_af0d8692bc5b0abd4fc71859fe2" FOREIGN KEY ("reporter_contact_id") REFERENCES "contact"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "incident"
            ADD CONSTRAINT "FK_8417b1889d6395840818c70f041" FOREIGN KEY ("assignee_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "incident_event"
            ADD CONSTRAINT "FK_c1f0bc379dcf587065927d87969" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."incident_search_idx"`);
    await queryRunner.query(`
            ALTER TABLE "incident_event" DROP CONSTRAINT "FK_c1f0bc379dcf587065927d87969"
        `);
    await queryRunner.query(`
            ALTER TABLE "incident" DROP CONSTRAINT "FK_8417b1889d6395840818c70f041"
        `);
    await queryRunner.query(`
            ALTER TABLE "incident" DROP CONSTRAINT "FK_af0d8692bc5b0abd4fc71859fe2"
        `);
    await queryRunner.query(`
            ALTER TABLE "incident" DROP CONSTRAINT "FK_d7812ad41056acd7b8dd8a75303"
        `);
    await queryRunner.query(`
            ALTER TABLE "incident" DROP CONSTRAINT "FK_e612bcd7095f58e5be8d6d42df4"
        `);
    await queryRunner.query(`
            ALTER TABLE "incident" DROP CONSTRAINT "FK_c20d3c94dc4448d02c1e1409099"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."outbound_pending_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_f0d164175605c712cb5d8ffe77"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_91abe82fd76ecb7ba65b114015"
        `);
    await queryRunner.query(`
            DROP TABLE "outbound_message"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."incident_event_timeline_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "incident_event"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."incident_queue_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."incident_trust_reported_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."incident_reported_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_8417b1889d6395840818c70f04"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_af0d8692bc5b0abd4fc71859fe"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_d7812ad41056acd7b8dd8a7530"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_87c1809e4e158aaf9982d3270d"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_e612bcd7095f58e5be8d6d42df"
        `);
    await queryRunner.query(`
            DROP TABLE "incident"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."escalation_supplier_incident_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_835e311598e467dd2002df6b13"
        `);
    await queryRunner.query(`
            DROP TABLE "escalation"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_entity_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_entry"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."attachment_incident_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "attachment"
        `);
  }
}
