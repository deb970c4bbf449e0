import { Check, Entity, PrimaryColumn } from 'typeorm';
import * as column from './columns';
import type { GateConsent, OrganisationConsentRule, Stage, TemplateStatus } from '../../domain';

/**
 * A version of a stage template (docs/templates.md): a draft an admin edits until it is
 * published, then never changed. A partnership keeps the version it started with; new ones take
 * the latest published version of `default`.
 */
@Entity({ name: 'stage_templates' })
@Check(
  'CHK_stage_templates_published',
  `(status = 'draft' AND published_at IS NULL AND published_by IS NULL) OR (status = 'published' AND published_at IS NOT NULL)`,
)
export class StageTemplateEntity {
  @PrimaryColumn({
    name: 'template_key',
    type: 'text',
    primaryKeyConstraintName: 'PK_stage_templates',
  })
  templateKey: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'PK_stage_templates' })
  version: number;

  @column.Text() status: TemplateStatus;

  /** The admin who created the draft (null: seeded by a migration). */
  @column.Uuid({ name: 'created_by', nullable: true }) createdBy: string | null;

  @column.Timestamp({ name: 'created_at', default: () => 'now()' }) createdAt: Date;

  /** The draft's last edit (its creation until edited). */
  @column.Timestamp({ name: 'updated_at', default: () => 'now()' }) updatedAt: Date;

  /** The admin who published it (null while a draft, or when a migration did). */
  @column.Uuid({ name: 'published_by', nullable: true }) publishedBy: string | null;

  @column.Timestamp({ name: 'published_at', nullable: true }) publishedAt: Date | null;
}

/**
 * The tasks of each template version, by stage. The rows of a published version never change;
 * a draft's are replaced whole by each edit.
 */
@Entity({ name: 'stage_template_tasks' })
@Check(
  'CHK_stage_template_tasks_due_offset',
  `due_offset_days IS NULL OR due_offset_days BETWEEN 0 AND 260`,
)
export class StageTemplateTaskEntity {
  @PrimaryColumn({ name: 'template_key', type: 'text' })
  templateKey: string;

  @PrimaryColumn({ type: 'integer' })
  version: number;

  @PrimaryColumn({ type: 'text' })
  stage: Stage;

  @PrimaryColumn({ type: 'text' })
  key: string;

  @column.Integer() position: number;

  /** The English title (always there). */
  @column.Text() title: string;

  /** The Spanish and Chinese titles; a draft may lack them, a published version has them. */
  @column.Text({ name: 'title_es', nullable: true }) titleEs: string | null;

  @column.Text({ name: 'title_zh', nullable: true }) titleZh: string | null;

  /** Working days after the partnership enters the stage by which the task is due; null: none. */
  @column.Integer({ name: 'due_offset_days', nullable: true }) dueOffsetDays: number | null;

  @column.Bool() required: boolean;

  @column.Text() kind: 'task' | 'approval';

  /** `partners`: an approval task only the partners' approval completes; null: the coordinator's. */
  @column.Text({ name: 'answered_by', nullable: true }) answeredBy: 'partners' | null;
}

/**
 * Whose consent a stage's gate needs in a template version: `none`, or every partner
 * organisation's under `organisation_rule` (`any` one of its contacts, or `all`). A stage
 * without a row needs none.
 */
@Entity({ name: 'stage_template_gates' })
@Check(
  'CHK_stage_template_gates_rule',
  `(consent = 'none' AND organisation_rule IS NULL) OR (consent = 'partners' AND organisation_rule IN ('any', 'all'))`,
)
export class StageTemplateGateEntity {
  @PrimaryColumn({
    name: 'template_key',
    type: 'text',
    primaryKeyConstraintName: 'PK_stage_template_gates',
  })
  templateKey: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'PK_stage_template_gates' })
  version: number;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_stage_template_gates' })
  stage: Stage;

  @column.Text() consent: GateConsent;

  @column.Text({ name: 'organisation_rule', nullable: true })
  organisationRule: OrganisationConsentRule | null;
}
