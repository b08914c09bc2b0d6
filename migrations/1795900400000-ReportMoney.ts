import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess } from '../libs/db/src/grants';

/** Issue 8, ADR 16: money movements projected from the sealed log (received, fees, credit notes, payouts). */

export class ReportMoney1795900400000 implements MigrationInterface {
  name = 'ReportMoney1795900400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_money_movement" (
                "leaf_index" bigint NOT NULL,
                "kind" text NOT NULL,
                "amount_cents" bigint NOT NULL,
                "on_date" date NOT NULL,
                "order_id" uuid,
                "funder_id" uuid,
                "site_id" uuid,
                CONSTRAINT "PK_0ab4efda5bb41912250caa7ab49" PRIMARY KEY ("leaf_index")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_money_movement_kind_idx" ON "report_money_movement" ("kind", "on_date")
        `);
    await grantAppAccess(queryRunner, 'report_money_movement', 'read-write');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."report_money_movement_kind_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_money_movement"
        `);
  }
}
