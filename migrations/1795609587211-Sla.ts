import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * SLA engine tables, and the defaults they start with (hand-written data; the tables' DROP removes it again).
 * The values are a snapshot of src/modules/sla/domain/{calendars,sla-targets}.ts when this migration was written:
 * a migration must not change meaning when the code moves on.
 *
 * Policies: P1 names the 24x7 calendar (forced round the clock); P2-P4 leave calendar_code NULL, meaning "the site
 * class's calendar" (site_class.calendar_code: hospital, mental_health, prison 24x7; community_health gp_core;
 * other office). One business day is that calendar's normal open day: 1440, 630 or 480 minutes.
 */
const WEEKDAYS_ONLY = (open: string, close: string) =>
  JSON.stringify({
    1: [{ open, close }],
    2: [{ open, close }],
    3: [{ open, close }],
    4: [{ open, close }],
    5: [{ open, close }],
    6: [],
    7: [],
  });
const ALL_DAY = JSON.stringify(
  Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ open: '00:00', close: '24:00' }]])),
);
const CALENDARS: [string, string, string, boolean][] = [
  ['24x7', 'Round the clock (no holidays)', ALL_DAY, false],
  ['gp_core', 'GP core hours 08:00-18:30 Mon-Fri', WEEKDAYS_ONLY('08:00', '18:30'), true],
  ['office', 'Office hours 09:00-17:00 Mon-Fri', WEEKDAYS_ONLY('09:00', '17:00'), true],
];
const DAY: Record<string, number> = {
  hospital: 1440,
  community_health: 630,
  mental_health: 1440,
  prison: 1440,
  other: 480,
};

async function seedDefaults(queryRunner: QueryRunner): Promise<void> {
  for (const [code, name, week, bankHolidays] of CALENDARS) {
    await queryRunner.query(
      `INSERT INTO "sla_calendar" ("code", "name", "zone", "week", "bank_holidays") VALUES ($1, $2, 'Europe/London', $3::jsonb, $4) ON CONFLICT DO NOTHING`,
      [code, name, week, bankHolidays],
    );
  }
  for (const [siteClass, day] of Object.entries(DAY)) {
    const rows: [string, string | null, number, number][] = [
      ['P1', '24x7', 15, 240],
      ['P2', null, 30, 480],
      ['P3', null, 120, 3 * day],
      ['P4', null, day, 10 * day],
    ];
    for (const [priority, calendar, response, resolution] of rows) {
      await queryRunner.query(
        `WITH v AS (
                   INSERT INTO "sla_policy_version" ("site_class_code", "priority", "calendar_code", "response_minutes", "resolution_minutes", "changed_by", "reason")
                   VALUES ($1, $2, $3, $4, $5, 'system', 'default policy') RETURNING id)
                 INSERT INTO "sla_policy" ("site_class_code", "priority", "calendar_code", "response_minutes", "resolution_minutes", "version_id")
                 SELECT $1, $2, $3, $4, $5, id FROM v ON CONFLICT DO NOTHING`,
        [siteClass, priority, calendar, response, resolution],
      );
    }
  }
}

