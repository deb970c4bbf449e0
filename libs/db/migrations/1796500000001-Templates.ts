import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Spanish and Chinese titles of the default template's tasks as the domain's catalog gave
 * them when this migration was written (libs/domain/words.ts), frozen here: stage, key, es, zh.
 */
const TITLES: [string, string, string, string][] = [
  [
    'introduction',
    'introductory_meeting',
    'Celebrar la reunión de presentación',
    '召开首次介绍会议',
  ],
  [
    'introduction',
    'organisation_profiles',
    'Intercambiar los perfiles de las organizaciones',
    '交换机构简介',
  ],
  [
    'introduction',
    'ongoing_projects',
    'Compartir los proyectos e iniciativas en curso',
    '分享正在开展的项目和举措',
  ],
  [
    'area_exploration',
    'candidate_areas',
    'Proponer posibles áreas de cooperación',
    '提出候选合作领域',
  ],
  [
    'area_exploration',
    'regional_differences',
    'Evaluar las diferencias regionales (cultura emprendedora, madurez de las pymes, especialización industrial, financiación, políticas y normativa)',
    '评估地区差异（创业文化、中小企业成熟度、产业重点、资金、政策与法规）',
  ],
  ['area_exploration', 'priority_areas', 'Acordar las áreas prioritarias', '商定优先合作领域'],
  [
    'knowledge_sharing',
    'entrepreneurship_culture',
    'Compartir la cultura emprendedora y el sistema de apoyo',
    '分享创业文化与创业支持体系',
  ],
  [
    'knowledge_sharing',
    'funding_environment',
    'Compartir el entorno de financiación',
    '分享融资环境',
  ],
  [
    'knowledge_sharing',
    'startup_regulations',
    'Compartir la normativa sobre empresas emergentes',
    '分享初创企业相关法规',
  ],
  [
    'knowledge_sharing',
    'seminar',
    'Organizar conjuntamente un seminario o programa de formación',
    '联合举办研讨会或培训项目',
  ],
  [
    'project_proposal',
    'draft_proposal',
    'Redactar la propuesta de proyecto de cooperación',
    '起草合作项目提案',
  ],
  [
    'project_proposal',
    'review_proposal',
    'Revisar y aprobar la propuesta por parte de los socios',
    '合作伙伴审阅并批准提案',
  ],
  [
    'project_proposal',
    'next_steps',
    'Acordar los próximos pasos o firmar un acuerdo de cooperación',
    '商定后续步骤或签署合作协议',
  ],
];

/**
 * Template versions that admins create and publish (docs/templates.md): `stage_templates` holds
 * each version's status and who published it when; each task has its titles in Spanish and
 * Chinese and an optional due offset in working days. The versions there were (seeded) are
 * published, by nobody (the migration); the default template's tasks take the Spanish and
 * Chinese titles the catalog gave them (so e-mails say them as before).
 */
export class Templates1796500000001 implements MigrationInterface {
  name = 'Templates1796500000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "stage_templates" ("template_key" text NOT NULL, "version" integer NOT NULL, "status" text NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_by" uuid, "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_stage_templates_published" CHECK ((status = 'draft' AND published_at IS NULL AND published_by IS NULL) OR (status = 'published' AND published_at IS NOT NULL)), CONSTRAINT "PK_stage_templates" PRIMARY KEY ("template_key", "version"))`,
    );
    await queryRunner.query(`ALTER TABLE "stage_template_tasks" ADD "title_es" text`);
    await queryRunner.query(`ALTER TABLE "stage_template_tasks" ADD "title_zh" text`);
    await queryRunner.query(`ALTER TABLE "stage_template_tasks" ADD "due_offset_days" integer`);
    await queryRunner.query(
      `ALTER TABLE "stage_template_tasks" ADD CONSTRAINT "CHK_stage_template_tasks_due_offset" CHECK (due_offset_days IS NULL OR due_offset_days BETWEEN 0 AND 260)`,
    );
    await queryRunner.query(
      `INSERT INTO "stage_templates" ("template_key", "version", "status", "published_at")
       SELECT "template_key", "version", 'published', now()
         FROM "stage_template_tasks" GROUP BY "template_key", "version"
       UNION
       SELECT "template_key", "version", 'published', now()
         FROM "stage_template_gates" GROUP BY "template_key", "version"`,
    );
    await queryRunner.query(
      `UPDATE "stage_template_tasks" t SET "title_es" = v.es, "title_zh" = v.zh
         FROM jsonb_to_recordset($1::jsonb) AS v(stage text, key text, es text, zh text)
        WHERE t.template_key = 'default' AND t.stage = v.stage AND t.key = v.key`,
      [JSON.stringify(TITLES.map(([stage, key, es, zh]) => ({ stage, key, es, zh })))],
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Versions admins added go with the table that says whether they were published.
    await queryRunner.query(
      `DELETE FROM "stage_template_tasks" t USING "stage_templates" s
        WHERE s.template_key = t.template_key AND s.version = t.version AND s.created_by IS NOT NULL`,
    );
    await queryRunner.query(
      `DELETE FROM "stage_template_gates" g USING "stage_templates" s
        WHERE s.template_key = g.template_key AND s.version = g.version AND s.created_by IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "stage_template_tasks" DROP CONSTRAINT "CHK_stage_template_tasks_due_offset"`,
    );
    await queryRunner.query(`ALTER TABLE "stage_template_tasks" DROP COLUMN "due_offset_days"`);
    await queryRunner.query(`ALTER TABLE "stage_template_tasks" DROP COLUMN "title_zh"`);
    await queryRunner.query(`ALTER TABLE "stage_template_tasks" DROP COLUMN "title_es"`);
    await queryRunner.query(`DROP TABLE "stage_templates"`);
  }
}
