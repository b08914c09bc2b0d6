import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess, makeAppendOnly } from '../libs/db/src/grants';

/**
 * Funding (first slice): policies and their announcements, programmes and their funding sources,
 * grants and their amendments, contracts. Announcements, funding sources and amendments are
 * append-only (history); policies, programmes, grants and contracts are working tables.
 */

export class Funding1795831015161 implements MigrationInterface {
  name = 'Funding1795831015161';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "funding_contract" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "funder_id" uuid NOT NULL,
                "reference" text NOT NULL,
                "published_on" date NOT NULL,
                "notified_on" date NOT NULL,
                "end_date" date NOT NULL,
                "upstream_fee_rate_bp" integer NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "funding_contract_dates_check" CHECK (
                    notified_on >= published_on
                    AND end_date >= notified_on
                ),
                CONSTRAINT "funding_contract_fee_rate_check" CHECK (
                    upstream_fee_rate_bp BETWEEN 0 AND 10000
                ),
                CONSTRAINT "PK_0e3f2df07acb611256a4da990a0" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "funding_contract_list_idx" ON "funding_contract" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "funding_contract_reference_key" ON "funding_contract" ("funder_id", "reference")
        `);
    await queryRunner.query(`
            CREATE TABLE "policy" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "description" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_9917b0c5e4286703cc656b1d39f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "policy_list_idx" ON "policy" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "policy_announcement" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "policy_id" uuid NOT NULL,
                "label" text NOT NULL,
                "amount_cents" bigint,
                "min_amount_cents" bigint,
                "max_amount_cents" bigint,
                "announced_on" date NOT NULL,
                "source_reference" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "policy_announcement_amount_check" CHECK (
                    (
                        amount_cents IS NOT NULL
                        AND min_amount_cents IS NULL
                        AND max_amount_cents IS NULL
                        AND amount_cents > 0
                    )
                    OR (
                        amount_cents IS NULL
                        AND min_amount_cents IS NOT NULL
                        AND max_amount_cents IS NOT NULL
                        AND min_amount_cents > 0
                        AND min_amount_cents <= max_amount_cents
                    )
                ),
                CONSTRAINT "PK_e248a7849e442e033982449751e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "policy_announcement_policy_idx" ON "policy_announcement" ("policy_id", "announced_on")
        `);
    await queryRunner.query(`
            CREATE TABLE "programme" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "policy_id" uuid NOT NULL,
                "name" text NOT NULL,
                "max_cofinancing_rate_bp" integer NOT NULL,
                "announced_on" date,
                "launched_on" date,
                "laureates_published_on" date,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "programme_max_cofinancing_rate_check" CHECK (
                    max_cofinancing_rate_bp BETWEEN 0 AND 10000
                ),
                CONSTRAINT "PK_76ff6b30b74f213944d1ac0a660" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "programme_list_idx" ON "programme" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "programme_policy_idx" ON "programme" ("policy_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "programme_funding_source" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "programme_id" uuid NOT NULL,
                "label" text NOT NULL,
                "amount_cents" bigint NOT NULL,
                "obtained_on" date NOT NULL,
                "reference" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "programme_funding_source_amount_check" CHECK (amount_cents > 0),
                CONSTRAINT "PK_9274d67fbcff07918e21836204e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "programme_funding_source_programme_idx" ON "programme_funding_source" ("programme_id", "obtained_on")
        `);
    await queryRunner.query(`
            CREATE TABLE "funding_grant" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "programme_id" uuid NOT NULL,
                "funder_id" uuid NOT NULL,
                "amount_cents" bigint NOT NULL,
                "cofinancing_rate_bp" integer NOT NULL,
                "awarded_on" date NOT NULL,
                "end_date" date NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "funding_grant_dates_check" CHECK (end_date >= awarded_on),
                CONSTRAINT "funding_grant_cofinancing_rate_check" CHECK (
                    cofinancing_rate_bp BETWEEN 0 AND 10000
                ),
                CONSTRAINT "funding_grant_amount_check" CHECK (amount_cents > 0),
                CONSTRAINT "PK_73e28639ae70335c784357c697d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "funding_grant_funder_idx" ON "funding_grant" ("funder_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "funding_grant_programme_idx" ON "funding_grant" ("programme_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "grant_amendment" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "grant_id" uuid NOT NULL,
                "amended_on" date NOT NULL,
                "reason_code" text NOT NULL,
                "new_end_date" date,
                "new_amount_cents" bigint,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "grant_amendment_reason_check" CHECK (
                    reason_code IN (
                        'EXTENSION',
                        'BUDGET_INCREASE',
                        'BUDGET_DECREASE',
                        'EXTENSION_AND_BUDGET',
                        'CORRECTION'
                    )
                ),
                CONSTRAINT "grant_amendment_amount_check" CHECK (
                    new_amount_cents IS NULL
                    OR new_amount_cents > 0
                ),
                CONSTRAINT "grant_amendment_change_check" CHECK (
                    new_end_date IS NOT NULL
                    OR new_amount_cents IS NOT NULL
                ),
                CONSTRAINT "PK_bbef02d9087f13d006c9d15f353" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "grant_amendment_grant_idx" ON "grant_amendment" ("grant_id", "amended_on", "created_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_contract"
            ADD CONSTRAINT "FK_f3025e137af01e94de0f31b089d" FOREIGN KEY ("funder_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "policy_announcement"
            ADD CONSTRAINT "FK_a7a8aad077eb9c54d35746f6746" FOREIGN KEY ("policy_id") REFERENCES "policy"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "programme"
            ADD CONSTRAINT "FK_01d22390aa5215b7a4d4bd17a66" FOREIGN KEY ("policy_id") REFERENCES "policy"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "programme_funding_source"
            ADD CONSTRAINT "FK_e904c3f99ce75a68a8a63cd69e0" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_grant"
            ADD CONSTRAINT "FK_27acee7fdf6cb224166e5c60168" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_grant"
            ADD CONSTRAINT "FK_dca381f38ca2091f90d343fd980" FOREIGN KEY ("funder_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_amendment"
            ADD CONSTRAINT "FK_b98ef50ca57bf0806417e924e2e" FOREIGN KEY ("grant_id") REFERENCES "funding_grant"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // Hand-written: privileges and append-only triggers TypeORM does not model.
    for (const table of ['policy', 'programme', 'funding_grant', 'funding_contract'])
      await grantAppAccess(queryRunner, table, 'read-write');
    for (const table of ['policy_announcement', 'programme_funding_source', 'grant_amendment']) await makeAppendOnly(queryRunner, table);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "grant_amendment" DROP CONSTRAINT "FK_b98ef50ca57bf0806417e924e2e"
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_grant" DROP CONSTRAINT "FK_dca381f38ca2091f90d343fd980"
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_grant" DROP CONSTRAINT "FK_27acee7fdf6cb224166e5c60168"
        `);
    await queryRunner.query(`
            ALTER TABLE "programme_funding_source" DROP CONSTRAINT "FK_e904c3f99ce75a68a8a63cd69e0"
        `);
    await queryRunner.query(`
            ALTER TABLE "programme" DROP CONSTRAINT "FK_01d22390aa5215b7a4d4bd17a66"
        `);
    await queryRunner.query(`
            ALTER TABLE "policy_announcement" DROP CONSTRAINT "FK_a7a8aad077eb9c54d35746f6746"
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_contract" DROP CONSTRAINT "FK_f3025e137af01e94de0f31b089d"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."grant_amendment_grant_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "grant_amendment"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."funding_grant_programme_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."funding_grant_funder_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "funding_grant"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."programme_funding_source_programme_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "programme_funding_source"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."programme_policy_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."programme_list_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "programme"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."policy_announcement_policy_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "policy_announcement"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."policy_list_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "policy"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."funding_contract_reference_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."funding_contract_list_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "funding_contract"
        `);
  }
}
