import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess } from '../libs/db/src/grants';
import { resetReportAggregates } from './report-aggregates-reset';

/**
 * Issue 8, ADR 16: monthly roll-ups of redemptions per site and per service category, and the time
 * to first use over every order, so the operator's funnel by site dimensions reads thousands of rows
 * instead of every redemption. The aggregates are emptied and rebuilt from the log.
 */

export class ReportRollups1795901000000 implements MigrationInterface {
  name = 'ReportRollups1795901000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_first_use_all" (
                "ready_on" date NOT NULL,
                "days" integer NOT NULL,
                "booklets" integer NOT NULL,
                CONSTRAINT "PK_893206d0b9d654f528f305ac34e" PRIMARY KEY ("ready_on", "days")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "report_redeemed_site_month" (
                "site_id" uuid NOT NULL,
                "month" date NOT NULL,
                "vouchers" bigint NOT NULL,
                "value_cents" bigint NOT NULL,
                CONSTRAINT "PK_3f1a471f2728539182af48c91ee" PRIMARY KEY ("site_id", "month")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "report_redeemed_category_month" (
                "category" text NOT NULL,
                "month" date NOT NULL,
                "vouchers" bigint NOT NULL,
                "value_cents" bigint NOT NULL,
                CONSTRAINT "PK_7ff8e520a31c1b5046d8dfa8434" PRIMARY KEY ("category", "month")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_redemption_day_idx" ON "report_redemption" ("occurred_on")
        `);
    for (const table of ['report_first_use_all', 'report_redeemed_site_month', 'report_redeemed_category_month']) {
      await grantAppAccess(queryRunner, table, 'read-write');
    }
    await resetReportAggregates(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."report_redemption_day_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_redeemed_category_month"
        `);
    await queryRunner.query(`
            DROP TABLE "report_redeemed_site_month"
        `);
    await queryRunner.query(`
            DROP TABLE "report_first_use_all"
        `);
  }
}
