import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 9: a distributor finds the hand-overs of one booklet (a person asking at the desk about their
 * data), cancelled ones included — the live-booklet key covers only those not cancelled.
 */
export class HandoverBookletIndex1795901400000 implements MigrationInterface {
  name = 'HandoverBookletIndex1795901400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "handover_booklet_idx" ON "handover" ("booklet_id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."handover_booklet_idx"
        `);
  }
}
