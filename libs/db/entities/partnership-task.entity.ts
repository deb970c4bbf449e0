import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Stage } from '../../domain';

/** Projection of a partnership's tasks, written only by the workflow's activities. */
@Entity({ name: 'partnership_tasks' })
@Index('IDX_partnership_tasks_assignee', ['assigneeContactId'])
export class PartnershipTaskEntity {
  @PrimaryColumn({ name: 'partnership_id', type: 'uuid' })
  partnershipId: string;

  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  stage: Stage;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'boolean' })
  required: boolean;

  @Column({ type: 'text' })
  kind: 'task' | 'approval';

  @Column({ type: 'text' })
  status: 'open' | 'done';

  @Column({ name: 'assignee_contact_id', type: 'uuid', nullable: true })
  assigneeContactId: string | null;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate: string | null;

  @Column({ type: 'text' })
  source: 'template' | 'custom';

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** Timeline sequence of the last change applied; an older snapshot never overwrites a newer one. */
  @Column({ name: 'updated_sequence', type: 'integer' })
  updatedSequence: number;
}
