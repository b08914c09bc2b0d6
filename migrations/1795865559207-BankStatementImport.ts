import { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAppendOnly } from '../libs/db/src/grants';

/**
 * Bank statement import (issue 7): each imported statement file (unique by the SHA-256 of its bytes,
 * so a file is applied once) and each transaction of its entries with what it did to the payouts.
 * Both are written once, in the import's transaction: append-only.
 */

export class BankStatementImport1795865559207 implements MigrationInterface {
  name = 'BankStatementImport1795865559207';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "bank_statement_import" (
                "id" uuid NOT NULL,
                "fingerprint" text NOT NULL,
                "format" text NOT NULL,
                "bank_statement_id" text NOT NULL,
                "account_iban" text,
                "imported_by" uuid NOT NULL,
                "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "entry_count" integer NOT NULL,
                "transaction_count" integer NOT NULL,
                "outcome_counts" jsonb NOT NULL,
                CONSTRAINT "UQ_a4b84db47ebb2f0fc0e394d7582" UNIQUE ("fingerprint"),
                CONSTRAINT "bank_statement_import_format_check" CHECK (format IN ('camt053', 'csv')),
                CONSTRAINT "PK_41a4e57b508e5f47e4ded17fb9f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "bank_statement_import_imported_idx" ON "bank_statement_import" ("imported_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "bank_statement_entry" (
                "import_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "entry_index" integer NOT NULL,
                "entry_ref" text,
                "booking_date" date,
                "amount_cents" bigint,
                "entry_amount_cents" bigint NOT NULL,
                "direction" text NOT NULL,
                "status" text NOT NULL,
                "reversal" boolean NOT NULL,
                "end_to_end_id" text,
                "returned" boolean NOT NULL,
                "return_reason" text,
                "outcome" text NOT NULL,
                "payout_id" uuid,
                "note" text,
                CONSTRAINT "bank_statement_entry_direction_check" CHECK (direction IN ('debit', 'credit')),
                CONSTRAINT "bank_statement_entry_outcome_check" CHECK (
                    outcome IN (
                        'paid',
                        'rejected',
                        'returned',
                        'amount_mismatch',
                        'unmatched',
                        'conflict',
                        'already_applied',
                        'not_booked'
                    )
                ),
                CONSTRAINT "PK_b2b39aa16fb639277eeb4f6fe82" PRIMARY KEY ("import_id", "position")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "bank_statement_entry_payout_idx" ON "bank_statement_entry" ("payout_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "bank_statement_entry_outcome_idx" ON "bank_statement_entry" ("outcome", "import_id")
        `);
    for (const table of ['bank_statement_import', 'bank_statement_entry']) await makeAppendOnly(queryRunner, table);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."bank_statement_entry_outcome_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."bank_statement_entry_payout_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "bank_statement_entry"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."bank_statement_import_imported_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "bank_statement_import"
        `);
  }
}
