import { MigrationInterface, QueryRunner } from 'typeorm';

/** Frozen copy: a later template is a new version in a new migration, never an edit here. */
const DEFAULT_TEMPLATE_V1: [
  stage: string,
  key: string,
  position: number,
  title: string,
  kind: string,
][] = [
  ['introduction', 'introductory_meeting', 1, 'Hold the introductory meeting', 'task'],
  ['introduction', 'organisation_profiles', 2, 'Exchange organisation profiles', 'task'],
  ['introduction', 'ongoing_projects', 3, 'Share ongoing projects and initiatives', 'task'],
  ['area_exploration', 'candidate_areas', 1, 'Propose candidate cooperation areas', 'task'],
  [
    'area_exploration',
    'regional_differences',
    2,
    'Assess regional differences (entrepreneurship culture, SME maturity, industrial focus, funding, policy and regulation)',
    'task',
  ],
  ['area_exploration', 'priority_areas', 3, 'Agree priority areas', 'approval'],
  [
    'knowledge_sharing',
    'entrepreneurship_culture',
    1,
    'Share entrepreneurship culture and support system',
    'task',
  ],
  ['knowledge_sharing', 'funding_environment', 2, 'Share the funding environment', 'task'],
  ['knowledge_sharing', 'startup_regulations', 3, 'Share start-up regulations', 'task'],
  ['knowledge_sharing', 'seminar', 4, 'Co-organise a seminar or training programme', 'task'],
  ['project_proposal', 'draft_proposal', 1, 'Draft the cooperation project proposal', 'task'],
  [
    'project_proposal',
    'review_proposal',
    2,
    'Partners review and approve the proposal',
    'approval',
  ],
  ['project_proposal', 'next_steps', 3, 'Agree next steps or sign a cooperation agreement', 'task'],
];

export class Lifecycle1795917305047 implements MigrationInterface {
  name = 'Lifecycle1795917305047';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "partnership_tasks" ("partnership_id" uuid NOT NULL, "id" text NOT NULL, "stage" text NOT NULL, "position" integer NOT NULL, "title" text NOT NULL, "required" boolean NOT NULL, "kind" text NOT NULL, "status" text NOT NULL, "assignee_contact_id" uuid, "due_date" date, "source" text NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, "updated_sequence" integer NOT NULL, CONSTRAINT "PK_15f94a68467a3f36a6b0b4b3684" PRIMARY KEY ("partnership_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_partnership_tasks_assignee" ON "partnership_tasks" ("assignee_contact_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "stage_template_tasks" ("template_key" text NOT NULL, "version" integer NOT NULL, "stage" text NOT NULL, "key" text NOT NULL, "position" integer NOT NULL, "title" text NOT NULL, "required" boolean NOT NULL, "kind" text NOT NULL, CONSTRAINT "PK_70b96539f89407df6b8616d6f28" PRIMARY KEY ("template_key", "version", "stage", "key"))`,
    );
    // Existing rows (created before templates existed) get the default template, version 1.
    await queryRunner.query(
      `ALTER TABLE "partnerships" ADD "template_key" text NOT NULL DEFAULT 'default'`,
    );
    await queryRunner.query(
      `ALTER TABLE "partnerships" ADD "template_version" integer NOT NULL DEFAULT 1`,
    );
    await queryRunner.query(
      `ALTER TABLE "partnerships" ADD "last_activity_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
    );
    await queryRunner.query(`UPDATE "partnerships" SET "last_activity_at" = "updated_at"`);
    await queryRunner.query(`ALTER TABLE "partnerships" ALTER COLUMN "template_key" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE "partnerships" ALTER COLUMN "template_version" DROP DEFAULT`,
    );
    await queryRunner.query(
      `ALTER TABLE "partnerships" ALTER COLUMN "last_activity_at" DROP DEFAULT`,
    );
    // The default stage template of the product brief, version 1.
    const values = DEFAULT_TEMPLATE_V1.map(
      (_, i) =>
        `('default', 1, $${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, true, $${i * 5 + 5})`,
    );
    await queryRunner.query(
      `INSERT INTO "stage_template_tasks" ("template_key", "version", "stage", "key", "position", "title", "required", "kind")
       VALUES ${values.join(', ')}`,
      DEFAULT_TEMPLATE_V1.flat(),
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_partnerships_last_activity" ON "partnerships" ("last_activity_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_partnerships_last_activity"`);
    await queryRunner.query(`ALTER TABLE "partnerships" DROP COLUMN "last_activity_at"`);
    await queryRunner.query(`ALTER TABLE "partnerships" DROP COLUMN "template_version"`);
    await queryRunner.query(`ALTER TABLE "partnerships" DROP COLUMN "template_key"`);
    await queryRunner.query(`DROP TABLE "stage_template_tasks"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_partnership_tasks_assignee"`);
    await queryRunner.query(`DROP TABLE "partnership_tasks"`);
  }
}
