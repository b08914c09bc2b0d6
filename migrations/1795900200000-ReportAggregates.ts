import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess } from '../libs/db/src/grants';

/**
 * Report aggregates (issue 8, ADR 16): tables derived from the sealed audit log, consumed in leaf
 * order and rebuilt by `npm run reports:rebuild`. The application role reads and writes them (a
 * rebuild deletes their rows); they are never a source of truth.
 */
const TABLES = [
  'report_progress',
  'report_programme',
  'report_announcement',
  'report_funding_source',
  'report_grant',
  'report_grant_amount',
  'report_order',
  'report_order_paid',
  'report_credit_note',
];

export class ReportAggregates1795900200000 implements MigrationInterface {
  name = 'ReportAggregates1795900200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_progress" (
                "consumer" text NOT NULL,
                "tree_size" bigint NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f68fe1120f6e0ce49afb95682ee" PRIMARY KEY ("consumer")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "report_programme" (
                "programme_id" uuid NOT NULL,
                "policy_id" uuid NOT NULL,
                "leaf_index" bigint NOT NULL,
                CONSTRAINT "PK_c22991d19fd22995149865718db" PRIMARY KEY ("programme_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "report_announcement" (
                "announcement_id" uuid NOT NULL,
                "policy_id" uuid NOT NULL,
                "amount_cents" bigint,
                "min_amount_cents" bigint,
                "max_amount_cents" bigint,
                "announced_on" date NOT NULL,
                "leaf_index" bigint NOT NULL,
                CONSTRAINT "PK_50a23572c8241228fc2386ded9b" PRIMARY KEY ("announcement_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_announcement_policy_idx" ON "report_announcement" ("policy_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "report_funding_source" (
                "funding_source_id" uuid NOT NULL,
                "programme_id" uuid NOT NULL,
                "amount_cents" bigint NOT NULL,
                "obtained_on" date NOT NULL,
                "leaf_index" bigint NOT NULL,
                CONSTRAINT "PK_55ad1dc19918867854254f48f12" PRIMARY KEY ("funding_source_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_funding_source_programme_idx" ON "report_funding_source" ("programme_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "report_grant" (
                "grant_id" uuid NOT NULL,
                "programme_id" uuid NOT NULL,
                "funder_id" uuid NOT NULL,
                "cofinancing_rate_bp" integer NOT NULL,
                "awarded_on" date NOT NULL,
                "leaf_index" bigint NOT NULL,
                CONSTRAINT "PK_a2d1fc8e8cd346b064985d2aeca" PRIMARY KEY ("grant_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_grant_programme_idx" ON "report_grant" ("programme_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "report_grant_amount" (
                "grant_id" uuid NOT NULL,
                "leaf_index" bigint NOT NULL,
                "effective_on" date NOT NULL,
                "amount_cents" bigint NOT NULL,
                CONSTRAINT "PK_fce4bcd72d580678d3c41a3f73d" PRIMARY KEY ("grant_id", "leaf_index")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "report_order" (
                "order_id" uuid NOT NULL,
                "funder_id" uuid NOT NULL,
                "grant_id" uuid,
                "contract_id" uuid,
                "historical" boolean NOT NULL,
                "face_value_cents" bigint NOT NULL,
                "ordered_on" date NOT NULL,
                "leaf_index" bigint NOT NULL,
                CONSTRAINT "PK_2404f3a30dd454d7240cf935d40" PRIMARY KEY ("order_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_order_grant_idx" ON "report_order" ("grant_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "report_order_paid" (
                "order_id" uuid NOT NULL,
                "paid_on" date NOT NULL,
                "leaf_index" bigint NOT NULL,
                CONSTRAINT "PK_b4a964022d24c4a8347f8915568" PRIMARY KEY ("order_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "report_credit_note" (
                "credit_note_id" uuid NOT NULL,
                "order_id" uuid NOT NULL,
                "amount_cents" bigint NOT NULL,
                "issued_on" date NOT NULL,
                "leaf_index" bigint NOT NULL,
                CONSTRAINT "PK_8febda0594ccadee2fb74891afd" PRIMARY KEY ("credit_note_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "report_credit_note_order_idx" ON "report_credit_note" ("order_id")
        `);
    for (const table of TABLES) await grantAppAccess(queryRunner, table, 'read-write');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."report_credit_note_order_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_credit_note"
        `);
    await queryRunner.query(`
            DROP TABLE "report_order_paid"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."report_order_grant_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_order"
        `);
    await queryRunner.query(`
            DROP TABLE "report_grant_amount"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."report_grant_programme_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_grant"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."report_funding_source_programme_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_funding_source"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."report_announcement_policy_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "report_announcement"
        `);
    await queryRunner.query(`
            DROP TABLE "report_programme"
        `);
    await queryRunner.query(`
            DROP TABLE "report_progress"
        `);
  }
}
