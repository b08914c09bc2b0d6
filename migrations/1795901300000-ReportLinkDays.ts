import { MigrationInterface, QueryRunner } from 'typeorm';
import { resetReportAggregates } from './report-aggregates-reset';

/**
 * Issue 8: each redemption's link to its statement also carries its order and Paris day recorded, so
 * counting a payout's redemptions reads the links alone (a join with `report_redemption` inside the
 * consumer's transaction was planned from stale statistics). The aggregates are rebuilt from the log.
 */

export class ReportLinkDays1795901300000 implements MigrationInterface {
  name = 'ReportLinkDays1795901300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await resetReportAggregates(queryRunner);
    await queryRunner.query(`
            ALTER TABLE "report_redemption_statement"
            ADD "order_id" uuid NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "report_redemption_statement"
            ADD "recorded_on" date NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "report_redemption_statement" DROP COLUMN "recorded_on"
        `);
    await queryRunner.query(`
            ALTER TABLE "report_redemption_statement" DROP COLUMN "order_id"
        `);
  }
}
