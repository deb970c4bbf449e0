import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Gates and templates: a stage template says whose consent each stage's gate needs
 * (`stage_template_gates`) and which approval tasks only the partners' approval completes
 * (`answered_by`); the read model keeps when the current stage was entered (a gate request from
 * before counts no more). Version 2 of the default template: the tasks of version 1, its approval
 * tasks answered by the partners, and the project proposal's gate (the agreement) needing every
 * partner organisation's consent, given by any one of its contacts. Partnerships keep the version
 * they started with; new ones take version 2.
 */
export class GateConsent1796400000000 implements MigrationInterface {
  name = 'GateConsent1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "stage_template_gates" ("template_key" text NOT NULL, "version" integer NOT NULL, "stage" text NOT NULL, "consent" text NOT NULL, "organisation_rule" text, CONSTRAINT "CHK_stage_template_gates_rule" CHECK ((consent = 'none' AND organisation_rule IS NULL) OR (consent = 'partners' AND organisation_rule IN ('any', 'all'))), CONSTRAINT "PK_stage_template_gates" PRIMARY KEY ("template_key", "version", "stage"))`,
    );
    await queryRunner.query(`ALTER TABLE "stage_template_tasks" ADD "answered_by" text`);
    await queryRunner.query(`ALTER TABLE "partnership_tasks" ADD "answered_by" text`);
    await queryRunner.query(
      `ALTER TABLE "partnerships" ADD "gate_consent_since" TIMESTAMP WITH TIME ZONE`,
    );
    // Version 2 of the default template, from version 1 (a frozen copy in its migration).
    await queryRunner.query(
      `INSERT INTO "stage_template_tasks" ("template_key", "version", "stage", "key", "position", "title", "required", "kind", "answered_by")
       SELECT "template_key", 2, "stage", "key", "position", "title", "required", "kind",
              CASE WHEN "kind" = 'approval' THEN 'partners' END
         FROM "stage_template_tasks" WHERE "template_key" = 'default' AND "version" = 1`,
    );
    await queryRunner.query(
      `INSERT INTO "stage_template_gates" ("template_key", "version", "stage", "consent", "organisation_rule")
       VALUES ('default', 2, 'project_proposal', 'partners', 'any')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM "stage_template_tasks" WHERE "template_key" = 'default' AND "version" = 2`,
    );
    await queryRunner.query(`ALTER TABLE "partnerships" DROP COLUMN "gate_consent_since"`);
    await queryRunner.query(`ALTER TABLE "partnership_tasks" DROP COLUMN "answered_by"`);
    await queryRunner.query(`ALTER TABLE "stage_template_tasks" DROP COLUMN "answered_by"`);
    await queryRunner.query(`DROP TABLE "stage_template_gates"`);
  }
}
