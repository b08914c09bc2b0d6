import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess, grantSequenceUsage, makeAppendOnly } from '../libs/db/src/grants';

export class Foundation1795824210240 implements MigrationInterface {
  name = 'Foundation1795824210240';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "organisation" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "kinds" text array NOT NULL,
                "funder_type" text,
                "legal_name" text NOT NULL,
                "siren" text NOT NULL,
                "siret" text,
                "address_line" text NOT NULL,
                "postcode" text NOT NULL,
                "commune_code" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "organisation_siret_check" CHECK (
                    siret IS NULL
                    OR (
                        siret ~ '^[0-9]{14}$'
                        AND left(siret, 9) = siren
                    )
                ),
                CONSTRAINT "organisation_siren_check" CHECK (siren ~ '^[0-9]{9}$'),
                CONSTRAINT "organisation_funder_type_check" CHECK (
                    (funder_type IS NULL) = NOT ('funder' = ANY(kinds))
                    AND (
                        funder_type IS NULL
                        OR funder_type IN (
                            'collectivity',
                            'public_operator',
                            'company',
                            'state'
                        )
                    )
                ),
                CONSTRAINT "organisation_kinds_check" CHECK (
                    cardinality(kinds) > 0
                    AND kinds <@ ARRAY ['operator','funder','distributor','site']::text []
                ),
                CONSTRAINT "PK_c725ae234ef1b74cce43d2d00c1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "organisation_created_idx" ON "organisation" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "organisation_siret_key" ON "organisation" ("siret")
            WHERE siret IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "api_key" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organisation_id" uuid NOT NULL,
                "name" text NOT NULL,
                "role" text NOT NULL,
                "prefix" text NOT NULL,
                "secret_hash" bytea NOT NULL,
                "created_by_user_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "api_key_role_check" CHECK (
                    role IN ('admin', 'agent', 'finance', 'viewer', 'dpo')
                ),
                CONSTRAINT "PK_b1bd840641b8acbaad89c3d8d11" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "api_key_organisation_idx" ON "api_key" ("organisation_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "api_key_hash_key" ON "api_key" ("secret_hash")
        `);
    await queryRunner.query(`
            CREATE TABLE "app_user" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organisation_id" uuid NOT NULL,
                "email" text NOT NULL,
                "display_name" text NOT NULL,
                "role" text NOT NULL,
                "status" text NOT NULL DEFAULT 'invited',
                "password_hash" text,
                "password_changed_at" TIMESTAMP WITH TIME ZONE,
                "totp_secret" text,
                "totp_enabled_at" TIMESTAMP WITH TIME ZONE,
                "totp_last_step" bigint,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "app_user_email_check" CHECK (
                    email = lower(email)
                    AND position('@' in email) > 1
                ),
                CONSTRAINT "app_user_status_check" CHECK (status IN ('invited', 'active', 'disabled')),
                CONSTRAINT "app_user_role_check" CHECK (
                    role IN ('admin', 'agent', 'finance', 'viewer', 'dpo')
                ),
                CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "app_user_organisation_idx" ON "app_user" ("organisation_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "app_user_email_key" ON "app_user" ("email")
        `);
    await queryRunner.query(`
            CREATE TABLE "refresh_token" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "family_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "token_hash" bytea NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_b575dd3c21fb0831013c909e7fe" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "refresh_token_user_idx" ON "refresh_token" ("user_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "refresh_token_family_idx" ON "refresh_token" ("family_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "refresh_token_hash_key" ON "refresh_token" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE TABLE "set_password_token" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "token_hash" bytea NOT NULL,
                "channel" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_3ad94d41e46fb5624e7c650f34b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "set_password_token_user_idx" ON "set_password_token" ("user_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "set_password_token_hash_key" ON "set_password_token" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE TABLE "partnership" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "funder_id" uuid NOT NULL,
                "distributor_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "ended_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_f1bf1be9f475497d8b396d4cc56" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "partnership_distributor_idx" ON "partnership" ("distributor_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "partnership_active_key" ON "partnership" ("funder_id", "distributor_id")
            WHERE ended_at IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "service_category" (
                "code" text NOT NULL,
                "label_fr" text NOT NULL,
                "label_en" text NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "service_category_code_check" CHECK (code ~ '^[a-z][a-z0-9_-]{1,39}$'),
                CONSTRAINT "PK_97127f0e638f9dc6c47e81fe6ba" PRIMARY KEY ("code")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "audit_event" (
                "id" uuid NOT NULL,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "action" text NOT NULL,
                "actor_type" text NOT NULL,
                "actor_id" uuid,
                "actor_organisation_id" uuid,
                "subject_type" text NOT NULL,
                "subject_id" text,
                "reason_code" text,
                "canonical" bytea NOT NULL,
                CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_event_recorded_at_idx" ON "audit_event" ("recorded_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_event_subject_idx" ON "audit_event" ("subject_type", "subject_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "outbox_message" (
                "id" BIGSERIAL NOT NULL,
                "job_name" text NOT NULL,
                "job_id" text NOT NULL,
                "payload" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "published_at" TIMESTAMP WITH TIME ZONE,
                "attempts" integer NOT NULL DEFAULT '0',
                "last_error" text,
                CONSTRAINT "UQ_a45cb3800d93eac23d47bea4163" UNIQUE ("job_id"),
                CONSTRAINT "PK_2f36ee5236f2793f3e7bd554589" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "outbox_message_unpublished_idx" ON "outbox_message" ("next_attempt_at")
            WHERE published_at IS NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "api_key"
            ADD CONSTRAINT "FK_656bf45bf240ad0a5aced63ae53" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "app_user"
            ADD CONSTRAINT "FK_6fa42e978fa7d7adc32736e26fd" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "refresh_token"
            ADD CONSTRAINT "FK_6bbe63d2fe75e7f0ba1710351d4" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "set_password_token"
            ADD CONSTRAINT "FK_f1df3f12d88eed86e9e4684f9fa" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "partnership"
            ADD CONSTRAINT "FK_f26b83f3fe2ff231f0df37233f9" FOREIGN KEY ("funder_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "partnership"
            ADD CONSTRAINT "FK_bdc0537a5da62f5888d2a40ee56" FOREIGN KEY ("distributor_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // Hand-written: invariants and privileges TypeORM does not model.
    // One function refuses UPDATE, DELETE and TRUNCATE on every append-only table.
    await queryRunner.query(`
            CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% on %.% refused: the table is append-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege';
            END $$
        `);
    await makeAppendOnly(queryRunner, 'audit_event');
    for (const table of [
      'organisation',
      'partnership',
      'service_category',
      'app_user',
      'refresh_token',
      'set_password_token',
      'api_key',
      'outbox_message',
    ]) {
      await grantAppAccess(queryRunner, table, 'read-write');
    }
    await grantSequenceUsage(queryRunner, 'outbox_message_id_seq');
    await grantAppAccess(queryRunner, 'schema_migrations', 'read-only');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_event_append_only ON audit_event`);
    await queryRunner.query(`DROP TRIGGER audit_event_no_truncate ON audit_event`);
    await queryRunner.query(`
            ALTER TABLE "partnership" DROP CONSTRAINT "FK_bdc0537a5da62f5888d2a40ee56"
        `);
    await queryRunner.query(`
            ALTER TABLE "partnership" DROP CONSTRAINT "FK_f26b83f3fe2ff231f0df37233f9"
        `);
    await queryRunner.query(`
            ALTER TABLE "set_password_token" DROP CONSTRAINT "FK_f1df3f12d88eed86e9e4684f9fa"
        `);
    await queryRunner.query(`
            ALTER TABLE "refresh_token" DROP CONSTRAINT "FK_6bbe63d2fe75e7f0ba1710351d4"
        `);
    await queryRunner.query(`
            ALTER TABLE "app_user" DROP CONSTRAINT "FK_6fa42e978fa7d7adc32736e26fd"
        `);
    await queryRunner.query(`
            ALTER TABLE "api_key" DROP CONSTRAINT "FK_656bf45bf240ad0a5aced63ae53"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."outbox_message_unpublished_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "outbox_message"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_event_subject_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_event_recorded_at_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_event"
        `);
    await queryRunner.query(`
            DROP TABLE "service_category"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."partnership_active_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."partnership_distributor_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "partnership"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."set_password_token_hash_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."set_password_token_user_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "set_password_token"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."refresh_token_hash_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."refresh_token_family_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."refresh_token_user_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "refresh_token"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."app_user_email_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."app_user_organisation_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "app_user"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."api_key_hash_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."api_key_organisation_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "api_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."organisation_siret_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."organisation_created_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "organisation"
        `);
  }
}
