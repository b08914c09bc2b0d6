import { MigrationInterface, QueryRunner } from 'typeorm';
import { grantAppAccess } from '../libs/db/src/grants';

/** Print files of an order (PDF/CSV parts rendered by the worker): status, progress, size and digest. */

export class PrintFiles1795834479642 implements MigrationInterface {
  name = 'PrintFiles1795834479642';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "print_file" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "order_id" uuid NOT NULL,
                "format" text NOT NULL,
                "part" integer NOT NULL,
                "parts" integer NOT NULL,
                "booklet_from" integer NOT NULL,
                "booklet_to" integer NOT NULL,
                "status" text NOT NULL DEFAULT 'pending',
                "vouchers_done" integer NOT NULL DEFAULT '0',
                "vouchers_total" integer NOT NULL,
                "path" text,
                "size_bytes" bigint,
                "sha256" bytea,
                "error" text,
                "requested_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "ready_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "print_file_part_check" CHECK (
                    part BETWEEN 1 AND parts
                    AND booklet_from <= booklet_to
                ),
                CONSTRAINT "print_file_status_check" CHECK (
                    status IN ('pending', 'rendering', 'ready', 'failed')
                ),
                CONSTRAINT "print_file_format_check" CHECK (format IN ('pdf', 'csv')),
                CONSTRAINT "PK_9e299beaef016ae0e982b303b2c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "print_file_order_idx" ON "print_file" ("order_id", "created_at")
        `);
    await grantAppAccess(queryRunner, 'print_file', 'read-write');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."print_file_order_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "print_file"
        `);
  }
}
