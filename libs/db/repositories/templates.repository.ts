import type { DataSource } from 'typeorm';
import {
  gateRulesOf,
  gateRuleOf,
  TEMPLATE_STAGES,
  type GateConsentRule,
  type GateRules,
  type TemplateStatus,
  type TemplateTaskTitles,
  type TemplateTitles,
  type TemplateVersionContent,
  type TemplateVersionTask,
} from '../../domain';
import {
  StageTemplateGateEntity,
  StageTemplateTaskEntity,
} from '../entities/stage-template-task.entity';
import { rows, type SqlRunner } from './sql';

/** A template version's header: its status, and who created and published it when. */
export interface TemplateVersionHeader {
  templateKey: string;
  version: number;
  status: TemplateStatus;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  publishedBy: string | null;
  publishedAt: Date | null;
  taskCount: number;
}

export type TemplateVersionRecord = TemplateVersionHeader & { content: TemplateVersionContent };

const HEADER = `s.template_key AS "templateKey", s.version, s.status, s.created_by AS "createdBy",
       s.created_at AS "createdAt", s.updated_at AS "updatedAt", s.published_by AS "publishedBy",
       s.published_at AS "publishedAt",
       (SELECT count(*)::int FROM stage_template_tasks t
         WHERE t.template_key = s.template_key AND t.version = s.version) AS "taskCount"`;

function titlesOf(row: StageTemplateTaskEntity): TemplateTitles {
  return {
    en: row.title,
    ...(row.titleEs !== null ? { es: row.titleEs } : {}),
    ...(row.titleZh !== null ? { zh: row.titleZh } : {}),
  };
}

/**
 * The stage templates (`stage_templates`, `stage_template_tasks`, `stage_template_gates`):
 * versions admins create, edit while drafts and publish, and the published version new
 * partnerships start with. A published version's rows are never written again.
 */
export class TemplatesRepository {
  constructor(private readonly db: DataSource) {}

  /** Every version, by key then version. */
  list(): Promise<TemplateVersionHeader[]> {
    return rows<TemplateVersionHeader>(
      this.db,
      `SELECT ${HEADER} FROM stage_templates s ORDER BY s.template_key, s.version`,
    );
  }

  /** One version with its content, or undefined. `forUpdate` locks its header row in `db`'s transaction. */
  async find(
    key: string,
    version: number,
    db: SqlRunner = this.db,
    forUpdate = false,
  ): Promise<TemplateVersionRecord | undefined> {
    const [header] = await rows<TemplateVersionHeader>(
      db,
      `SELECT ${HEADER} FROM stage_templates s WHERE s.template_key = $1 AND s.version = $2
       ${forUpdate ? 'FOR UPDATE' : ''}`,
      [key, version],
    );
    if (!header) return undefined;
    return { ...header, content: await this.contentOf(key, version, db) };
  }

  /** The latest published version of `key` (undefined when none is published). */
  async latestPublished(key: string): Promise<TemplateVersionRecord | undefined> {
    const [latest] = await rows<{ version: number }>(
      this.db,
      `SELECT max(version)::int AS version FROM stage_templates
        WHERE template_key = $1 AND status = 'published'`,
      [key],
    );
    return latest?.version ? this.find(key, latest.version) : undefined;
  }

  /** What a version says, stage by stage (every stage of a template, tasks by position). */
  async contentOf(
    key: string,
    version: number,
    db: SqlRunner = this.db,
  ): Promise<TemplateVersionContent> {
    const tasks = await rows<StageTemplateTaskEntity>(
      db,
      `SELECT stage, key, position, title, title_es AS "titleEs", title_zh AS "titleZh",
              required, kind, answered_by AS "answeredBy", due_offset_days AS "dueOffsetDays"
         FROM stage_template_tasks WHERE template_key = $1 AND version = $2
        ORDER BY position, key`,
      [key, version],
    );
    const gates = await this.gateRules(key, version, db);
    return {
      stages: TEMPLATE_STAGES.map((stage) => ({
        stage,
        gate: gateRuleOf(gates, stage),
        tasks: tasks
          .filter((t) => t.stage === stage)
          .map((t): TemplateVersionTask => ({
            key: t.key,
            kind: t.kind,
            required: t.required,
            ...(t.answeredBy ? { answeredBy: t.answeredBy } : {}),
            dueOffsetDays: t.dueOffsetDays,
            titles: titlesOf(t),
          })),
      })),
    };
  }

