import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantSequenceUsage, makeAppendOnly } from '../libs/db/src/grants';

/**
 * The double-entry ledger (docs/ledger.md): accounts, transfers and balance snapshots, all three
 * append-only (triggers refuse UPDATE/DELETE/TRUNCATE; the application role gets INSERT and SELECT).
 * The partial unique index on `ledger_transfer.pending_id` allows at most one resolution (post or
 * void) per pending transfer.
 */
export class Ledger1795828541044 implements MigrationInterface {
  name = 'Ledger1795828541044';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "ledger_account" (
                "id" uuid NOT NULL,
                "code" integer NOT NULL,
                "kind" text NOT NULL,
                "owner_organisation_id" uuid,
                "order_id" uuid,
                "currency" character(3) NOT NULL DEFAULT 'EUR',
                "debits_must_not_exceed_credits" boolean NOT NULL DEFAULT false,
                "credits_must_not_exceed_debits" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ledger_account_flags_check" CHECK (
                    NOT (
                        debits_must_not_exceed_credits
                        AND credits_must_not_exceed_debits
                    )
                ),
                CONSTRAINT "ledger_account_currency_check" CHECK (currency ~ '^[A-Z]{3}$'),
                CONSTRAINT "ledger_account_kind_check" CHECK (
                    kind IN (
                        'funder_received',
                        'funder_available',
                        'order_outstanding',
                        'site_payable',
                        'bank_in_flight',
                        'fees',
                        'restitution_payable'
                    )
                ),
                CONSTRAINT "PK_34640393ff83dad2b4627d7ae5f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ledger_account_list_idx" ON "ledger_account" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ledger_account_order_key" ON "ledger_account" ("kind", "order_id", "currency")
            WHERE order_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ledger_account_owner_key" ON "ledger_account" ("kind", "owner_organisation_id", "currency")
            WHERE owner_organisation_id IS NOT NULL
                AND order_id IS NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ledger_account_platform_key" ON "ledger_account" ("kind", "currency")
            WHERE owner_organisation_id IS NULL
                AND order_id IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "ledger_balance_snapshot" (
                "id" uuid NOT NULL,
                "account_id" uuid NOT NULL,
                "as_of_seq" bigint NOT NULL,
                "debits_posted" bigint NOT NULL,
                "credits_posted" bigint NOT NULL,
                "debits_pending" bigint NOT NULL,
                "credits_pending" bigint NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2c62f0da14493c991ea35ebcb45" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ledger_balance_snapshot_account_key" ON "ledger_balance_snapshot" ("account_id", "as_of_seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "ledger_transfer" (
                "id" uuid NOT NULL,
                "seq" BIGSERIAL NOT NULL,
                "debit_account_id" uuid NOT NULL,
                "credit_account_id" uuid NOT NULL,
                "amount" bigint NOT NULL,
                "currency" character(3) NOT NULL,
                "kind" text NOT NULL,
                "pending_id" uuid,
                "pending_amount" bigint,
                "event_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "reference_type" text,
                "reference_id" text,
                "user_data" jsonb NOT NULL DEFAULT '{}',
                CONSTRAINT "ledger_transfer_currency_check" CHECK (currency ~ '^[A-Z]{3}$'),
                CONSTRAINT "ledger_transfer_pending_check" CHECK (
                    (kind IN ('post_pending', 'void_pending')) = (pending_id IS NOT NULL)
                    AND (pending_id IS NULL) = (pending_amount IS NULL)
                    AND (
                        pending_amount IS NULL
                        OR amount <= pending_amount
                    )
                    AND (
                        kind <> 'void_pending'
                        OR amount = pending_amount
                    )
                ),
                CONSTRAINT "ledger_transfer_kind_check" CHECK (
                    kind IN ('single', 'pending', 'post_pending', 'void_pending')
                ),
                CONSTRAINT "ledger_transfer_accounts_check" CHECK (debit_account_id <> credit_account_id),
                CONSTRAINT "ledger_transfer_amount_check" CHECK (amount > 0),
                CONSTRAINT "PK_b9171ac2389eeaef6fb308b273d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ledger_transfer_credit_idx" ON "ledger_transfer" ("credit_account_id", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "ledger_transfer_debit_idx" ON "ledger_transfer" ("debit_account_id", "seq")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ledger_transfer_seq_key" ON "ledger_transfer" ("seq")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ledger_transfer_pending_key" ON "ledger_transfer" ("pending_id")
            WHERE pending_id IS NOT NULL
        `);
    await makeAppendOnly(queryRunner, 'ledger_account');
    await makeAppendOnly(queryRunner, 'ledger_transfer');
    await makeAppendOnly(queryRunner, 'ledger_balance_snapshot');
    await grantSequenceUsage(queryRunner, 'ledger_transfer_seq_seq');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."ledger_transfer_pending_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ledger_transfer_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ledger_transfer_debit_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ledger_transfer_credit_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "ledger_transfer"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ledger_balance_snapshot_account_key"
        `);
    await queryRunner.query(`
            DROP TABLE "ledger_balance_snapshot"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ledger_account_platform_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ledger_account_owner_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ledger_account_order_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ledger_account_list_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "ledger_account"
        `);
  }
}
