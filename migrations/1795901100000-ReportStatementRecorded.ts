import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess } from '../libs/db/src/grants';
import { resetReportAggregates } from './report-aggregates-reset';

/**
 * Issue 8, ADR 16: a statement's redemptions per order and day of recording (from
 * `settlement.statement_issued` v3), for the recorded → payout paid latency. The aggregates are
 * emptied and rebuilt from the log.
 */

export class ReportStatementRecorded1795901100000 implements MigrationInterface {
  name = 'ReportStatementRecorded1795901100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_statement_recorded" (
                "statement_id" uuid NOT NULL,
                "order_id" uuid NOT NULL,
                "recorded_on" date NOT NULL,
                "redemptions" integer NOT NULL,
                "leaf_index" bigint NOT NULL,
                CONSTRAINT "PK_baec9bcdb93ad5430c7a2e2217f" PRIMARY KEY ("statement_id", "order_id", "recorded_on")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_statement_recorded_order_idx" ON "report_statement_recorded" ("order_id")
        `);
    await grantAppAccess(queryRunner, 'report_statement_recorded', 'read-write');
    await resetReportAggregates(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."report_statement_recorded_order_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_statement_recorded"
        `);
  }
}
