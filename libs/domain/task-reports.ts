import { decide, Decision, DecisionContext, LifecycleState } from './lifecycle';
import type { ContactActor } from './timeline';

/**
 * What a task's assignee (a partner contact, through a signed task link) reports: the task is
 * done, with an optional comment, or something blocks it, said in their own words.
 */
export type TaskReport =
  | { kind: 'done'; taskId: string; comment?: string | null }
  | { kind: 'blocked'; taskId: string; reason: string };

/** The last block a contact reported on a task (kept by the workflow until the task is done). */
export interface TaskBlock {
  reason: string;
  contactId: string;
  at: string;
}

/** Longest comment or reason a report keeps, in characters. */
export const MAX_TASK_REPORT_LENGTH = 2000;

function refuse(code: 'TASK_NOT_ASSIGNED' | 'NOTHING_TO_CHANGE', message: string): Decision {
  return { ok: false, rejection: { code, message, blockers: [] } };
}

/**
 * Whether the contact may make this report now, and what it records. Only the task's current
 * assignee may report; an ended partnership and a done task take no report; a report of the same
 * block again (a double submit) changes nothing. "Done" completes the task through the lifecycle's
 * own rule book, so it is the same change a coordinator makes, with the contact as its actor.
 */
export function decideTaskReport(
  state: LifecycleState,
  blocks: Readonly<Record<string, TaskBlock>>,
  report: TaskReport,
  ctx: DecisionContext & { actor: ContactActor },
): Decision {
  // The lifecycle's checks first (ended partnership, unknown or done task), in its words.
  const completion = decide(
    state,
    { type: 'completeTask', taskId: report.taskId, comment: undefined },
    ctx,
  );
  if (!completion.ok) return completion;
  const task = state.tasks.find((t) => t.id === report.taskId)!;
  if (task.assigneeContactId !== ctx.actor.id) {
    return refuse('TASK_NOT_ASSIGNED', `Task "${task.title}" is not assigned to this contact`);
  }
  if (report.kind === 'done') {
    const comment = report.comment?.trim().slice(0, MAX_TASK_REPORT_LENGTH) || undefined;
    return decide(state, { type: 'completeTask', taskId: task.id, comment }, ctx);
  }
  const reason = report.reason.trim().slice(0, MAX_TASK_REPORT_LENGTH);
  if (!reason) {
    return {
      ok: false,
      rejection: { code: 'REASON_REQUIRED', message: 'Say what blocks the task', blockers: [] },
    };
  }
  const last = blocks[task.id];
  if (last && last.contactId === ctx.actor.id && last.reason === reason) {
    return refuse('NOTHING_TO_CHANGE', 'This block is already reported');
  }
  return {
    ok: true,
    state,
    events: [{ type: 'task.blocked', payload: { taskId: task.id, title: task.title, reason } }],
  };
}

/** The blocks kept after a report: a new block replaces the last, a done task drops its own. */
export function blocksAfterReport(
  blocks: Readonly<Record<string, TaskBlock>>,
  report: TaskReport,
  contactId: string,
  at: string,
): Record<string, TaskBlock> {
  const next = { ...blocks };
  if (report.kind === 'done') delete next[report.taskId];
  else
    next[report.taskId] = {
      reason: report.reason.trim().slice(0, MAX_TASK_REPORT_LENGTH),
      contactId,
      at,
    };
  return next;
}
