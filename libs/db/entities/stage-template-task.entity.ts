import { Check, Entity, PrimaryColumn } from 'typeorm';
import * as column from './columns';
import type { GateConsent, OrganisationConsentRule, Stage } from '../../domain';

/**
 * Versioned stage templates. A partnership keeps the version it started with; a new version is a
 * new set of rows (seeded or added by admins), never an edit of an old one.
 */
@Entity({ name: 'stage_template_tasks' })
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

  @column.Text() title: string;

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