  /**
   * A new draft of `key` in the caller's transaction: the version after the latest, empty or
   * with the content of `copy`. Refused while `key` has a draft already (one at a time, so a
   * retried request cannot leave two), or when `copy` does not exist.
   */
  async createDraft(
    tx: SqlRunner,
    key: string,
    copy: { key: string; version: number } | undefined,
    by: string,
  ): Promise<{ created: number } | 'draft_exists' | 'copy_missing'> {
    // Versions of a key are numbered one after another: one creator at a time.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`templates:${key}`]);
    const [held] = await rows<{ latest: number | null; drafts: number }>(
      tx,
      `SELECT max(version)::int AS latest, count(*) FILTER (WHERE status = 'draft')::int AS drafts
         FROM stage_templates WHERE template_key = $1`,
      [key],
    );
    if (held.drafts > 0) return 'draft_exists';
    const content = copy ? await this.find(copy.key, copy.version, tx) : undefined;
    if (copy && !content) return 'copy_missing';
    const version = (held.latest ?? 0) + 1;
    await tx.query(
      `INSERT INTO stage_templates (template_key, version, status, created_by) VALUES ($1, $2, 'draft', $3)`,
      [key, version, by],
    );
    if (content) await this.writeContent(tx, key, version, content.content);
    return { created: version };
  }

  /** Replaces a draft's content in the caller's transaction (its header row locked by find). */
  async replaceContent(
    tx: SqlRunner,
    key: string,
    version: number,
    content: TemplateVersionContent,
  ): Promise<void> {
    await tx.query(`DELETE FROM stage_template_tasks WHERE template_key = $1 AND version = $2`, [
      key,
      version,
    ]);
    await tx.query(`DELETE FROM stage_template_gates WHERE template_key = $1 AND version = $2`, [
      key,
      version,
    ]);
    await this.writeContent(tx, key, version, content);
    await tx.query(
      `UPDATE stage_templates SET updated_at = now() WHERE template_key = $1 AND version = $2`,
      [key, version],
    );
  }

  /** Marks a draft published in the caller's transaction (its header row locked by find). */
  async markPublished(tx: SqlRunner, key: string, version: number, by: string): Promise<void> {
    await tx.query(
      `UPDATE stage_templates SET status = 'published', published_by = $3, published_at = now()
        WHERE template_key = $1 AND version = $2 AND status = 'draft'`,
      [key, version, by],
    );
  }

  /** Whose consent each stage's gate needs in a template version (stages without a row: none). */
  async gateRules(key: string, version: number, db: SqlRunner = this.db): Promise<GateRules> {
    return gateRulesOf(
      await rows<StageTemplateGateEntity>(
        db,
        `SELECT stage, consent, organisation_rule AS "organisationRule"
           FROM stage_template_gates WHERE template_key = $1 AND version = $2`,
        [key, version],
      ),
    );
  }

  /** The titles of the template tasks of the version a partnership keeps, by task id. */
  async titlesOfPartnership(partnershipId: string): Promise<TemplateTaskTitles> {
    const found = await rows<StageTemplateTaskEntity>(
      this.db,
      `SELECT t.stage, t.key, t.title, t.title_es AS "titleEs", t.title_zh AS "titleZh"
         FROM partnerships p
         JOIN stage_template_tasks t
           ON t.template_key = p.template_key AND t.version = p.template_version
        WHERE p.id = $1`,
      [partnershipId],
    );
    return Object.fromEntries(found.map((t) => [`${t.stage}.${t.key}`, titlesOf(t)]));
  }

  private async writeContent(
    tx: SqlRunner,
    key: string,
    version: number,
    content: TemplateVersionContent,
  ): Promise<void> {
    const tasks = content.stages.flatMap((s) =>
      s.tasks.map((t, position) => ({
        stage: s.stage,
        key: t.key,
        position,
        title: t.titles.en,
        titleEs: t.titles.es ?? null,
        titleZh: t.titles.zh ?? null,
        required: t.required,
        kind: t.kind,
        answeredBy: t.answeredBy ?? null,
        dueOffsetDays: t.dueOffsetDays,
      })),
    );
    if (tasks.length > 0) {
      await tx.query(
        `INSERT INTO stage_template_tasks (template_key, version, stage, key, position, title,
                title_es, title_zh, required, kind, answered_by, due_offset_days)
         SELECT $1, $2, t.stage, t.key, t.position, t.title, t."titleEs", t."titleZh", t.required,
                t.kind, t."answeredBy", t."dueOffsetDays"
           FROM jsonb_to_recordset($3::jsonb) AS t(stage text, key text, position int, title text,
                "titleEs" text, "titleZh" text, required boolean, kind text, "answeredBy" text,
                "dueOffsetDays" int)`,
        [key, version, JSON.stringify(tasks)],
      );
    }
    // A stage that needs no consent has no row (as in the seeded versions).
    const gates = content.stages.flatMap((s) =>
      s.gate.consent === 'partners'
        ? [
            {
              stage: s.stage,
              organisationRule: (s.gate as GateConsentRule & { consent: 'partners' })
                .organisationRule,
            },
          ]
        : [],
    );
    if (gates.length > 0) {
      await tx.query(
        `INSERT INTO stage_template_gates (template_key, version, stage, consent, organisation_rule)
         SELECT $1, $2, g.stage, 'partners', g."organisationRule"
           FROM jsonb_to_recordset($3::jsonb) AS g(stage text, "organisationRule" text)`,
        [key, version, JSON.stringify(gates)],
      );
    }
  }
}
