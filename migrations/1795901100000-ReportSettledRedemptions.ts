import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess } from '../libs/db/src/grants';
import { resetReportAggregates } from './report-aggregates-reset';

/**
 * Issue 8: the latency "redemption recorded → payout paid". Each redemption's recording instant, the
 * runs' cutoffs and the statements, from which the consumer derives which statement settled each
 * redemption and counts them per day recorded and day paid. The aggregates are emptied first (the new
 * column is required) and rebuilt from the log.
 */

export class ReportSettledRedemptions1795901100000 implements MigrationInterface {
  name = 'ReportSettledRedemptions1795901100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await resetReportAggregates(queryRunner);
    await queryRunner.query(`
            CREATE TABLE "report_settlement_run" (
                "run_id" uuid NOT NULL,
                "cutoff" TIMESTAMP WITH TIME ZONE NOT NULL,
                "leaf_index" bigint NOT NULL,
                CONSTRAINT "PK_d7602d7e711ab549f949090cea3" PRIMARY KEY ("run_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "report_statement" (
                "statement_id" uuid NOT NULL,
                "run_id" uuid NOT NULL,
                "site_id" uuid NOT NULL,
                "issued_on" date NOT NULL,
                "leaf_index" bigint NOT NULL,
                CONSTRAINT "PK_502ae2b5c24aec79b197c3c6bff" PRIMARY KEY ("statement_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "report_redemption_statement" (
                "redemption_id" uuid NOT NULL,
                "statement_id" uuid NOT NULL,
                CONSTRAINT "PK_29b1905e0d0e82fe14c3d0ea8b2" PRIMARY KEY ("redemption_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_redemption_statement_statement_idx" ON "report_redemption_statement" ("statement_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "report_redemption_paid" (
                "order_id" uuid NOT NULL,
                "recorded_on" date NOT NULL,
                "paid_on" date NOT NULL,
                "on_date" date NOT NULL,
                "redemptions" bigint NOT NULL,
                CONSTRAINT "PK_52372b63ebcfbf95f518acb8e75" PRIMARY KEY ("order_id", "recorded_on", "paid_on", "on_date")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_redemption_paid_order_idx" ON "report_redemption_paid" ("order_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "report_redemption"
            ADD "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "report_redemption_site_recorded_idx" ON "report_redemption" ("site_id", "recorded_at")
        `);
    for (const table of ['report_settlement_run', 'report_statement', 'report_redemption_statement', 'report_redemption_paid']) {
      await grantAppAccess(queryRunner, table, 'read-write');
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."report_redemption_site_recorded_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "report_redemption" DROP COLUMN "recorded_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."report_redemption_paid_order_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_redemption_paid"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."report_redemption_statement_statement_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_redemption_statement"
        `);
    await queryRunner.query(`
            DROP TABLE "report_statement"
        `);
    await queryRunner.query(`
            DROP TABLE "report_settlement_run"
        `);
  }
}
