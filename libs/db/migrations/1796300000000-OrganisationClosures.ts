import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisations' own closure days, set by admins, and the revision that makes each change re-plan
 * the follow-ups of the organisation's partnerships (docs/calendars.md).
 */
export class OrganisationClosures1796300000000 implements MigrationInterface {
  name = 'OrganisationClosures1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "organisation_closures" ("organisation_id" uuid NOT NULL, "date" date NOT NULL, "name" text NOT NULL, "updated_by" uuid NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_47a50508f73bdb7489a49db1b8d" PRIMARY KEY ("organisation_id", "date"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisations" ADD "calendar_revision" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisation_closures" ADD CONSTRAINT "FK_organisation_closures_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "organisation_closures" DROP CONSTRAINT "FK_organisation_closures_organisation"`,
    );
    await queryRunner.query(`ALTER TABLE "organisations" DROP COLUMN "calendar_revision"`);
    await queryRunner.query(`DROP TABLE "organisation_closures"`);
  }
}
