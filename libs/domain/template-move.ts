import type { ApprovalRequest } from './approvals';
import type { GateRules } from './gates';
import { endedRejection, tasksFromTemplate, type Task, type TemplateTask } from './lifecycle';
import { STAGES, type PartnershipStatus, type Stage } from './partnership';

/**
 * Moving a running partnership to a newer published version of its stage template: the
 * coordinator asks for it explicitly, having seen the versions' difference, and the workflow
 * applies it to the partnership's own tasks. These are the rules, with no server behind them.
 */

/** The version to move to, as the workflow is given it (workflowTemplateOf). */
export interface TemplateMoveTarget {
  key: string;
  version: number;
  tasks: TemplateTask[];
  gates?: GateRules;
}

/** What of the partnership the move reads. */
export interface MovablePartnership {
  status: PartnershipStatus;
  stage: Stage;
  templateKey: string;
  templateVersion: number;
  tasks: Task[];
  /** The requests the workflow carries: a pending one about a task that goes is withdrawn. */
  approvals: ApprovalRequest[];
}

export type TemplateMoveDecision =
  | {
      ok: true;
      /** The partnership's tasks after the move, in stage order. */
      tasks: Task[];
      /** The new version's gate rules (absent: no stage needs the partners' consent). */
      gates?: GateRules;
      /** Task ids, each list in task order. */
      added: string[];
      removed: string[];
      changed: string[];
      /** New template tasks of stages the partnership has left: not added (see docs/templates.md). */
      skipped: string[];
      /** Pending requests about a task that goes: the workflow withdraws them. */
      withdrawApprovalIds: string[];
    }
  | { ok: false; code: TemplateMoveRejectionCode; message: string };

export type TemplateMoveRejectionCode =
  'PARTNERSHIP_CLOSED' | 'PARTNERSHIP_AGREED' | 'TEMPLATE_NOT_NEWER' | 'TEMPLATE_KEY_DIFFERS';

const TASK_FIELDS = ['title', 'required', 'kind', 'answeredBy'] as const;

function templateTaskId(t: Pick<TemplateTask, 'stage' | 'key'>): string {
  return `${t.stage}.${t.key}`;
}

/**
 * What the move does to the partnership's tasks:
 * - a template task both versions have keeps its state (done stays done, its assignee and due
 *   date stay) and takes the new title, required flag, kind and answerer;
 * - a template task the new version drops goes while open (a pending request about it is
 *   withdrawn), and stays, as the record of what was done, once done;
 * - a task the new version adds is added open in its stage, the current one or one ahead; a stage
 *   the partnership has left gets none (its gate was passed under the old rules);
 * - tasks the coordinator added stay as they are, after the stage's template tasks;
 * - the gate rules become the new version's, for the current stage too.
 * Refused on an ended partnership, another template, or a version not newer than its own.
 */
export function decideTemplateMove(
  partnership: MovablePartnership,
  target: TemplateMoveTarget,
): TemplateMoveDecision {
  const ended = endedRejection(partnership.status);
  if (ended)
    return { ok: false, code: ended.code as TemplateMoveRejectionCode, message: ended.message };
  if (target.key !== partnership.templateKey) {
    return {
      ok: false,
      code: 'TEMPLATE_KEY_DIFFERS',
      message: `The partnership follows template ${partnership.templateKey}, not ${target.key}`,
    };
  }
  if (target.version <= partnership.templateVersion) {
    return {
      ok: false,
      code: 'TEMPLATE_NOT_NEWER',
      message: `The partnership keeps version ${partnership.templateVersion}; move it to a newer one`,
    };
  }
  const current = STAGES.indexOf(partnership.stage);
  const own = new Map(partnership.tasks.map((t) => [t.id, t]));
  const wanted = new Set(target.tasks.map(templateTaskId));
  const added: string[] = [];
  const changed: string[] = [];
  const skipped: string[] = [];
  const removed: string[] = [];
  const tasks: Task[] = [];
  for (const stage of STAGES) {
    for (const t of target.tasks.filter((x) => x.stage === stage)) {
      const id = templateTaskId(t);
      const before = own.get(id);
      if (before && before.source === 'template') {
        const after: Task = {
          ...before,
          title: t.title,
          required: t.required,
          kind: t.kind,
        };
        delete after.answeredBy;
        if (t.answeredBy) after.answeredBy = t.answeredBy;
        if (TASK_FIELDS.some((f) => before[f] !== after[f])) changed.push(id);
        tasks.push(after);
      } else if (before) {
        // A custom task with the same id cannot be: custom ids are not stage.key. Keep it.
        tasks.push(before);
      } else if (STAGES.indexOf(stage) < current) {
        skipped.push(id);
      } else {
        added.push(id);
        tasks.push(...tasksFromTemplate([t]));
      }
    }
    for (const task of partnership.tasks.filter((x) => x.stage === stage)) {
      if (tasks.includes(task) || wanted.has(task.id)) continue;
      if (task.source === 'template' && task.status === 'open') {
        removed.push(task.id);
        continue;
      }
      tasks.push(task);
    }
  }
  const gone = new Set(removed);
  const withdrawApprovalIds = partnership.approvals
    .filter(
      (a) => a.status === 'pending' && a.subject.kind === 'task' && gone.has(a.subject.taskId),
    )
    .map((a) => a.id);
  return {
    ok: true,
    tasks,
    ...(target.gates && Object.keys(target.gates).length > 0 ? { gates: target.gates } : {}),
    added,
    removed,
    changed,
    skipped,
    withdrawApprovalIds,
  };
}
