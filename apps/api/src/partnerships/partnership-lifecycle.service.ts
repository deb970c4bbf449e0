import { Injectable } from '@nestjs/common';
import type { UpdateDefinition } from '@temporalio/common';
import { DomainError, ErrorCode, EventActor } from '@libs/domain';
import {
  ActorArg,
  addTaskUpdate,
  advanceUpdate,
  closeUpdate,
  completeTaskUpdate,
  PartnershipLiveState,
  pauseUpdate,
  reopenTaskUpdate,
  resumeUpdate,
  sendBackUpdate,
  updateTaskUpdate,
} from '@workflows/partnership/partnership.contract';
import { AddTaskDto, TaskActionDto, TransitionDto, UpdateTaskDto } from './lifecycle.dto';
import { PartnershipView } from './partnership.dto';
import { PartnershipReadService } from './partnership-read.service';
import { endedRefusal, PartnershipUpdatesService } from './partnership-updates.service';

export type Transition = 'advance' | 'send-back' | 'pause' | 'resume' | 'close';

/**
 * Coordinator actions: each is an update of the partnership's workflow, whose validator answers
 * at once whether it is legal. The update returns after the change reached the read model, so the
 * answer (and the client's next read) shows the new state.
 */
@Injectable()
export class PartnershipLifecycleService {
  constructor(
    private readonly updates: PartnershipUpdatesService,
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
    const ended = endedRefusal(row.status);
    if (ended) throw ended;
    await this.updates.execute(id, update, args(actor), { blockers: [] });
    return this.read.detail(await this.read.require(id));
  }
}
