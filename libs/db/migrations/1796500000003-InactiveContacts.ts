import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which of its organisations' contacts take part in each partnership, as its workflow has them
 * (`contact_ids`; contacts belong to organisations, so a contact added through one partnership
 * is listed by the others of the organisation, which do not take them until they are added
 * there), and those deactivated in it (`inactive_contact_ids`, libs/domain/partner-changes.ts).
 * Until today every contact of a partnership's organisations took part: the backfill says so.
 */
export class InactiveContacts1796500000003 implements MigrationInterface {
  name = 'InactiveContacts1796500000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "partnerships" ADD "inactive_contact_ids" jsonb NOT NULL DEFAULT '[]'`,
    );
    await queryRunner.query(
      `ALTER TABLE "partnerships" ADD "contact_ids" jsonb NOT NULL DEFAULT '[]'`,
    );
    await queryRunner.query(
      `UPDATE "partnerships" p
          SET "contact_ids" = COALESCE(
                (SELECT jsonb_agg(c.id ORDER BY c.id)
                   FROM "partnership_organisations" po
                   JOIN "contacts" c ON c.organisation_id = po.organisation_id
                  WHERE po.partnership_id = p.id),
                '[]')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "partnerships" DROP COLUMN "contact_ids"`);
    await queryRunner.query(`ALTER TABLE "partnerships" DROP COLUMN "inactive_contact_ids"`);
  }
}
