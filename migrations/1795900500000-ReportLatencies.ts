import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess } from '../libs/db/src/grants';

/** Issue 8, ADR 16: what the transparency latencies read — programme dates, contracts, redemptions and undos. */

export class ReportLatencies1795900500000 implements MigrationInterface {
  name = 'ReportLatencies1795900500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_programme_dates" (
                "programme_id" uuid NOT NULL,
                "leaf_index" bigint NOT NULL,
                "laureates_published_on" date,
                CONSTRAINT "PK_7c62f0bc0a1827eac23ca38a785" PRIMARY KEY ("programme_id", "leaf_index")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "report_contract" (
                "contract_id" uuid NOT NULL,
                "funder_id" uuid NOT NULL,
                "published_on" date NOT NULL,
                "notified_on" date NOT NULL,
                "leaf_index" bigint NOT NULL,
                CONSTRAINT "PK_4e19ed5af397d98cbc9f99419e4" PRIMARY KEY ("contract_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_contract_funder_idx" ON "report_contract" ("funder_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "report_redemption" (
                "redemption_id" uuid NOT NULL,
                "order_id" uuid NOT NULL,
                "site_id" uuid NOT NULL,
                "vouchers" integer NOT NULL,
                "amount_cents" bigint NOT NULL,
                "occurred_on" date NOT NULL,
                "leaf_index" bigint NOT NULL,
                CONSTRAINT "PK_521234d4c666f3635a4e70296d7" PRIMARY KEY ("redemption_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_redemption_order_idx" ON "report_redemption" ("order_id", "occurred_on")
        `);
    await queryRunner.query(`
            CREATE TABLE "report_redemption_undone" (
                "redemption_id" uuid NOT NULL,
                "undone_on" date NOT NULL,
                "leaf_index" bigint NOT NULL,
                CONSTRAINT "PK_0536364cca0ee76bed667ed9a43" PRIMARY KEY ("redemption_id")
            )
        `);
    for (const table of ['report_programme_dates', 'report_contract', 'report_redemption', 'report_redemption_undone']) {
      await grantAppAccess(queryRunner, table, 'read-write');
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "report_redemption_undone"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."report_redemption_order_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_redemption"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."report_contract_funder_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_contract"
        `);
    await queryRunner.query(`
            DROP TABLE "report_programme_dates"
        `);
  }
}
