import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess, grantSequenceUsage, makeAppendOnly } from '../libs/db/src/grants';

/**
 * Payouts (issue 7): payout batches (one pain.001 file each, released by a second finance user),
 * payouts (one SEPA transfer per site, creditor copied from the verified bank account), which
 * statements each payout covers (append-only history), and the payout currently covering a statement.
 */

export class Payouts1795864923072 implements MigrationInterface {
  name = 'Payouts1795864923072';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "payout_batch" (
                "id" uuid NOT NULL,
                "number" text NOT NULL,
                "run_id" uuid,
                "status" text NOT NULL DEFAULT 'building',
                "prepared_by" uuid,
                "released_by" uuid,
                "released_at" TIMESTAMP WITH TIME ZONE,
                "payment_count" integer NOT NULL DEFAULT '0',
                "total_cents" bigint NOT NULL DEFAULT '0',
                "requested_execution_date" date,
                "file_xml" text,
                "file_sha256" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_f1b1d8f9dd5e9842c2f2394d791" UNIQUE ("number"),
                CONSTRAINT "UQ_d0590dabbfedf6f415a3da64a16" UNIQUE ("run_id"),
                CONSTRAINT "payout_batch_file_check" CHECK ((status = 'building') = (file_xml IS NULL)),
                CONSTRAINT "payout_batch_four_eyes_check" CHECK (
                    released_by IS NULL
                    OR (
                        prepared_by IS NOT NULL
                        AND released_by <> prepared_by
                    )
                ),
                CONSTRAINT "payout_batch_status_check" CHECK (
                    status IN ('building', 'awaiting_release', 'released')
                ),
                CONSTRAINT "PK_2e42d67d79e286188a04a6c42a7" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "payout" (
                "id" uuid NOT NULL,
                "reference" text NOT NULL,
                "site_id" uuid NOT NULL,
                "batch_id" uuid NOT NULL,
                "amount_cents" bigint NOT NULL,
                "statement_count" integer NOT NULL,
                "status" text NOT NULL DEFAULT 'pending',
                "bank_account_id" uuid NOT NULL,
                "creditor_name" text NOT NULL,
                "creditor_iban" text NOT NULL,
                "creditor_bic" text NOT NULL,
                "creditor_address" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "settled_at" TIMESTAMP WITH TIME ZONE,
                "return_reason" text,
                CONSTRAINT "UQ_107b2aa110657210812fca5c3eb" UNIQUE ("reference"),
                CONSTRAINT "payout_amount_check" CHECK (amount_cents > 0),
                CONSTRAINT "payout_status_check" CHECK (
                    status IN ('pending', 'paid', 'rejected', 'returned')
                ),
                CONSTRAINT "PK_1cb73ce021dc6618a3818b0a474" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "payout_batch_site_key" ON "payout" ("batch_id", "site_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "payout_site_idx" ON "payout" ("site_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "payout_statement" (
                "payout_id" uuid NOT NULL,
                "statement_id" uuid NOT NULL,
                CONSTRAINT "PK_730b825de973315c83ceeecb24f" PRIMARY KEY ("payout_id", "statement_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "payout_statement_statement_idx" ON "payout_statement" ("statement_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "settlement_statement"
            ADD "payout_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "settlement_statement"
            ADD CONSTRAINT "settlement_statement_payout_check" CHECK ((status = 'unpaid') = (payout_id IS NULL))
        `);
    await queryRunner.query(`CREATE SEQUENCE payout_batch_number_seq`);
    for (const table of ['payout_batch', 'payout']) await grantAppAccess(queryRunner, table, 'read-write');
    await makeAppendOnly(queryRunner, 'payout_statement');
    await grantSequenceUsage(queryRunner, 'payout_batch_number_seq');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SEQUENCE payout_batch_number_seq`);
    await queryRunner.query(`
            ALTER TABLE "settlement_statement" DROP CONSTRAINT "settlement_statement_payout_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "settlement_statement" DROP COLUMN "payout_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."payout_statement_statement_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "payout_statement"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."payout_site_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."payout_batch_site_key"
        `);
    await queryRunner.query(`
            DROP TABLE "payout"
        `);
    await queryRunner.query(`
            DROP TABLE "payout_batch"
        `);
  }
}
