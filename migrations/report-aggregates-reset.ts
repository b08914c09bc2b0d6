import { QueryRunner } from 'typeorm';

/**
 * Empties every report aggregate table that exists when the migration runs (all `report_*` tables,
 * read from the catalogue, so the helper needs no list that later migrations would outgrow) and the
 * consumer's progress: the consumer rebuilds them from the sealed audit log within seconds (ADR 16).
 * For migrations that change the shape of a derived table, so older rows get the new columns too.
 */
export async function resetReportAggregates(queryRunner: QueryRunner): Promise<void> {
  const tables = (await queryRunner.query(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'report\\_%' ORDER BY tablename`,
  )) as { name: string }[];
  for (const { name } of tables) await queryRunner.query(`DELETE FROM "${name}"`);
}
