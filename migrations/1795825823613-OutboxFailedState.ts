import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox rows get a terminal failed state (in-process job execution, when Redis is not configured):
 * operators list them through GET /v1/admin/jobs/failed. The relay's index now skips failed rows.
 */
export class OutboxFailedState1795825823613 implements MigrationInterface {
  name = 'OutboxFailedState1795825823613';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."outbox_message_unpublished_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_message"
            ADD "failed_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            CREATE INDEX "outbox_message_pending_idx" ON "outbox_message" ("next_attempt_at")
            WHERE published_at IS NULL AND failed_at IS NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "outbox_message_failed_idx" ON "outbox_message" ("failed_at", "id")
            WHERE failed_at IS NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."outbox_message_failed_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."outbox_message_pending_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_message" DROP COLUMN "failed_at"
        `);
    await queryRunner.query(`
            CREATE INDEX "outbox_message_unpublished_idx" ON "outbox_message" ("next_attempt_at")
            WHERE published_at IS NULL
        `);
  }
}
