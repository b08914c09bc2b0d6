import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess, makeAppendOnly } from '../libs/db/src/grants';

/**
 * Sites (profile, qualification history with labels, bank accounts under four eyes) and redemption
 * (redemptions with their lines, incidents). The qualification history is append-only.
 */

export class SitesRedemption1795844017121 implements MigrationInterface {
  name = 'SitesRedemption1795844017121';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "site_bank_account" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "site_id" uuid NOT NULL,
                "iban" text NOT NULL,
                "bic" text NOT NULL,
                "holder_name" text NOT NULL,
                "status" text NOT NULL DEFAULT 'pending',
                "requested_by" uuid NOT NULL,
                "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "decided_by" uuid,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "reject_reason" text,
                "valid_from" TIMESTAMP WITH TIME ZONE,
                "valid_until" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "site_bank_account_four_eyes_check" CHECK (
                    decided_by IS NULL
                    OR decided_by <> requested_by
                ),
                CONSTRAINT "site_bank_account_bic_check" CHECK (bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
                CONSTRAINT "site_bank_account_iban_check" CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$'),
                CONSTRAINT "site_bank_account_status_check" CHECK (
                    status IN ('pending', 'verified', 'rejected', 'superseded')
                ),
                CONSTRAINT "PK_4b3c51669811804e46a7a8cb7ec" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "site_bank_account_one_current_key" ON "site_bank_account" ("site_id")
            WHERE status = 'verified'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "site_bank_account_one_pending_key" ON "site_bank_account" ("site_id")
            WHERE status = 'pending'
        `);
    await queryRunner.query(`
            CREATE INDEX "site_bank_account_site_idx" ON "site_bank_account" ("site_id", "requested_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "site_profile" (
                "organisation_id" uuid NOT NULL,
                "latitude" double precision,
                "longitude" double precision,
                "service_category_codes" text array NOT NULL DEFAULT '{}',
                "charter_version" text,
                "charter_accepted_at" TIMESTAMP WITH TIME ZONE,
                "status" text NOT NULL DEFAULT 'draft',
                "status_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "site_profile_coordinates_check" CHECK (
                    (latitude IS NULL) = (longitude IS NULL)
                    AND (
                        latitude IS NULL
                        OR (
                            latitude BETWEEN -90 AND 90
                            AND longitude BETWEEN -180 AND 180
                        )
                    )
                ),
                CONSTRAINT "site_profile_status_check" CHECK (
                    status IN (
                        'draft',
                        'applied',
                        'qualified',
                        'suspended',
                        'revoked'
                    )
                ),
                CONSTRAINT "PK_7637bc0fca52336193da1297793" PRIMARY KEY ("organisation_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "site_profile_status_idx" ON "site_profile" ("status", "updated_at", "organisation_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "site_qualification" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "site_id" uuid NOT NULL,
                "decision" text NOT NULL,
                "reason_code" text NOT NULL,
                "label_name" text,
                "label_valid_from" date,
                "label_valid_until" date,
                "decided_by" uuid,
                "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "site_qualification_label_check" CHECK (
                    (decision = 'qualified') = (
                        label_name IS NOT NULL
                        AND label_valid_from IS NOT NULL
                        AND label_valid_until IS NOT NULL
                    )
                    AND (
                        label_valid_until IS NULL
                        OR label_valid_until >= label_valid_from
                    )
                ),
                CONSTRAINT "site_qualification_decision_check" CHECK (
                    decision IN ('applied', 'qualified', 'suspended', 'revoked')
                ),
                CONSTRAINT "PK_7ea0ec39ae041ad7cdd33f12afc" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "site_qualification_label_idx" ON "site_qualification" ("site_id", "label_valid_from")
            WHERE decision = 'qualified'
        `);
    await queryRunner.query(`
            CREATE INDEX "site_qualification_site_idx" ON "site_qualification" ("site_id", "decided_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "redemption" (
                "id" uuid NOT NULL,
                "site_id" uuid NOT NULL,
                "idempotency_key" text NOT NULL,
                "request_hash" bytea NOT NULL,
                "booklet_id" uuid NOT NULL,
                "order_id" uuid NOT NULL,
                "service_category_code" text NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "voucher_count" smallint NOT NULL,
                "amount_cents" bigint NOT NULL,
                "channel" text NOT NULL DEFAULT 'online',
                "agent_id" uuid,
                "api_key_id" uuid,
                "undone_at" TIMESTAMP WITH TIME ZONE,
                "undo_reason" text,
                "undone_by" uuid,
                "statement_id" uuid,
                CONSTRAINT "redemption_undo_check" CHECK ((undone_at IS NULL) = (undo_reason IS NULL)),
                CONSTRAINT "redemption_channel_check" CHECK (channel IN ('online', 'batch')),
                CONSTRAINT "redemption_amount_check" CHECK (amount_cents > 0),
                CONSTRAINT "redemption_voucher_count_check" CHECK (voucher_count > 0),
                CONSTRAINT "PK_e96b16cd3061a61305951bc95a3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "redemption_order_idx" ON "redemption" ("order_id", "recorded_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "redemption_site_idx" ON "redemption" ("site_id", "recorded_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "redemption_idempotency_key" ON "redemption" ("site_id", "idempotency_key")
        `);
    await queryRunner.query(`
            CREATE TABLE "redemption_line" (
                "redemption_id" uuid NOT NULL,
                "voucher_id" bigint NOT NULL,
                "voucher_serial" text NOT NULL,
                "amount_cents" bigint NOT NULL,
                "live" boolean NOT NULL DEFAULT true,
                CONSTRAINT "PK_be35412201f85a39d4153263bc2" PRIMARY KEY ("redemption_id", "voucher_id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "redemption_line_live_voucher_key" ON "redemption_line" ("voucher_id")
            WHERE live
        `);
    await queryRunner.query(`
            CREATE TABLE "redemption_incident" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "site_id" uuid NOT NULL,
                "idempotency_key" text NOT NULL,
                "request_hash" bytea NOT NULL,
                "reason_code" text NOT NULL,
                "booklet_id" uuid,
                "order_id" uuid,
                "voucher_serials" text array NOT NULL DEFAULT '{}',
                "amount_cents" bigint NOT NULL DEFAULT '0',
                "service_category_code" text NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "agent_id" uuid,
                "api_key_id" uuid,
                "status" text NOT NULL DEFAULT 'open',
                "resolution_reason" text,
                "resolved_by" uuid,
                "resolved_at" TIMESTAMP WITH TIME ZONE,
                "statement_id" uuid,
                CONSTRAINT "redemption_incident_resolution_check" CHECK ((status = 'open') = (resolved_at IS NULL)),
                CONSTRAINT "redemption_incident_status_check" CHECK (status IN ('open', 'accepted', 'rejected')),
                CONSTRAINT "PK_e0a95e58efa9a3317c7dc003101" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "redemption_incident_open_idx" ON "redemption_incident" ("recorded_at", "id")
            WHERE status = 'open'
        `);
    await queryRunner.query(`
            CREATE INDEX "redemption_incident_site_idx" ON "redemption_incident" ("site_id", "recorded_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "redemption_incident_idempotency_key" ON "redemption_incident" ("site_id", "idempotency_key")
        `);
    for (const table of ['site_profile', 'site_bank_account', 'redemption', 'redemption_line', 'redemption_incident'])
      await grantAppAccess(queryRunner, table, 'read-write');
    await makeAppendOnly(queryRunner, 'site_qualification');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."redemption_incident_idempotency_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."redemption_incident_site_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."redemption_incident_open_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "redemption_incident"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."redemption_line_live_voucher_key"
        `);
    await queryRunner.query(`
            DROP TABLE "redemption_line"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."redemption_idempotency_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."redemption_site_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."redemption_order_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "redemption"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."site_qualification_site_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."site_qualification_label_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "site_qualification"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."site_profile_status_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "site_profile"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."site_bank_account_site_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."site_bank_account_one_pending_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."site_bank_account_one_current_key"
        `);
    await queryRunner.query(`
            DROP TABLE "site_bank_account"
        `);
  }
}
