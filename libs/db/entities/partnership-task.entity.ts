import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import * as column from './columns';
import type { Stage } from '../../domain';

/** Projection of a partnership's tasks, written only by the workflow's activities. */
@Entity({ name: 'partnership_tasks' })
@Index('IDX_partnership_tasks_assignee', ['assigneeContactId'])
export class PartnershipTaskEntity {
  @PrimaryColumn({ name: 'partnership_id', type: 'uuid' })
  partnershipId: string;

  @PrimaryColumn({ type: 'text' })
  id: string;

  @column.Text() stage: Stage;

  @column.Integer() position: number;

  @column.Text() title: string;

  @column.Bool() required: boolean;

  @column.Text() kind: 'task' | 'approval';

  /** `partners`: only the partners' approval completes it; null: the coordinator completes it. */
  @column.Text({ name: 'answered_by', nullable: true }) answeredBy: 'partners' | null;

  @column.Text() status: 'open' | 'done';

  @column.Uuid({ name: 'assignee_contact_id', nullable: true }) assigneeContactId: string | null;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate: string | null;

  @column.Text() source: 'template' | 'custom';

  @column.Timestamp({ name: 'completed_at', nullable: true }) completedAt: Date | null;

  /** Timeline sequence of the last change applied; an older snapshot never overwrites a newer one. */
  @column.Integer({ name: 'updated_sequence' }) updatedSequence: number;
}
