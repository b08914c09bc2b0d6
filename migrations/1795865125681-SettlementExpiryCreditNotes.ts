import { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAppendOnly } from '../libs/db/src/grants';

/**
 * Voucher expiry and credit notes (issue 7): `credit_note` keeps the settlement figures of each
 * expiry credit note (its legal document is the `invoice` row of kind credit_note with the same id),
 * `credit_note_incident` records once what became of each accepted incident charged to an expired
 * order (deducted from a credit note, or invoiced to the funder). Both append-only.
 */

export class SettlementExpiryCreditNotes1795865125681 implements MigrationInterface {
  name = 'SettlementExpiryCreditNotes1795865125681';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "credit_note" (
                "id" uuid NOT NULL,
                "number" text NOT NULL,
                "order_id" uuid NOT NULL,
                "funder_id" uuid NOT NULL,
                "credited_invoice_id" uuid NOT NULL,
                "expired_voucher_count" integer NOT NULL,
                "face_value_cents" bigint NOT NULL,
                "unused_face_value_cents" bigint NOT NULL,
                "incident_deduction_cents" bigint NOT NULL,
                "amount_cents" bigint NOT NULL,
                "issued_on" date NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_35658bfb675c9321a4e20fa437c" UNIQUE ("number"),
                CONSTRAINT "credit_note_amounts_check" CHECK (
                    expired_voucher_count > 0
                    AND unused_face_value_cents = expired_voucher_count * face_value_cents
                    AND incident_deduction_cents >= 0
                    AND amount_cents >= 0
                    AND amount_cents = unused_face_value_cents - incident_deduction_cents
                ),
                CONSTRAINT "PK_1f08d9f374b8db39fd4c8e789df" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "credit_note_list_idx" ON "credit_note" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "credit_note_funder_idx" ON "credit_note" ("funder_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "credit_note_order_idx" ON "credit_note" ("order_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "credit_note_incident" (
                "incident_id" uuid NOT NULL,
                "order_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "amount_cents" bigint NOT NULL,
                "credit_note_id" uuid,
                "invoice_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "credit_note_incident_kind_check" CHECK (
                    kind IN ('deducted', 'invoiced')
                    AND (kind = 'deducted') = (credit_note_id IS NOT NULL)
                    AND (kind = 'invoiced') = (invoice_id IS NOT NULL)
                    AND amount_cents > 0
                ),
                CONSTRAINT "PK_ce76658aee44d9d898fea513316" PRIMARY KEY ("incident_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "credit_note_incident_order_idx" ON "credit_note_incident" ("order_id")
        `);
    for (const table of ['credit_note', 'credit_note_incident']) await makeAppendOnly(queryRunner, table);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."credit_note_incident_order_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "credit_note_incident"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."credit_note_order_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."credit_note_funder_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."credit_note_list_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "credit_note"
        `);
  }
}
