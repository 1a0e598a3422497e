import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Hand-written: the audit log refuses UPDATE and DELETE in the database itself, whatever the caller. */
export class AuditAppendOnly1795607900000 implements MigrationInterface {
  name = 'AuditAppendOnly1795607900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION audit_entry_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entry
      FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_is_append_only()
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER audit_entry_append_only ON audit_entry');
    await queryRunner.query('DROP FUNCTION audit_entry_is_append_only()');
  }
}
