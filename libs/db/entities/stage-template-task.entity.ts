import { Entity, PrimaryColumn } from 'typeorm';
import * as column from './columns';
import type { Stage } from '../../domain';

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
}
