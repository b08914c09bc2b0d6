import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every read of personal data is recorded in the access log (issue 5), including reads by the
 * platform itself: the satisfaction-survey job opens a beneficiary's contact record to email them,
 * with no user, API key or organisation behind it. `actor_id` and `organisation_id` become nullable
 * for such reads, recorded with actor type 'system'; a check keeps them null exactly for 'system'
 * (and both set otherwise), another restricts the actor type to 'user', 'api_key' and 'system'.
 *
 * `down` fails while system reads are recorded (SET NOT NULL): they are not deleted silently.
 */
export class SystemPersonalDataReads1795846418569 implements MigrationInterface {
  name = 'SystemPersonalDataReads1795846418569';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "personal_data_access"
            ALTER COLUMN "actor_id" DROP NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "personal_data_access"
            ALTER COLUMN "organisation_id" DROP NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "personal_data_access"
            ADD CONSTRAINT "personal_data_access_actor_check" CHECK (
                    (actor_type = 'system') = (actor_id IS NULL)
                    AND (actor_id IS NULL) = (organisation_id IS NULL)
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "personal_data_access"
            ADD CONSTRAINT "personal_data_access_actor_type_check" CHECK (actor_type IN ('user', 'api_key', 'system'))
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "personal_data_access" DROP CONSTRAINT "personal_data_access_actor_type_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "personal_data_access" DROP CONSTRAINT "personal_data_access_actor_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "personal_data_access"
            ALTER COLUMN "organisation_id"
            SET NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "personal_data_access"
            ALTER COLUMN "actor_id"
            SET NOT NULL
        `);
  }
}
