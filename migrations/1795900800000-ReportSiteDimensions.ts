import { MigrationInterface, QueryRunner } from 'typeorm';

/** The aggregate tables as of this migration (frozen: later ones do not exist yet when it runs). */
const AGGREGATES = [
  'report_programme',
  'report_announcement',
  'report_funding_source',
  'report_grant',
  'report_grant_amount',
  'report_order',
  'report_order_paid',
  'report_credit_note',
  'report_money_movement',
  'report_programme_dates',
  'report_contract',
  'report_redemption',
  'report_redemption_undone',
  'report_funnel_step',
  'report_statement_order',
  'report_payout_statement',
];

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
    for (const table of AGGREGATES) await queryRunner.query(`DELETE FROM ${table}`);
    await queryRunner.query(`DELETE FROM report_progress`);
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
