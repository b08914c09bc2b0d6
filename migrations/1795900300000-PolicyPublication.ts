import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 8: a policy the operator publishes has a public transparency report at its slug. */

export class PolicyPublication1795900300000 implements MigrationInterface {
  name = 'PolicyPublication1795900300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "policy"
            ADD "slug" text
        `);
    await queryRunner.query(`
            ALTER TABLE "policy"
            ADD "published_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "policy_slug_key" ON "policy" ("slug")
            WHERE slug IS NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."policy_slug_key"
        `);
    await queryRunner.query(`
            ALTER TABLE "policy" DROP COLUMN "published_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "policy" DROP COLUMN "slug"
        `);
  }
}
