import { setHandler, upsertSearchAttributes, uuid4 } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import {
  blocksAfterReport,
  closeApproval,
  decide,
  decideTaskReport,
  EventActor,
  isTerminalStatus,
  LifecycleAction,
  Stage,
} from '../../libs/domain';
import {
  ActorArg,
  addTaskUpdate,
  advanceUpdate,
  closeUpdate,
  completeTaskUpdate,
  PartnershipLiveState,
  pauseUpdate,
  reopenTaskUpdate,
  ReportTaskArgs,
  resumeUpdate,
  sendBackUpdate,
  updateTaskUpdate,
} from './partnership.contract';
import { setDueDatesOnEntry } from './due-date-handlers';
import { inTime, rejectionFailure } from './failures';
import { EventDraft, PartnershipRun } from './partnership-run';
import { liveState, searchAttributes } from './views';

/**
 * A coordinator action: its update and the rule book's action it stands for; registering it
 * sets the update's handler and validator on the run.
 */
function coordinatorAction<A extends ActorArg>(
  update: UpdateDefinition<PartnershipLiveState, [A], string>,
  toAction: (arg: A) => LifecycleAction,
): (run: PartnershipRun) => void {
  return (run) =>
    setHandler(update, (a: A) => takeAction(run, toAction(a), a.actor), {
      validator: (a: A) => inTime(run, () => checkAction(run, toAction(a), a.actor)),
    });
}

/** Every coordinator action the lifecycle rule book decides, each registered alike. */
export const COORDINATOR_ACTIONS = [
  coordinatorAction(advanceUpdate, (a) => ({ type: 'advance', comment: a.comment })),
  coordinatorAction(sendBackUpdate, (a) => ({
    type: 'sendBack',
    reason: a.reason,
    comment: a.comment,
  })),
  coordinatorAction(pauseUpdate, (a) => ({ type: 'pause', comment: a.comment })),
  coordinatorAction(resumeUpdate, (a) => ({ type: 'resume', comment: a.comment })),
  coordinatorAction(closeUpdate, (a) => ({ type: 'close', reason: a.reason, comment: a.comment })),
  coordinatorAction(addTaskUpdate, (a) => ({
    type: 'addTask',
    title: a.title,
    stage: a.stage,
    required: a.required,
    assigneeContactId: a.assigneeContactId,
    dueDate: a.dueDate,
  })),
  coordinatorAction(updateTaskUpdate, (a) => ({
    type: 'updateTask',
    taskId: a.taskId,
    title: a.title,
    assigneeContactId: a.assigneeContactId,
    dueDate: a.dueDate,
  })),
  coordinatorAction(completeTaskUpdate, (a) => ({
    type: 'completeTask',
    taskId: a.taskId,
    comment: a.comment,
  })),
  coordinatorAction(reopenTaskUpdate, (a) => ({
    type: 'reopenTask',
    taskId: a.taskId,
    comment: a.comment,
  })),
];

/**
 * The validator of a coordinator action: the pure rule book without side effects (no random
 * id), so a refused action leaves no trace in history.
 */
export function checkAction(run: PartnershipRun, action: LifecycleAction, actor: EventActor): void {
  const decision = decide(run.lifecycle(), action, {
    now: new Date().toISOString(),
    newTaskId: 'validation',
    actor,
  });
  if (!decision.ok) throw rejectionFailure(decision);
}

/**
 * The handler of a coordinator action: decides again in the same activation (the state cannot
 * have moved since the validator), applies the change synchronously, so a concurrent update is
 * validated against the new state, and answers once the change is in the read model.
 */
export async function takeAction(
  run: PartnershipRun,
  action: LifecycleAction,
  actor: EventActor,
): Promise<PartnershipLiveState> {
  const { state } = run;
  const decision = decide(run.lifecycle(), action, {
    now: new Date().toISOString(),
    newTaskId: uuid4(),
    actor,
  });
  if (!decision.ok) throw rejectionFailure(decision);
  const { tasks, stage, status } = decision.state;
  const left = state.stage;
  const changedSearchAttributes = stage !== state.stage || status !== state.status;
  Object.assign(state, { tasks, stage, status });
  const drafts: EventDraft[] = [...decision.events];
  if (run.gateConsent && stage !== left) {
    // Consent counts for one visit to a stage: gate requests made before this entry count no
    // more. Set in the same activation as the stage, so no request can fall between the two.
    state.stageEnteredAt = new Date().toISOString();
    // A send-back withdraws the gate requests still pending in the stage it leaves: the
    // partners are not asked to consent to leave a stage the partnership is no longer in.
    if (action.type === 'sendBack') drafts.push(...withdrawGateRequests(run, left));
  }
  if (stage !== left && !isTerminalStatus(status)) {
    drafts.push(
      ...setDueDatesOnEntry(run, stage, state.stageEnteredAt ?? new Date().toISOString()),
    );
  }
  // An ended partnership asks nobody anything any more: its pending requests are withdrawn.
  if (isTerminalStatus(status)) {
    for (const request of run.approvals()) {
      const closed = closeApproval(request, 'withdrawn', new Date().toISOString());
      if (!closed.ok) continue;
      run.replaceApproval(closed.request);
      drafts.push({
        type: 'approval.withdrawn',
        payload: { approvalId: request.id, reason: `partnership ${status}` },
      });
    }
  }
  const sequence = run.emit(actor, drafts);
  if (changedSearchAttributes) upsertSearchAttributes(searchAttributes(state));
  await run.awaitProjected(sequence);
  return liveState(state);
}

/** Withdraws the pending gate requests of `stage`; the events that record it. */
function withdrawGateRequests(run: PartnershipRun, stage: Stage): EventDraft[] {
  const drafts: EventDraft[] = [];
  for (const request of run.approvals()) {
    if (request.subject.kind !== 'gate' || request.subject.stage !== stage) continue;
    const closed = closeApproval(request, 'withdrawn', new Date().toISOString());
    if (!closed.ok) continue;
    run.replaceApproval(closed.request);
    drafts.push({
      type: 'approval.withdrawn',
      payload: { approvalId: request.id, reason: 'partnership sent back' },
    });
  }
  return drafts;
}

/** A partner contact's report on their task (task link): decided like a coordinator action. */
function decideReport(run: PartnershipRun, { actor, report }: ReportTaskArgs) {
  return decideTaskReport(run.lifecycle(), run.state.taskBlocks ?? {}, report, {
    now: new Date().toISOString(),
    newTaskId: 'unused',
    actor,
  });
}

export function checkReport(run: PartnershipRun, arg: ReportTaskArgs): void {
  const decision = decideReport(run, arg);
  if (!decision.ok) throw rejectionFailure(decision);
}

export async function reportTask(
  run: PartnershipRun,
  arg: ReportTaskArgs,
): Promise<PartnershipLiveState> {
  const { state } = run;
  const decision = decideReport(run, arg);
  if (!decision.ok) throw rejectionFailure(decision);
  state.tasks = decision.state.tasks;
  state.taskBlocks = blocksAfterReport(
    state.taskBlocks ?? {},
    arg.report,
    arg.actor.id,
    new Date().toISOString(),
  );
  const sequence = run.emit(arg.actor, decision.events);
  await run.awaitProjected(sequence);
  return liveState(state);
}
