import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The operator's default service categories. Data only (no schema change). ON CONFLICT DO NOTHING:
 * a category the operator already created or renamed is left as it is.
 */
export class SeedServiceCategories1795825925326 implements MigrationInterface {
  name = 'SeedServiceCategories1795825925326';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            INSERT INTO "service_category" ("code", "label_fr", "label_en") VALUES
                ('atelier-collectif', 'Atelier collectif', 'Group workshop'),
                ('accompagnement-individuel', 'Accompagnement individuel', 'One-to-one support'),
                ('aide-demarches', 'Aide aux démarches en ligne', 'Help with online procedures'),
                ('initiation-materiel', 'Prise en main d''un équipement', 'Getting started with a device')
            ON CONFLICT ("code") DO NOTHING
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DELETE FROM "service_category"
             WHERE "code" IN ('atelier-collectif', 'accompagnement-individuel', 'aide-demarches', 'initiation-materiel')
        `);
  }
}
