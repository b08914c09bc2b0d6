import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess } from '../libs/db/src/grants';

/** Issue 8: report PDFs too large to draw in the request, rendered by the worker with progress. */

export class ReportExports1795901200000 implements MigrationInterface {
  name = 'ReportExports1795901200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "reporting_export" (
                "id" uuid NOT NULL,
                "kind" text NOT NULL,
                "organisation_id" uuid NOT NULL,
                "requested_by" uuid,
                "report" jsonb NOT NULL,
                "filename" text NOT NULL,
                "status" text NOT NULL DEFAULT 'pending',
                "rows_done" integer NOT NULL DEFAULT '0',
                "rows_total" integer NOT NULL,
                "path" text,
                "size_bytes" bigint,
                "sha256" bytea,
                "error" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "ready_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "reporting_export_status_check" CHECK (
                    status IN ('pending', 'rendering', 'ready', 'failed')
                ),
                CONSTRAINT "reporting_export_kind_check" CHECK (kind IN ('funnel', 'money')),
                CONSTRAINT "PK_886fcbb6a8f445cf6d9b3ace888" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "reporting_export_organisation_idx" ON "reporting_export" ("organisation_id", "created_at")
        `);
    await grantAppAccess(queryRunner, 'reporting_export', 'read-write');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."reporting_export_organisation_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "reporting_export"
        `);
  }
}
