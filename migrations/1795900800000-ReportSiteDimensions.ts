import { MigrationInterface, QueryRunner } from 'typeorm';
import { resetReportAggregates } from './report-aggregates-reset';

/**
 * Issue 8, ADR 16: the service category of a redemption and the site of a statement, for the
 * funnel by site, category, commune and department. The aggregates are emptied and rebuilt from the log.
 */

export class ReportSiteDimensions1795900800000 implements MigrationInterface {
  name = 'ReportSiteDimensions1795900800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "report_redemption"
            ADD "service_category_code" text
        `);
    await queryRunner.query(`
            ALTER TABLE "report_statement_order"
            ADD "site_id" uuid
        `);
    await resetReportAggregates(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "report_statement_order" DROP COLUMN "site_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "report_redemption" DROP COLUMN "service_category_code"
        `);
  }
}
