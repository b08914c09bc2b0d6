import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess } from '../libs/db/src/grants';

/**
 * Corrections (issue 7): amounts a site owes back (overpayment, fraud found after payment, a receivable
 * carried forward), deducted from its next statements; a label on correction lines; and the ledger's
 * `order_receivable` account (accepted incidents paid to sites, owed back by the order).
 */

export class SettlementCorrections1795865661331 implements MigrationInterface {
  name = 'SettlementCorrections1795865661331';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "settlement_correction" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "site_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "amount_cents" bigint NOT NULL,
                "order_id" uuid,
                "redemption_id" uuid,
                "reason_code" text NOT NULL,
                "note" text,
                "source_statement_id" uuid,
                "statement_id" uuid,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "settlement_correction_source_check" CHECK (
                    (kind = 'receivable_carried') = (source_statement_id IS NOT NULL)
                ),
                CONSTRAINT "settlement_correction_amount_check" CHECK (amount_cents < 0),
                CONSTRAINT "settlement_correction_kind_check" CHECK (
                    kind IN ('overpayment', 'fraud', 'receivable_carried')
                ),
                CONSTRAINT "PK_6e627db59b06275d6c10e90499d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "settlement_correction_fraud_key" ON "settlement_correction" ("redemption_id")
            WHERE kind = 'fraud'
        `);
    await queryRunner.query(`
            CREATE INDEX "settlement_correction_open_idx" ON "settlement_correction" ("site_id", "created_at")
            WHERE statement_id IS NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "settlement_statement_line"
            ADD "label" text
        `);
    await queryRunner.query(`ALTER TABLE ledger_account DROP CONSTRAINT ledger_account_kind_check`);
    await queryRunner.query(`
            ALTER TABLE ledger_account ADD CONSTRAINT ledger_account_kind_check CHECK (kind IN ('funder_received','funder_available','order_outstanding','order_receivable','site_payable','bank_in_flight','fees','restitution_payable'))
        `);
    await grantAppAccess(queryRunner, 'settlement_correction', 'read-write');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ledger_account DROP CONSTRAINT ledger_account_kind_check`);
    await queryRunner.query(`
            ALTER TABLE ledger_account ADD CONSTRAINT ledger_account_kind_check CHECK (kind IN ('funder_received','funder_available','order_outstanding','site_payable','bank_in_flight','fees','restitution_payable'))
        `);
    await queryRunner.query(`
            ALTER TABLE "settlement_statement_line" DROP COLUMN "label"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."settlement_correction_open_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."settlement_correction_fraud_key"
        `);
    await queryRunner.query(`
            DROP TABLE "settlement_correction"
        `);
  }
}
