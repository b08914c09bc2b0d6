import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess, grantSequenceUsage, makeAppendOnly } from '../libs/db/src/grants';

/**
 * Distribution (booklet movements, public categories, beneficiary profiles, hand-overs, notices; the
 * booklet's holder and dates) and personal data (vault people and records, the access log,
 * data-subject requests). Movements are append-only; the access log is purgeable (DELETE allowed),
 * outside the audit tree. Booklets get a fill factor so that hand-over updates (no indexed column
 * changes) stay HOT.
 */

export class Distribution1795838348189 implements MigrationInterface {
  name = 'Distribution1795838348189';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "allocation_movement" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "kind" text NOT NULL,
                "funder_id" uuid NOT NULL,
                "from_distributor_id" uuid,
                "to_distributor_id" uuid,
                "booklet_count" integer NOT NULL,
                "ranges" jsonb NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "allocation_movement_count_check" CHECK (booklet_count > 0),
                CONSTRAINT "allocation_movement_parties_check" CHECK (
                    (
                        kind = 'allocate'
                        AND from_distributor_id IS NULL
                        AND to_distributor_id IS NOT NULL
                    )
                    OR (
                        kind = 'transfer'
                        AND from_distributor_id IS NOT NULL
                        AND to_distributor_id IS NOT NULL
                        AND from_distributor_id <> to_distributor_id
                    )
                    OR (
                        kind = 'return'
                        AND from_distributor_id IS NOT NULL
                        AND to_distributor_id IS NULL
                    )
                ),
                CONSTRAINT "allocation_movement_kind_check" CHECK (kind IN ('allocate', 'transfer', 'return')),
                CONSTRAINT "PK_51142c5d1024033e5c79fae8aa6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "allocation_movement_from_idx" ON "allocation_movement" ("from_distributor_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "allocation_movement_to_idx" ON "allocation_movement" ("to_distributor_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "allocation_movement_funder_idx" ON "allocation_movement" ("funder_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "public_category" (
                "funder_id" uuid NOT NULL,
                "code" text NOT NULL,
                "label_fr" text NOT NULL,
                "label_en" text NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "public_category_code_check" CHECK (code ~ '^[a-z][a-z0-9_-]{1,39}$'),
                CONSTRAINT "public_category_pkey" PRIMARY KEY ("funder_id", "code")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "beneficiary_profile" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "funder_id" uuid NOT NULL,
                "distributor_id" uuid NOT NULL,
                "age_band" text NOT NULL,
                "commune_code" text NOT NULL,
                "public_category_code" text,
                "person_pseudonym" text,
                "unlinked_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "beneficiary_profile_age_band_check" CHECK (
                    age_band IN (
                        'under_18',
                        '18_25',
                        '26_44',
                        '45_59',
                        '60_74',
                        '75_plus'
                    )
                ),
                CONSTRAINT "PK_1056c1edd3845c4b057e37db601" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "beneficiary_profile_pseudonym_idx" ON "beneficiary_profile" ("person_pseudonym")
            WHERE person_pseudonym IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "handover" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "booklet_id" uuid NOT NULL,
                "order_id" uuid NOT NULL,
                "distributor_id" uuid NOT NULL,
                "agent_id" uuid NOT NULL,
                "handed_on" date NOT NULL,
                "profile_id" uuid NOT NULL,
                "returned_at" TIMESTAMP WITH TIME ZONE,
                "return_reason" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_15e64c0391cf9fb9278f297691f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "handover_profile_idx" ON "handover" ("profile_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "handover_distributor_idx" ON "handover" ("distributor_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "handover_live_booklet_key" ON "handover" ("booklet_id")
            WHERE returned_at IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "notice" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organisation_id" uuid NOT NULL,
                "order_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "due_on" date NOT NULL,
                "remaining_booklets" integer NOT NULL,
                "distribution_ends_on" date NOT NULL,
                "validity_end_date" date NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "read_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "notice_kind_check" CHECK (
                    kind IN (
                        'validity_30',
                        'validity_15',
                        'validity_7',
                        'distribution_stop'
                    )
                ),
                CONSTRAINT "PK_705062b14410ff1a04998f86d72" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "notice_organisation_idx" ON "notice" ("organisation_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "notice_once_key" ON "notice" ("organisation_id", "order_id", "kind")
        `);
    await queryRunner.query(`
            CREATE TABLE "personal_data_access" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "person_pseudonym" text NOT NULL,
                "actor_type" text NOT NULL,
                "actor_id" uuid NOT NULL,
                "organisation_id" uuid NOT NULL,
                "what" text NOT NULL,
                "purpose" text NOT NULL,
                "accessed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_18b5cfcd7267c4fe5349bcd93b3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "personal_data_access_time_idx" ON "personal_data_access" ("accessed_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "personal_data_access_person_idx" ON "personal_data_access" ("person_pseudonym", "accessed_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "privacy_request" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "reference" text NOT NULL,
                "booklet_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "message" text,
                "status" text NOT NULL DEFAULT 'open',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "closed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "UQ_6b507ac83c828d87b4a05162a46" UNIQUE ("reference"),
                CONSTRAINT "privacy_request_status_check" CHECK (status IN ('open', 'done', 'refused')),
                CONSTRAINT "privacy_request_kind_check" CHECK (
                    kind IN (
                        'access',
                        'erasure',
                        'rectification',
                        'objection',
                        'withdraw_consent'
                    )
                ),
                CONSTRAINT "PK_0f0855b007a744a88b91ef3b7b8" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "privacy_request_open_idx" ON "privacy_request" ("status", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "vault_person" (
                "vault_id" uuid NOT NULL,
                "pseudonym" text NOT NULL,
                "wrapped_key" bytea,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "erased_at" TIMESTAMP WITH TIME ZONE,
                "erasure_reason" text,
                CONSTRAINT "vault_person_pkey" PRIMARY KEY ("vault_id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "vault_person_pseudonym_key" ON "vault_person" ("pseudonym")
        `);
    await queryRunner.query(`
            CREATE TABLE "vault_record" (
                "vault_id" uuid NOT NULL,
                "field" text NOT NULL,
                "sealed" bytea NOT NULL,
                "consent_purpose" text NOT NULL,
                "consent_given_on" date NOT NULL,
                "consent_text_version" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "vault_record_pkey" PRIMARY KEY ("vault_id", "field")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "booklet"
            ADD "holder_distributor_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "booklet"
            ADD "allocated_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "booklet"
            ADD "distributed_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            CREATE INDEX "booklet_holder_idx" ON "booklet" ("holder_distributor_id")
            WHERE holder_distributor_id IS NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "booklet"
            ADD CONSTRAINT "booklet_holder_check" CHECK (
                    (state = 'CREATED') = (holder_distributor_id IS NULL)
                )
        `);
    for (const table of [
      'public_category',
      'beneficiary_profile',
      'handover',
      'notice',
      'vault_person',
      'vault_record',
      'personal_data_access',
      'privacy_request',
    ])
      await grantAppAccess(queryRunner, table, 'read-write');
    await grantSequenceUsage(queryRunner, 'personal_data_access_id_seq');
    await makeAppendOnly(queryRunner, 'allocation_movement');
    await queryRunner.query(`ALTER TABLE booklet SET (fillfactor = 85)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "booklet" DROP CONSTRAINT "booklet_holder_check"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."booklet_holder_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "booklet" DROP COLUMN "distributed_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "booklet" DROP COLUMN "allocated_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "booklet" DROP COLUMN "holder_distributor_id"
        `);
    await queryRunner.query(`
            DROP TABLE "vault_record"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."vault_person_pseudonym_key"
        `);
    await queryRunner.query(`
            DROP TABLE "vault_person"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."privacy_request_open_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "privacy_request"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."personal_data_access_person_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."personal_data_access_time_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "personal_data_access"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."notice_once_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."notice_organisation_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "notice"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."handover_live_booklet_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."handover_distributor_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."handover_profile_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "handover"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."beneficiary_profile_pseudonym_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "beneficiary_profile"
        `);
    await queryRunner.query(`
            DROP TABLE "public_category"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."allocation_movement_funder_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."allocation_movement_to_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."allocation_movement_from_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "allocation_movement"
        `);
  }
}
