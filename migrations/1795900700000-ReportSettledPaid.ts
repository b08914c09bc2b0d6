import { MigrationInterface, QueryRunner } from 'typeorm';
import { resetReportAggregates } from './report-aggregates-reset';
import { grantAppAccess } from '../libs/db/src/grants';

/**
 * Issue 8, ADR 16: what statements settle per order and which statements a payout pays (the funnel's
 * settled and paid steps). The aggregates are emptied; the consumer rebuilds them from the log.
 */

export class ReportSettledPaid1795900700000 implements MigrationInterface {
  name = 'ReportSettledPaid1795900700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_statement_order" (
                "statement_id" uuid NOT NULL,
                "order_id" uuid NOT NULL,
                "vouchers" integer NOT NULL,
                "face_value_cents" bigint NOT NULL,
                "issued_on" date NOT NULL,
                "leaf_index" bigint NOT NULL,
                CONSTRAINT "PK_a9ec00bd47beea2e0d61c374025" PRIMARY KEY ("statement_id", "order_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_statement_order_order_idx" ON "report_statement_order" ("order_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "report_payout_statement" (
                "payout_id" uuid NOT NULL,
                "statement_id" uuid NOT NULL,
                "leaf_index" bigint NOT NULL,
                CONSTRAINT "PK_14cfd5bc31ca9a5d3da1c0b6b73" PRIMARY KEY ("payout_id", "statement_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_payout_statement_statement_idx" ON "report_payout_statement" ("statement_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "report_money_movement"
            ADD "payout_id" uuid
        `);
    for (const table of ['report_statement_order', 'report_payout_statement']) await grantAppAccess(queryRunner, table, 'read-write');
    await resetReportAggregates(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "report_money_movement" DROP COLUMN "payout_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."report_payout_statement_statement_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_payout_statement"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."report_statement_order_order_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_statement_order"
        `);
  }
}
