import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess, grantSequenceUsage, makeAppendOnly } from '../libs/db/src/grants';

/**
 * Purchase orders (payments, validity extensions), invoices and credit notes with their gap-free
 * counters, and issuance: booklets, vouchers and per-order issuance progress. Payments, extensions
 * and invoices are append-only; vouchers get a fill factor so status updates stay HOT.
 */

export class OrdersIssuance1795833648726 implements MigrationInterface {
  name = 'OrdersIssuance1795833648726';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "purchase_order" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "reference" text NOT NULL,
                "funder_id" uuid NOT NULL,
                "contract_id" uuid,
                "grant_id" uuid,
                "historical" boolean NOT NULL DEFAULT false,
                "status" text NOT NULL DEFAULT 'draft',
                "booklet_count" integer NOT NULL,
                "vouchers_per_booklet" smallint NOT NULL,
                "face_value_cents" bigint NOT NULL,
                "validity_end_date" date NOT NULL,
                "tolerance_days" smallint NOT NULL DEFAULT '31',
                "department_codes" text array NOT NULL DEFAULT '{}',
                "commune_codes" text array NOT NULL DEFAULT '{}',
                "site_organisation_ids" uuid array NOT NULL DEFAULT '{}',
                "service_category_codes" text array NOT NULL DEFAULT '{}',
                "redeemable_before_distribution" boolean NOT NULL DEFAULT false,
                "self_redemption_allowed" boolean NOT NULL DEFAULT false,
                "stop_distribution_days" smallint NOT NULL DEFAULT '15',
                "ordered_on" date NOT NULL,
                "fee_rate_bp" integer NOT NULL DEFAULT '0',
                "vat_rate_bp" integer,
                "amount_due_cents" bigint,
                "paid_cents" bigint NOT NULL DEFAULT '0',
                "paid_on" date,
                "confirmed_at" TIMESTAMP WITH TIME ZONE,
                "cancelled_at" TIMESTAMP WITH TIME ZONE,
                "cancel_reason" text,
                "historical_redeemed_count" integer,
                "historical_expired_count" integer,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "purchase_order_historical_check" CHECK (
                    historical
                    OR (
                        historical_redeemed_count IS NULL
                        AND historical_expired_count IS NULL
                    )
                ),
                CONSTRAINT "purchase_order_paid_check" CHECK (
                    paid_cents >= 0
                    AND (
                        amount_due_cents IS NULL
                        OR paid_cents <= amount_due_cents
                    )
                ),
                CONSTRAINT "purchase_order_rates_check" CHECK (
                    fee_rate_bp BETWEEN 0 AND 10000
                    AND (
                        vat_rate_bp IS NULL
                        OR vat_rate_bp BETWEEN 0 AND 10000
                    )
                ),
                CONSTRAINT "purchase_order_days_check" CHECK (
                    tolerance_days BETWEEN 0 AND 366
                    AND stop_distribution_days BETWEEN 0 AND 366
                ),
                CONSTRAINT "purchase_order_counts_check" CHECK (
                    booklet_count > 0
                    AND vouchers_per_booklet BETWEEN 1 AND 20
                    AND face_value_cents > 0
                ),
                CONSTRAINT "purchase_order_status_check" CHECK (
                    status IN (
                        'draft',
                        'confirmed',
                        'paid',
                        'closed',
                        'cancelled'
                    )
                ),
                CONSTRAINT "PK_ad3e1c7b862f4043b103a6c8c60" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "purchase_order_list_idx" ON "purchase_order" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "purchase_order_funder_idx" ON "purchase_order" ("funder_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "purchase_order_reference_key" ON "purchase_order" ("reference")
        `);
    await queryRunner.query(`
            CREATE TABLE "order_payment" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "order_id" uuid NOT NULL,
                "reference" text NOT NULL,
                "paid_on" date NOT NULL,
                "amount_cents" bigint NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "order_payment_amount_check" CHECK (amount_cents > 0),
                CONSTRAINT "PK_28c756d4fd41223fedfbd2750e1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "order_payment_reference_key" ON "order_payment" ("order_id", "reference")
        `);
    await queryRunner.query(`
            CREATE TABLE "order_validity_extension" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "order_id" uuid NOT NULL,
                "previous_end_date" date NOT NULL,
                "new_end_date" date NOT NULL,
                "reason" text NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "order_validity_extension_later_check" CHECK (new_end_date > previous_end_date),
                CONSTRAINT "PK_f5679b3f36cab1fd690d9015d45" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "order_validity_extension_order_idx" ON "order_validity_extension" ("order_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "invoice" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "kind" text NOT NULL,
                "year" integer NOT NULL,
                "seq" integer NOT NULL,
                "number" text NOT NULL,
                "order_id" uuid NOT NULL,
                "funder_id" uuid NOT NULL,
                "credited_invoice_id" uuid,
                "issued_on" date NOT NULL,
                "tax_exclusive_cents" bigint NOT NULL,
                "vat_cents" bigint NOT NULL,
                "payable_cents" bigint NOT NULL,
                "document" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "invoice_seq_check" CHECK (seq > 0),
                CONSTRAINT "invoice_kind_check" CHECK (
                    kind IN ('invoice', 'credit_note')
                    AND (kind = 'credit_note') = (credited_invoice_id IS NOT NULL)
                ),
                CONSTRAINT "PK_15d25c200d9bcd8a33f698daf18" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "invoice_list_idx" ON "invoice" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "invoice_funder_idx" ON "invoice" ("funder_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "invoice_order_idx" ON "invoice" ("order_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "invoice_sequence_key" ON "invoice" ("kind", "year", "seq")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "invoice_number_key" ON "invoice" ("number")
        `);
    await queryRunner.query(`
            CREATE TABLE "invoice_counter" (
                "kind" text NOT NULL,
                "year" integer NOT NULL,
                "last_seq" integer NOT NULL,
                CONSTRAINT "PK_658e0f6a5249526271cc310a78e" PRIMARY KEY ("kind", "year")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "booklet" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "order_id" uuid NOT NULL,
                "serial" text NOT NULL,
                "number" integer NOT NULL,
                "voucher_count" smallint NOT NULL,
                "state" text NOT NULL DEFAULT 'CREATED',
                "pass_token_hash" bytea NOT NULL,
                "pass_token_encrypted" bytea NOT NULL,
                "replaces_booklet_id" uuid,
                "blocked_at" TIMESTAMP WITH TIME ZONE,
                "block_reason" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "booklet_block_check" CHECK ((blocked_at IS NULL) = (block_reason IS NULL)),
                CONSTRAINT "booklet_voucher_count_check" CHECK (
                    voucher_count BETWEEN 1 AND 20
                ),
                CONSTRAINT "booklet_state_check" CHECK (state IN ('CREATED', 'ALLOCATED', 'DISTRIBUTED')),
                CONSTRAINT "PK_e44e0cfd9409098c27af0f12d07" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "booklet_replaces_key" ON "booklet" ("replaces_booklet_id")
            WHERE replaces_booklet_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "booklet_pass_token_key" ON "booklet" ("pass_token_hash")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "booklet_order_number_key" ON "booklet" ("order_id", "number")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "booklet_serial_key" ON "booklet" ("serial")
        `);
    await queryRunner.query(`
            CREATE TABLE "voucher" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "booklet_id" uuid NOT NULL,
                "order_id" uuid NOT NULL,
                "idx" smallint NOT NULL,
                "status" text NOT NULL,
                "code_hash" bytea NOT NULL,
                "code_encrypted" bytea NOT NULL,
                "status_changed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "voucher_idx_check" CHECK (
                    idx BETWEEN 1 AND 20
                ),
                CONSTRAINT "voucher_status_check" CHECK (
                    status IN (
                        'ISSUED',
                        'ACTIVE',
                        'BLOCKED',
                        'REDEEMED',
                        'SETTLED',
                        'PAID',
                        'VOID',
                        'EXPIRED',
                        'RESTITUTED',
                        'REPLACED'
                    )
                ),
                CONSTRAINT "PK_677ae75f380e81c2f103a57ffaf" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "voucher_order_idx" ON "voucher" ("order_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "voucher_code_hash_key" ON "voucher" ("code_hash")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "voucher_booklet_idx_key" ON "voucher" ("booklet_id", "idx")
        `);
    await queryRunner.query(`
            CREATE TABLE "order_issuance" (
                "order_id" uuid NOT NULL,
                "booklet_count" integer NOT NULL,
                "vouchers_per_booklet" smallint NOT NULL,
                "booklets_issued" integer NOT NULL DEFAULT '0',
                "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "completed_at" TIMESTAMP WITH TIME ZONE,
                "paid_at" TIMESTAMP WITH TIME ZONE,
                "activated_at" TIMESTAMP WITH TIME ZONE,
                "voided_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "order_issuance_progress_check" CHECK (
                    booklets_issued BETWEEN 0 AND booklet_count
                ),
                CONSTRAINT "PK_ff78f56515a6462753515aab003" PRIMARY KEY ("order_id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "purchase_order"
            ADD CONSTRAINT "FK_10c38d13046e80455bcb3b4c88a" FOREIGN KEY ("funder_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "purchase_order"
            ADD CONSTRAINT "FK_0688a3dcfe324fb54785ac7cfa0" FOREIGN KEY ("contract_id") REFERENCES "funding_contract"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "purchase_order"
            ADD CONSTRAINT "FK_04e6ac39fa3d4f0b01a1302bb7f" FOREIGN KEY ("grant_id") REFERENCES "funding_grant"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "order_payment"
            ADD CONSTRAINT "FK_fb74ab8e4ee3d2c6e73c261d8e3" FOREIGN KEY ("order_id") REFERENCES "purchase_order"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "order_validity_extension"
            ADD CONSTRAINT "FK_cecfc5c931abb01290f583163ca" FOREIGN KEY ("order_id") REFERENCES "purchase_order"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "invoice"
            ADD CONSTRAINT "FK_1e74a9888e5e228184769ba3dfd" FOREIGN KEY ("order_id") REFERENCES "purchase_order"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "invoice"
            ADD CONSTRAINT "FK_06ff8a74fb55dd09dcbd4f48180" FOREIGN KEY ("credited_invoice_id") REFERENCES "invoice"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`CREATE SEQUENCE purchase_order_reference_seq`);
    await queryRunner.query(`CREATE SEQUENCE booklet_serial_seq`);
    await grantSequenceUsage(queryRunner, 'purchase_order_reference_seq');
    await grantSequenceUsage(queryRunner, 'booklet_serial_seq');
    await grantSequenceUsage(queryRunner, 'voucher_id_seq');
    await queryRunner.query(`ALTER TABLE voucher SET (fillfactor = 70)`);
    for (const table of ['purchase_order', 'invoice_counter', 'booklet', 'voucher', 'order_issuance'])
      await grantAppAccess(queryRunner, table, 'read-write');
    for (const table of ['order_payment', 'order_validity_extension', 'invoice']) await makeAppendOnly(queryRunner, table);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SEQUENCE booklet_serial_seq`);
    await queryRunner.query(`DROP SEQUENCE purchase_order_reference_seq`);
    await queryRunner.query(`
            ALTER TABLE "invoice" DROP CONSTRAINT "FK_06ff8a74fb55dd09dcbd4f48180"
        `);
    await queryRunner.query(`
            ALTER TABLE "invoice" DROP CONSTRAINT "FK_1e74a9888e5e228184769ba3dfd"
        `);
    await queryRunner.query(`
            ALTER TABLE "order_validity_extension" DROP CONSTRAINT "FK_cecfc5c931abb01290f583163ca"
        `);
    await queryRunner.query(`
            ALTER TABLE "order_payment" DROP CONSTRAINT "FK_fb74ab8e4ee3d2c6e73c261d8e3"
        `);
    await queryRunner.query(`
            ALTER TABLE "purchase_order" DROP CONSTRAINT "FK_04e6ac39fa3d4f0b01a1302bb7f"
        `);
    await queryRunner.query(`
            ALTER TABLE "purchase_order" DROP CONSTRAINT "FK_0688a3dcfe324fb54785ac7cfa0"
        `);
    await queryRunner.query(`
            ALTER TABLE "purchase_order" DROP CONSTRAINT "FK_10c38d13046e80455bcb3b4c88a"
        `);
    await queryRunner.query(`
            DROP TABLE "order_issuance"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."voucher_booklet_idx_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."voucher_code_hash_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."voucher_order_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "voucher"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."booklet_serial_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."booklet_order_number_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."booklet_pass_token_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."booklet_replaces_key"
        `);
    await queryRunner.query(`
            DROP TABLE "booklet"
        `);
    await queryRunner.query(`
            DROP TABLE "invoice_counter"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."invoice_number_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."invoice_sequence_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."invoice_order_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."invoice_funder_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."invoice_list_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "invoice"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."order_validity_extension_order_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "order_validity_extension"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."order_payment_reference_key"
        `);
    await queryRunner.query(`
            DROP TABLE "order_payment"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."purchase_order_reference_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."purchase_order_funder_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."purchase_order_list_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "purchase_order"
        `);
  }
}