export class Sla1795609587211 implements MigrationInterface {
  name = 'Sla1795609587211';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "incident_sla" (
                "incident_id" uuid NOT NULL,
                "target" character varying(16) NOT NULL,
                "policy_version_id" bigint,
                "calendar_code" character varying(32) NOT NULL,
                "target_minutes" integer NOT NULL,
                "started_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "met_at" TIMESTAMP WITH TIME ZONE,
                "stopped_at" TIMESTAMP WITH TIME ZONE,
                "breached_at" TIMESTAMP WITH TIME ZONE,
                "paused" boolean NOT NULL DEFAULT false,
                "elapsed_ms" bigint NOT NULL,
                "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "next_check_at" TIMESTAMP WITH TIME ZONE,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7404f69ea75cc4080c8c05b71e2" PRIMARY KEY ("incident_id", "target")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "incident_sla_running_due_idx" ON "incident_sla" ("due_at")
            WHERE stopped_at IS NULL
                AND NOT paused
        `);
    await queryRunner.query(`
            CREATE INDEX "incident_sla_next_check_idx" ON "incident_sla" ("next_check_at")
            WHERE next_check_at IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "outbound_sms" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "incident_id" uuid,
                "to_number" character varying(20) NOT NULL,
                "body" character varying(320) NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT '0',
                "last_error" text,
                "provider_id" character varying(64),
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_85c3ee45304e16c595f97875fca" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_e12a2c49e68bcebf0bc4470070" ON "outbound_sms" ("incident_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "outbound_sms_pending_idx" ON "outbound_sms" ("next_attempt_at")
            WHERE status = 'pending'
        `);
    await queryRunner.query(`
            CREATE TABLE "sla_calendar" (
                "code" character varying(32) NOT NULL,
                "name" character varying(100) NOT NULL,
                "zone" character varying(64) NOT NULL DEFAULT 'Europe/London',
                "week" jsonb NOT NULL,
                "bank_holidays" boolean NOT NULL DEFAULT true,
                "version" integer NOT NULL DEFAULT '1',
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_304f6a8d21bbcdb481a55b3a4d7" PRIMARY KEY ("code")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "sla_event" (
                "incident_id" uuid NOT NULL,
                "target" character varying(16) NOT NULL,
                "threshold" numeric(5, 4) NOT NULL,
                "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "fired_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_a2f89c3bf6787a5190cb4edf6b1" PRIMARY KEY ("incident_id", "target", "threshold")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "sla_holiday_override" (
                "date" date NOT NULL,
                "action" character varying(8) NOT NULL,
                "name" character varying(200) NOT NULL,
                "changed_by" character varying(320) NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_39acb63d646f19df9a28147819c" PRIMARY KEY ("date")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "sla_policy_version" (
                "id" BIGSERIAL NOT NULL,
                "site_class_code" character varying(32) NOT NULL,
                "priority" character varying(2) NOT NULL,
                "calendar_code" character varying(32),
                "response_minutes" integer NOT NULL,
                "resolution_minutes" integer NOT NULL,
                "changed_by" character varying(320) NOT NULL,
                "reason" text,
                "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_c63abf42fba029f23f4992d2699" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "sla_policy_version_key_idx" ON "sla_policy_version" ("site_class_code", "priority", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "sla_policy" (
                "site_class_code" character varying(32) NOT NULL,
                "priority" character varying(2) NOT NULL,
                "calendar_code" character varying(32),
                "response_minutes" integer NOT NULL,
                "resolution_minutes" integer NOT NULL,
                "version_id" bigint NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_095615c75f10bab3d8dd39fdbfb" PRIMARY KEY ("site_class_code", "priority")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "incident_sla"
            ADD CONSTRAINT "FK_510a22126501e92aa4cb5a81d88" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "sla_event"
            ADD CONSTRAINT "FK_8450516e07e1dddb96d917df22c" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await seedDefaults(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "sla_event" DROP CONSTRAINT "FK_8450516e07e1dddb96d917df22c"
        `);
    await queryRunner.query(`
            ALTER TABLE "incident_sla" DROP CONSTRAINT "FK_510a22126501e92aa4cb5a81d88"
        `);
    await queryRunner.query(`
            DROP TABLE "sla_policy"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."sla_policy_version_key_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "sla_policy_version"
        `);
    await queryRunner.query(`
            DROP TABLE "sla_holiday_override"
        `);
    await queryRunner.query(`
            DROP TABLE "sla_event"
        `);
    await queryRunner.query(`
            DROP TABLE "sla_calendar"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."outbound_sms_pending_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_e12a2c49e68bcebf0bc4470070"
        `);
    await queryRunner.query(`
            DROP TABLE "outbound_sms"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."incident_sla_next_check_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."incident_sla_running_due_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "incident_sla"
        `);
  }
}
