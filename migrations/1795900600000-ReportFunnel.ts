import { MigrationInterface, QueryRunner } from 'typeorm';
import { resetReportAggregates } from './report-aggregates-reset';
import { grantAppAccess } from '../libs/db/src/grants';

/**
 * Issue 8, ADR 16: the funnel's steps, booklet sizes on report orders, booklets on redemptions. The
 * aggregates are derived: they are emptied here and the consumer rebuilds them from the sealed log,
 * so rows written before these columns existed get them too.
 */

export class ReportFunnel1795900600000 implements MigrationInterface {
  name = 'ReportFunnel1795900600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_funnel_step" (
                "leaf_index" bigint NOT NULL,
                "step" text NOT NULL,
                "order_id" uuid NOT NULL,
                "distributor_id" uuid,
                "booklet_id" uuid,
                "booklets" integer,
                "vouchers" integer,
                "value_cents" bigint,
                "on_date" date NOT NULL,
                CONSTRAINT "PK_3425f91dda1799a1139900c8d98" PRIMARY KEY ("leaf_index", "step")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_funnel_step_order_idx" ON "report_funnel_step" ("order_id", "step")
        `);
    await queryRunner.query(`
            ALTER TABLE "report_order"
            ADD "booklet_count" integer NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "report_order"
            ADD "vouchers_per_booklet" integer NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "report_order"
            ADD "unit_face_value_cents" bigint NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "report_redemption"
            ADD "booklet_id" uuid
        `);
    await grantAppAccess(queryRunner, 'report_funnel_step', 'read-write');
    await resetReportAggregates(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "report_redemption" DROP COLUMN "booklet_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "report_order" DROP COLUMN "unit_face_value_cents"
        `);
    await queryRunner.query(`
            ALTER TABLE "report_order" DROP COLUMN "vouchers_per_booklet"
        `);
    await queryRunner.query(`
            ALTER TABLE "report_order" DROP COLUMN "booklet_count"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."report_funnel_step_order_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_funnel_step"
        `);
  }
}
