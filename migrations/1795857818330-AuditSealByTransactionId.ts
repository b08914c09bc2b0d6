import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit sealer finds late-committed events by transaction id (ADR 12): each event records the
 * 64-bit id of the transaction that wrote it (a database default, so every writer — TypeORM inserts
 * and the one-statement redemption alike — gets it without naming it), indexed; each checkpoint
 * records the id below which every event is sealed.
 *
 * The column is added without a default first, then given one: existing events keep NULL and the
 * table is not rewritten (a volatile default in ADD COLUMN would rewrite every row under an exclusive
 * lock). Their checkpoints have no `sealed_below_xid`, so the first pass after this migration checks
 * every event before the cursor once, as the old periodic sweep did.
 */
export class AuditSealByTransactionId1795857818330 implements MigrationInterface {
  name = 'AuditSealByTransactionId1795857818330';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "audit_checkpoint"
            ADD "sealed_below_xid" bigint
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_event"
            ADD "xid" bigint
        `);
    // A function, so the default reads the same in the catalogue as in the entity (schema drift check).
    await queryRunner.query(`
            CREATE FUNCTION audit_writer_xid() RETURNS bigint LANGUAGE sql VOLATILE PARALLEL SAFE
            AS 'SELECT pg_current_xact_id()::text::bigint'
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_event"
            ALTER COLUMN "xid" SET DEFAULT audit_writer_xid()
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_event_xid_idx" ON "audit_event" ("xid")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."audit_event_xid_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_event" DROP COLUMN "xid"
        `);
    await queryRunner.query(`
            DROP FUNCTION audit_writer_xid()
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_checkpoint" DROP COLUMN "sealed_below_xid"
        `);
  }
}
