import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, makeAppendOnly } from '../libs/db/src/grants';

/**
 * The audit log's Merkle tree: leaves (dense indexes over committed events), signed checkpoints and
 * the public keys that sign them. These three are append-only: the app role gets INSERT/SELECT only,
 * and triggers refuse UPDATE, DELETE and TRUNCATE from anyone. Plus `audit_comment`, the purgeable
 * free-text side table.
 */
export class AuditMerkle1795828569846 implements MigrationInterface {
  name = 'AuditMerkle1795828569846';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "audit_signing_key" (
                "key_id" text NOT NULL,
                "public_key_pem" text NOT NULL,
                "activated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_31203c4506665f32d222b42b299" PRIMARY KEY ("key_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "audit_checkpoint" (
                "tree_size" bigint NOT NULL,
                "root" bytea NOT NULL,
                "previous_tree_size" bigint,
                "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "key_id" text NOT NULL,
                "signature" bytea NOT NULL,
                "frontier" bytea NOT NULL,
                CONSTRAINT "PK_0b13d285aa4fcde23331d54d388" PRIMARY KEY ("tree_size")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "audit_leaf" (
                "leaf_index" bigint NOT NULL,
                "event_id" uuid NOT NULL,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "leaf_hash" bytea NOT NULL,
                CONSTRAINT "PK_dba1ec87352a2e41c6c6fe0b287" PRIMARY KEY ("leaf_index")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_leaf_recorded_idx" ON "audit_leaf" ("recorded_at", "event_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "audit_leaf_event_key" ON "audit_leaf" ("event_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_checkpoint"
            ADD CONSTRAINT "FK_357520b25152fc7eaf7733fa142" FOREIGN KEY ("key_id") REFERENCES "audit_signing_key"("key_id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_leaf"
            ADD CONSTRAINT "FK_a5fcff2fb2cf8327cabcc44bea9" FOREIGN KEY ("event_id") REFERENCES "audit_event"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    for (const table of ['audit_signing_key', 'audit_checkpoint', 'audit_leaf']) await makeAppendOnly(queryRunner, table);

    // Free-text comments live outside the tree so they can be purged: insert, read, delete — never update.
    await queryRunner.query(`
            CREATE TABLE "audit_comment" (
                "id" uuid NOT NULL,
                "text" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_01952d6b49cddf24e0b30640fe5" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          EXECUTE 'GRANT SELECT, INSERT, DELETE ON TABLE audit_comment TO ${APP_ROLE}';
        END IF;
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_comment"`);
    await queryRunner.query(`DROP TABLE "audit_leaf"`);
    await queryRunner.query(`DROP TABLE "audit_checkpoint"`);
    await queryRunner.query(`DROP TABLE "audit_signing_key"`);
  }
}
