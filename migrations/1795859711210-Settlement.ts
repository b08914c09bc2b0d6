import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess, grantSequenceUsage, makeAppendOnly } from '../libs/db/src/grants';

/**
 * Settlement, first part (issue 7): pricing rules (append-only, versioned per contract; the default
 * rule, 100 % of the face value, is seeded here), settlement runs (one per cutoff), statements (one
 * per site and run, numbered REL-<year>-<n> from a sequence) and their lines (append-only).
 * `redemption.statement_id` (issue 6) records which statement took a redemption.
 */

export class Settlement1795859711210 implements MigrationInterface {
  name = 'Settlement1795859711210';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "pricing_rule" (
                "id" uuid NOT NULL,
                "contract_id" uuid,
                "contract_key" uuid NOT NULL,
                "version" integer NOT NULL,
                "rate_bp" integer,
                "fixed_amount_cents" bigint,
                "commission_bp" integer NOT NULL DEFAULT '0',
                "valid_from" date NOT NULL,
                "valid_until" date,
                "description" text NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pricing_rule_range_check" CHECK (
                    valid_until IS NULL
                    OR valid_until >= valid_from
                ),
                CONSTRAINT "pricing_rule_commission_check" CHECK (
                    commission_bp BETWEEN 0 AND 10000
                ),
                CONSTRAINT "pricing_rule_fixed_check" CHECK (
                    fixed_amount_cents IS NULL
                    OR fixed_amount_cents > 0
                ),
                CONSTRAINT "pricing_rule_rate_check" CHECK (
                    rate_bp IS NULL
                    OR rate_bp BETWEEN 0 AND 10000
                ),
                CONSTRAINT "pricing_rule_terms_check" CHECK (
                    (rate_bp IS NULL) <> (fixed_amount_cents IS NULL)
                ),
                CONSTRAINT "PK_70bd05029b296e414ce19688a99" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "pricing_rule_version_key" ON "pricing_rule" ("contract_key", "version")
        `);
    await queryRunner.query(`
            CREATE TABLE "settlement_run" (
                "id" uuid NOT NULL,
                "cutoff" TIMESTAMP WITH TIME ZONE NOT NULL,
                "status" text NOT NULL DEFAULT 'running',
                "trigger" text NOT NULL,
                "started_by" uuid,
                "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "completed_at" TIMESTAMP WITH TIME ZONE,
                "statements" integer NOT NULL DEFAULT '0',
                "amount_cents" bigint NOT NULL DEFAULT '0',
                CONSTRAINT "UQ_1ff63d4455ec7a2162faf0c0260" UNIQUE ("cutoff"),
                CONSTRAINT "settlement_run_trigger_check" CHECK (trigger IN ('operator', 'schedule')),
                CONSTRAINT "settlement_run_status_check" CHECK (status IN ('running', 'completed')),
                CONSTRAINT "PK_9ef623d0e771bd8b6327740e876" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "settlement_statement" (
                "id" uuid NOT NULL,
                "number" text NOT NULL,
                "run_id" uuid NOT NULL,
                "site_id" uuid NOT NULL,
                "cutoff" TIMESTAMP WITH TIME ZONE NOT NULL,
                "voucher_count" integer NOT NULL,
                "face_value_cents" bigint NOT NULL,
                "commission_cents" bigint NOT NULL,
                "total_cents" bigint NOT NULL,
                "status" text NOT NULL DEFAULT 'unpaid',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_174598893b6d8b5a3b15d2f29da" UNIQUE ("number"),
                CONSTRAINT "settlement_statement_total_check" CHECK (total_cents >= 0),
                CONSTRAINT "settlement_statement_status_check" CHECK (status IN ('unpaid', 'in_payout', 'paid')),
                CONSTRAINT "PK_638b5a90faea246851fa07bba58" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "settlement_statement_site_idx" ON "settlement_statement" ("site_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "settlement_statement_run_site_key" ON "settlement_statement" ("run_id", "site_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "settlement_statement_line" (
                "id" BIGSERIAL NOT NULL,
                "statement_id" uuid NOT NULL,
                "kind" text NOT NULL DEFAULT 'service',
                "order_id" uuid,
                "service_category_code" text,
                "pricing_rule_id" uuid,
                "redemption_count" integer NOT NULL,
                "voucher_count" integer NOT NULL,
                "face_value_cents" bigint NOT NULL,
                "commission_cents" bigint NOT NULL,
                "amount_cents" bigint NOT NULL,
                CONSTRAINT "settlement_statement_line_amounts_check" CHECK (
                    amount_cents + commission_cents <= face_value_cents
                    OR kind = 'correction'
                ),
                CONSTRAINT "settlement_statement_line_kind_check" CHECK (kind IN ('service', 'correction')),
                CONSTRAINT "PK_5898cdf794e298bb56cbdf64f25" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "settlement_statement_line_statement_idx" ON "settlement_statement_line" ("statement_id")
        `);
    await queryRunner.query(`CREATE SEQUENCE settlement_statement_number_seq`);
    await queryRunner.query(`
            INSERT INTO pricing_rule (id, contract_id, contract_key, version, rate_bp, commission_bp, valid_from, description)
            VALUES ('6c3f1f5e-3c55-4c35-9a57-0d7c1e6a0001', NULL, '00000000-0000-0000-0000-000000000000', 1, 10000, 0, '2000-01-01',
                    'Remboursement à 100 % de la valeur faciale / Reimbursed at 100 % of face value')
        `);
    for (const table of ['settlement_run', 'settlement_statement']) await grantAppAccess(queryRunner, table, 'read-write');
    for (const table of ['pricing_rule', 'settlement_statement_line']) await makeAppendOnly(queryRunner, table);
    await grantSequenceUsage(queryRunner, 'settlement_statement_number_seq');
    await grantSequenceUsage(queryRunner, 'settlement_statement_line_id_seq');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SEQUENCE settlement_statement_number_seq`);
    await queryRunner.query(`
            DROP INDEX "public"."settlement_statement_line_statement_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "settlement_statement_line"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."settlement_statement_run_site_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."settlement_statement_site_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "settlement_statement"
        `);
    await queryRunner.query(`
            DROP TABLE "settlement_run"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pricing_rule_version_key"
        `);
    await queryRunner.query(`
            DROP TABLE "pricing_rule"
        `);
  }
}
