import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * incident.public_search_vector: the search vector without internal notes, for readers outside the desk. Filled
 * for existing incidents from their texts (hand-written backfill; `down` drops the column and its index).
 */
export class PublicSearchVector1796519620300 implements MigrationInterface {
  name = 'PublicSearchVector1796519620300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "incident" ADD "public_search_vector" tsvector`);
    await queryRunner.query(`
      UPDATE incident i SET public_search_vector = to_tsvector('english', i.summary || ' ' || i.description || ' ' ||
        coalesce((SELECT string_agg(e.body, ' ' ORDER BY e.id) FROM incident_event e
                  WHERE e.incident_id = i.id AND e.body IS NOT NULL AND e.kind <> 'internal_note'), ''))`);
    await queryRunner.query(
      `CREATE INDEX "incident_public_search_idx" ON "incident" USING GIN ("public_search_vector")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."incident_public_search_idx"`);
    await queryRunner.query(`ALTER TABLE "incident" DROP COLUMN "public_search_vector"`);
  }
}
