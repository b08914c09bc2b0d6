import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess } from '../libs/db/src/grants';
import { resetReportAggregates } from './report-aggregates-reset';

/**
 * Issue 8, ADR 16: the time to first use from a per-booklet summary and a small count table instead
 * of joining every hand-over with every redemption at report time; the booklet indexes the consumer
 * refreshes them by. The aggregates are emptied and rebuilt from the log.
 */

export class ReportFirstUse1795900900000 implements MigrationInterface {
  name = 'ReportFirstUse1795900900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_booklet_use" (
                "booklet_id" uuid NOT NULL,
                "order_id" uuid NOT NULL,
                "handed_on" date NOT NULL,
                "first_used_on" date,
                "simple" boolean NOT NULL,
                CONSTRAINT "PK_b71e473fa8cdc19b322ecf6d58d" PRIMARY KEY ("booklet_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_booklet_use_complex_idx" ON "report_booklet_use" ("booklet_id")
            WHERE NOT simple
        `);
    await queryRunner.query(`
            CREATE TABLE "report_first_use" (
                "order_id" uuid NOT NULL,
                "ready_on" date NOT NULL,
                "days" integer NOT NULL,
                "booklets" integer NOT NULL,
                CONSTRAINT "PK_536cbd8834a01328d3d120be92f" PRIMARY KEY ("order_id", "ready_on", "days")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_redemption_booklet_idx" ON "report_redemption" ("booklet_id")
            WHERE booklet_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "report_funnel_step_booklet_idx" ON "report_funnel_step" ("booklet_id")
            WHERE booklet_id IS NOT NULL
        `);
    await grantAppAccess(queryRunner, 'report_booklet_use', 'read-write');
    await grantAppAccess(queryRunner, 'report_first_use', 'read-write');
    await resetReportAggregates(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."report_funnel_step_booklet_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."report_redemption_booklet_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_first_use"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."report_booklet_use_complex_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_booklet_use"
        `);
  }
}
