import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Booklets are updated in bulk (allocation and transfers of whole boxes, tens of thousands of rows
 * in one statement). PostgreSQL's default autovacuum waits for 20 % of a table to be dead, so after
 * allocating 100,000 of 1,000,000 booklets the dead versions stayed, and every hand-over paid for
 * them: walking dead index entries, setting hint bits and pruning pages (measured: 830 hand-overs/s
 * before a vacuum, 1,930/s after, see docs/benchmarks.md). Vacuum the booklet table after 2 % of it
 * changed instead.
 */
export class BookletAutovacuum1795843611733 implements MigrationInterface {
  name = 'BookletAutovacuum1795843611733';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE booklet SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE booklet RESET (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor, autovacuum_vacuum_cost_delay)`,
    );
  }
}
