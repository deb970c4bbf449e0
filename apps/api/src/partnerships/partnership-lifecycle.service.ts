import { Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { DomainError, ErrorCode, EventActor } from '../../../../libs/domain';
import { TemporalClient } from '../../../../libs/temporal';
import {
  ActorArg,
  addTaskUpdate,
  advanceUpdate,
  closeUpdate,
  completeTaskUpdate,
  PartnershipLiveState,
  partnershipWorkflowId,
  pauseUpdate,
  reopenTaskUpdate,
  resumeUpdate,
  sendBackUpdate,
  updateTaskUpdate,
} from '../../../../workflows/partnership/partnership.contract';
import { AddTaskDto, TaskActionDto, TransitionDto, UpdateTaskDto } from './lifecycle.dto';
import { PartnershipView } from './partnership.dto';
import { domainErrorOf } from '../platform/update-failure';
import { PartnershipReadService } from './partnership-read.service';

export type Transition = 'advance' | 'send-back' | 'pause' | 'resume' | 'close';

/**
 * Coordinator actions: each is an update of the partnership's workflow, whose validator answers
 * at once whether it is legal. The update returns after the change reached the read model, so the
 * answer (and the client's next read) shows the new state.
 */
@Injectable()
export class PartnershipLifecycleService {
  constructor(
    private readonly temporal: TemporalClient,
    private readonly read: PartnershipReadService,
  ) {}

  async transition(
    by: EventActor,
    id: string,
    transition: Transition,
    body: TransitionDto,
  ): Promise<PartnershipView> {
    const needsReason = transition === 'send-back' || transition === 'close';
    if (needsReason && !body.reason?.trim()) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid request: reason', {
        errors: [
          { field: 'reason', messages: [`reason is required to ${transition.replace('-', ' ')}`] },
        ],
      });
    }
    const comment = body.comment;
    switch (transition) {
      case 'advance':
        return this.run(by, id, advanceUpdate, (actor) => ({ actor, comment }));
      case 'send-back':
        return this.run(by, id, sendBackUpdate, (actor) => ({
          actor,
          comment,
          reason: body.reason!,
        }));
      case 'pause':
        return this.run(by, id, pauseUpdate, (actor) => ({ actor, comment }));
      case 'resume':
        return this.run(by, id, resumeUpdate, (actor) => ({ actor, comment }));
      case 'close':
        return this.run(by, id, closeUpdate, (actor) => ({ actor, comment, reason: body.reason! }));
      default: {
        const unknown: never = transition;
        throw new Error(`unknown transition ${String(unknown)}`);
      }
    }
  }

  addTask(by: EventActor, id: string, body: AddTaskDto): Promise<PartnershipView> {
    return this.run(by, id, addTaskUpdate, (actor) => ({ actor, ...body }));
  }

  updateTask(
    by: EventActor,
    id: string,
    taskId: string,
    body: UpdateTaskDto,
  ): Promise<PartnershipView> {
    if (
      body.title === undefined &&
      body.assigneeContactId === undefined &&
      body.dueDate === undefined
    ) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid request: nothing to change', {
        errors: [
          { field: '(body)', messages: ['give at least one of title, assigneeContactId, dueDate'] },
        ],
      });
    }
    return this.run(by, id, updateTaskUpdate, (actor) => ({ actor, taskId, ...body }));
  }

  completeTask(
    by: EventActor,
    id: string,
    taskId: string,
    body: TaskActionDto,
  ): Promise<PartnershipView> {
    return this.run(by, id, completeTaskUpdate, (actor) => ({
      actor,
      taskId,
      comment: body.comment,
    }));
  }

  reopenTask(
    by: EventActor,
    id: string,
    taskId: string,
    body: TaskActionDto,
  ): Promise<PartnershipView> {
    return this.run(by, id, reopenTaskUpdate, (actor) => ({
      actor,
      taskId,
      comment: body.comment,
    }));
  }

  private async run<A extends ActorArg>(
    actor: EventActor,
    id: string,
    update: UpdateDefinition<PartnershipLiveState, [A], string>,
    args: (actor: EventActor) => A,
  ): Promise<PartnershipView> {
    const row = await this.read.requireRow(id);
    // A closed or agreed partnership's workflow has ended: answer from the projection.
    if (row.status === 'closed' || row.status === 'agreed') throw terminal(row.status);
    try {
      await this.temporal.workflow
        .getHandle(partnershipWorkflowId(id))
        .executeUpdate(update, { args: [args(actor)] });
    } catch (err) {
      throw await this.translate(err, id);
    }
    return this.read.detail(await this.read.require(id));
  }

  private async translate(err: unknown, id: string): Promise<unknown> {
    return domainErrorOf(err, { blockers: [] }) ?? (await endedRefusal(err, this.read, id)) ?? err;
  }
}

/**
 * The workflow ended between our read and the update (closed or agreed by a concurrent call, or
 * before a late call on one of its approvals): the refusal of a change to an ended partnership.
 */
export async function endedRefusal(
  err: unknown,
  read: PartnershipReadService,
  id: string,
): Promise<DomainError | undefined> {
  const ended =
    err instanceof WorkflowNotFoundError ||
    (err instanceof Error && /already completed/i.test(err.message));
  if (!ended) return undefined;
  const row = await read.requireRow(id);
  return row.status === 'closed' || row.status === 'agreed' ? terminal(row.status) : undefined;
}

/** The refusal of any change to an ended partnership. */
export function terminal(status: 'closed' | 'agreed'): DomainError {
  return status === 'closed'
    ? new DomainError(ErrorCode.PARTNERSHIP_CLOSED, 'The partnership is closed', { blockers: [] })
    : new DomainError(
        ErrorCode.PARTNERSHIP_AGREED,
        'The partnership is agreed; nothing more can change',
        {
          blockers: [],
        },
      );
}
