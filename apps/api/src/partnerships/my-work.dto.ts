import { ApiProperty } from '@nestjs/swagger';
import { STAGES, WORK_ITEM_KINDS } from '@libs/domain';
import type { Stage, WorkItemKind } from '@libs/domain';
import { PageQuery } from './lifecycle.dto';

export class MyWorkQuery extends PageQuery {}

/** One thing that waits on the signed-in coordinator. */
export class MyWorkItemView {
  @ApiProperty({
    enum: WORK_ITEM_KINDS,
    description:
      'gate-ready: every required task of the stage is done and nothing else blocks advancing. ' +
      'approval-approved, approval-rejected, approval-expired: a request closed, and nobody has ' +
      'acted on the partnership since. approval-escalated: a pending request whose reminders ' +
      'are all sent, and nobody has acted since. task-overdue: an open task past its due date. ' +
      'stage-stalled: the stalled-stage reminder went out, and nobody has acted since.',
  })
  kind: WorkItemKind;
  @ApiProperty({ format: 'uuid' }) partnershipId: string;
  @ApiProperty() partnershipTitle: string;
  @ApiProperty({ enum: STAGES, description: 'The partnership’s current stage' }) stage: Stage;
  @ApiProperty({
    format: 'date-time',
    description:
      'When it began to wait: the gate opened, the request closed or was escalated, the task ' +
      'fell overdue (the start of the day after its due date in the assignee’s zone), the ' +
      'stalled-stage reminder went out. The list is newest first.',
  })
  at: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'approval-*: the approval request',
  })
  approvalId: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'introduction.introductory_meeting',
    description: 'task-overdue: the task',
  })
  taskId: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'approval-*: what was to be approved; task-overdue: the task’s title',
  })
  title: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2027-01-15', description: 'task-overdue' })
  dueDate: string | null;
}

export class MyWorkPageView {
  @ApiProperty({ type: [MyWorkItemView], description: 'Newest first' }) items: MyWorkItemView[];
  @ApiProperty({ type: 'integer', minimum: 1 }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) pageSize: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) total: number;
}
