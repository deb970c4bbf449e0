import {
  isTerminalStatus,
  nextStage,
  PartnershipStatus,
  previousStage,
  Stage,
} from './partnership';
import type { EventActor, TimelineEventType } from './timeline';
import type { ApprovalRequest } from './approvals';
import { ConsentBlocker, gateConsentBlockerOf, gateRuleOf, GateRules } from './gates';
import { KNOWLEDGE_STAGE, knowledgeGaps, KnowledgeState } from './knowledge';

/** A task of a stage. Template tasks have ids `<stage>.<key>`; custom ones a uuid. */
export interface Task {
  id: string;
  stage: Stage;
  title: string;
  /** Required tasks must be done before the stage's gate opens. */
  required: boolean;
  /** `approval` tasks are answered by partners (approvals issue); until then a coordinator completes them. */
  kind: 'task' | 'approval';
  /**
   * `partners`: an approval task only the partners' approval completes (asking for it sends an
   * approval request; templates from version 2). Absent: the coordinator completes it.
   */
  answeredBy?: 'partners';
  status: 'open' | 'done';
  assigneeContactId: string | null;
  /** Calendar date YYYY-MM-DD. */
  dueDate: string | null;
  source: 'template' | 'custom';
  completedAt: string | null;
}

export interface TemplateTask {
  key: string;
  stage: Stage;
  title: string;
  required: boolean;
  kind: 'task' | 'approval';
  answeredBy?: 'partners';
  /** Working days after the partnership enters the stage by which the task is due (due-dates.ts). */
  dueOffsetDays?: number;
}

export interface LifecycleState {
  stage: Stage;
  status: PartnershipStatus;
  tasks: Task[];
  /** Contacts of the partner organisations: the only valid assignees. */
  contactIds: string[];
  /** Approval requests; a gate request for the current stage must be approved to advance. */
  approvals?: ApprovalRequest[];
  /** Knowledge sharing (absent in runs from before it): the gate of its stage may ask for it. */
  knowledge?: KnowledgeState;
  /** The partner organisations (whose contributions the knowledge gate asks for). */
  organisationIds?: string[];
  /** Whose consent each stage's gate needs, from the stage template (absent: none). */
  gateRules?: GateRules;
  /**
   * When the current stage was entered (absent in runs from before): gate requests made before
   * count no more, so consent given before a send-back is asked again.
   */
  stageEnteredAt?: string;
}

export type LifecycleAction =
  | { type: 'advance'; comment?: string }
  | { type: 'sendBack'; reason: string; comment?: string }
  | { type: 'pause'; comment?: string }
  | { type: 'resume'; comment?: string }
  | { type: 'close'; reason: string; comment?: string }
  | {
      type: 'addTask';
      title: string;
      stage?: Stage;
      required?: boolean;
      assigneeContactId?: string | null;
      dueDate?: string | null;
    }
  | {
      type: 'updateTask';
      taskId: string;
      title?: string;
      assigneeContactId?: string | null;
      dueDate?: string | null;
    }
  | {
      type: 'completeTask';
      taskId: string;
      comment?: string;
      /** The approved request that completes a task the partners answer. */
      approvalId?: string;
    }
  | {
      type: 'reopenTask';
      taskId: string;
      comment?: string;
      /** The rejected request that sends a task the partners answer back for rework. */
      approvalId?: string;
    };

/** Why an action is refused; the API answers 409 with the code and the blockers. */
export const REJECTION_CODES = [
  'PARTNERSHIP_CLOSED',
  'PARTNERSHIP_AGREED',
  'PARTNERSHIP_PAUSED',
  'PARTNERSHIP_NOT_PAUSED',
  'GATE_TASKS_OPEN',
  'NO_PREVIOUS_STAGE',
  'REASON_REQUIRED',
  'TASK_NOT_FOUND',
  'TASK_ALREADY_DONE',
  'TASK_NOT_DONE',
  'TASK_STAGE_PASSED',
  'ASSIGNEE_NOT_A_CONTACT',
  'INVALID_DUE_DATE',
  'NOTHING_TO_CHANGE',
  'GATE_CONSENT_MISSING',
  'TASK_NOT_ASSIGNED',
  'KNOWLEDGE_CONTRIBUTIONS_MISSING',
  'TASK_NEEDS_APPROVAL',
  'PARTNERSHIP_NOT_CLOSED',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export type Blocker =
  | { kind: 'task'; taskId: string; title: string; stage: Stage }
  | ConsentBlocker
  | { kind: 'knowledge'; topicKey: string; title: string; organisationId: string };

export interface Rejection {
  code: RejectionCode;
  message: string;
  blockers: Blocker[];
}

export interface EventDraft {
  type: TimelineEventType;
  payload: Record<string, unknown>;
}

export type Decision =
  { ok: true; state: LifecycleState; events: EventDraft[] } | { ok: false; rejection: Rejection };

export interface DecisionContext {
  /** ISO time of the decision (workflow time). */
  now: string;
  /** Id for a task the action adds (generated deterministically by the caller). */
  newTaskId: string;
  actor: EventActor;
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function reject(code: RejectionCode, message: string, blockers: Blocker[] = []): Decision {
  return { ok: false, rejection: { code, message, blockers } };
}

/** An accepted action: the state it leads to and the one event that records it. */
function accept(
  state: LifecycleState,
  type: TimelineEventType,
  payload: Record<string, unknown>,
): Decision {
  return { ok: true, state, events: [{ type, payload }] };
}

/** An assignee or due date a task may not have (adding a task or changing one). */
function invalidTaskFields(
  state: Pick<LifecycleState, 'contactIds'>,
  fields: { assigneeContactId?: string | null; dueDate?: string | null },
): Decision | undefined {
  if (fields.assigneeContactId && !state.contactIds.includes(fields.assigneeContactId)) {
    return reject(
      'ASSIGNEE_NOT_A_CONTACT',
      'The assignee must be a contact of a partner organisation',
    );
  }
  if (!validDueDate(fields.dueDate))
    return reject('INVALID_DUE_DATE', 'dueDate must be a calendar date YYYY-MM-DD');
  return undefined;
}

/**
 * What the gate of the current stage still needs: every required task of the stage done; in
 * knowledge sharing, when the partnership asks for it, a contribution from every organisation on
 * every required topic; and the partners' consent when the stage template asks for it or a gate
 * request was made (`gateConsentBlockerOf`).
 */
export function gateBlockers(
  state: Pick<
    LifecycleState,
    | 'stage'
    | 'tasks'
    | 'approvals'
    | 'knowledge'
    | 'organisationIds'
    | 'gateRules'
    | 'stageEnteredAt'
  >,
): Blocker[] {
  const tasks: Blocker[] = state.tasks
    .filter((t) => t.stage === state.stage && t.required && t.status !== 'done')
    .map((t) => ({ kind: 'task', taskId: t.id, title: t.title, stage: t.stage }));
  const knowledge: Blocker[] =
    state.stage === KNOWLEDGE_STAGE
      ? knowledgeGaps(state.knowledge, state.organisationIds ?? []).map((gap) => ({
          kind: 'knowledge',
          ...gap,
        }))
      : [];
  const consent = gateConsentBlockerOf(state.approvals ?? [], state.stage, {
    rule: gateRuleOf(state.gateRules, state.stage),
    organisationIds: state.organisationIds ?? [],
    since: state.stageEnteredAt,
  });
  return [...tasks, ...knowledge, ...(consent ? [consent] : [])];
}

/** Tasks created from a stage template, in template order. */
export function tasksFromTemplate(template: TemplateTask[]): Task[] {
  return template.map((t) => ({
    id: `${t.stage}.${t.key}`,
    stage: t.stage,
    title: t.title,
    required: t.required,
    kind: t.kind,
    ...(t.answeredBy ? { answeredBy: t.answeredBy } : {}),
    status: 'open',
    assigneeContactId: null,
    dueDate: null,
    source: 'template',
    completedAt: null,
  }));
}

/**
 * The one rule "an ended partnership changes no more": a closed or agreed partnership refuses
 * every change (a lifecycle action, an approval, a follow-up policy, a task report); undefined
 * while it runs. The rule book, the workflow's validators and the API's checks all ask it.
 */
export function endedRejection(status: PartnershipStatus): Rejection | undefined {
  if (!isTerminalStatus(status)) return undefined;
  return status === 'closed'
    ? { code: 'PARTNERSHIP_CLOSED', message: 'The partnership is closed', blockers: [] }
    : {
        code: 'PARTNERSHIP_AGREED',
        message: 'The partnership is agreed; nothing more can change',
        blockers: [],
      };
}

/**
 * Reopening a closed partnership (an admin's decision, with a reason): only a closed one reopens,
 * and it goes back to the stage it was closed in, active. Its tasks and approvals stay as the
 * close left them (requests withdrawn by the close stay withdrawn). An agreed partnership never
 * reopens.
 */
export type ReopenDecision =
  { ok: true; status: 'active'; events: EventDraft[] } | { ok: false; rejection: Rejection };

export function decideReopen(
  state: Pick<LifecycleState, 'stage' | 'status'>,
  action: { reason: string },
): ReopenDecision {
  const refuse = (code: RejectionCode, message: string): ReopenDecision => ({
    ok: false,
    rejection: { code, message, blockers: [] },
  });
  if (state.status === 'agreed')
    return refuse('PARTNERSHIP_AGREED', 'The partnership is agreed; it cannot be reopened');
  if (state.status !== 'closed')
    return refuse('PARTNERSHIP_NOT_CLOSED', 'Only a closed partnership can be reopened');
  if (!action.reason?.trim())
    return refuse('REASON_REQUIRED', 'Say why the partnership is reopened');
  return {
    ok: true,
    status: 'active',
    events: [
      {
        type: 'partnership.reopened',
        payload: { stage: state.stage, reason: action.reason.trim() },
      },
    ],
  };
}

function validDueDate(value: string | null | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * The lifecycle's one rule book: whether `action` is allowed in `state`, and if so the next state
 * and the timeline events it produces. Pure and deterministic: the workflow's update validators and
 * handlers, and the API's explanations, all call it.
 */
export function decide(
  state: LifecycleState,
  action: LifecycleAction,
  ctx: DecisionContext,
): Decision {
  const ended = endedRejection(state.status);
  if (ended) return { ok: false, rejection: ended };
  const tasks = state.tasks;
  const findTask = (id: string): Task | undefined => tasks.find((t) => t.id === id);

  switch (action.type) {
    case 'advance': {
      if (state.status === 'paused')
        return reject('PARTNERSHIP_PAUSED', 'Resume the partnership before advancing');
      const blockers = gateBlockers(state);
      const count = (kind: Blocker['kind']) => blockers.filter((b) => b.kind === kind).length;
      const openTasks = count('task');
      if (openTasks > 0) {
        return reject(
          'GATE_TASKS_OPEN',
          `${openTasks} required task(s) of ${state.stage} are not done`,
          blockers,
        );
      }
      if (count('knowledge') > 0) {
        return reject(
          'KNOWLEDGE_CONTRIBUTIONS_MISSING',
          `${count('knowledge')} contribution(s) to required knowledge topics are missing`,
          blockers,
        );
      }
      if (blockers.length > 0) {
        return reject(
          'GATE_CONSENT_MISSING',
          'The partners have not all consented to leave this stage',
          blockers,
        );
      }
      const to = nextStage(state.stage);
      if (!to) return reject('PARTNERSHIP_AGREED', 'The partnership is already agreed');
      const status: PartnershipStatus = to === 'agreed' ? 'agreed' : 'active';
      const events: EventDraft[] = [
        {
          type: 'stage.advanced',
          payload: { from: state.stage, to, comment: action.comment ?? null },
        },
      ];
      if (status === 'agreed') events.push({ type: 'partnership.agreed', payload: {} });
      return { ok: true, state: { ...state, stage: to, status }, events };
    }
    case 'sendBack': {
      if (!action.reason?.trim())
        return reject('REASON_REQUIRED', 'Say why the partnership goes back a stage');
      if (state.status === 'paused')
        return reject('PARTNERSHIP_PAUSED', 'Resume the partnership before sending it back');
      const to = previousStage(state.stage);
      if (!to) return reject('NO_PREVIOUS_STAGE', 'The partnership is in its first stage');
      return accept({ ...state, stage: to }, 'stage.sent_back', {
        from: state.stage,
        to,
        reason: action.reason.trim(),
        comment: action.comment ?? null,
      });
    }
    case 'pause': {
      if (state.status === 'paused')
        return reject('PARTNERSHIP_PAUSED', 'The partnership is already paused');
      return accept({ ...state, status: 'paused' }, 'partnership.paused', {
        stage: state.stage,
        comment: action.comment ?? null,
      });
    }
    case 'resume': {
      if (state.status !== 'paused')
        return reject('PARTNERSHIP_NOT_PAUSED', 'The partnership is not paused');
      return accept({ ...state, status: 'active' }, 'partnership.resumed', {
        stage: state.stage,
        comment: action.comment ?? null,
      });
    }
    case 'close': {
      if (!action.reason?.trim())
        return reject('REASON_REQUIRED', 'Say why the partnership is closed');
      return accept({ ...state, status: 'closed' }, 'partnership.closed', {
        stage: state.stage,
        reason: action.reason.trim(),
        comment: action.comment ?? null,
      });
    }
    case 'addTask': {
      const stage = action.stage ?? state.stage;
      if (STAGE_ORDER[stage] < STAGE_ORDER[state.stage] || stage === 'agreed') {
        return reject(
          'TASK_STAGE_PASSED',
          `Tasks can be added to ${state.stage} or a later stage before agreed`,
        );
      }
      const invalid = invalidTaskFields(state, action);
      if (invalid) return invalid;
      const task: Task = {
        id: ctx.newTaskId,
        stage,
        title: action.title.trim(),
        required: action.required ?? true,
        kind: 'task',
        status: 'open',
        assigneeContactId: action.assigneeContactId ?? null,
        dueDate: action.dueDate ?? null,
        source: 'custom',
        completedAt: null,
      };
      return accept({ ...state, tasks: [...tasks, task] }, 'task.added', {
        taskId: task.id,
        title: task.title,
        stage,
        required: task.required,
      });
    }
    case 'updateTask': {
      const task = findTask(action.taskId);
      if (!task) return reject('TASK_NOT_FOUND', `No task ${action.taskId}`);
      const invalid = invalidTaskFields(state, action);
      if (invalid) return invalid;
      const changes: Record<string, unknown> = {};
      const next: Task = { ...task };
      if (action.title !== undefined && action.title.trim() !== task.title) {
        next.title = action.title.trim();
        changes.title = next.title;
      }
      if (
        action.assigneeContactId !== undefined &&
        action.assigneeContactId !== task.assigneeContactId
      ) {
        next.assigneeContactId = action.assigneeContactId;
        changes.assigneeContactId = next.assigneeContactId;
      }
      if (action.dueDate !== undefined && action.dueDate !== task.dueDate) {
        next.dueDate = action.dueDate;
        changes.dueDate = next.dueDate;
      }
      if (Object.keys(changes).length === 0)
        return reject('NOTHING_TO_CHANGE', 'The task already has these values');
      const events: EventDraft[] = [];
      if ('assigneeContactId' in changes) {
        events.push({
          type: 'task.assigned',
          payload: { taskId: task.id, assigneeContactId: next.assigneeContactId },
        });
      }
      if ('dueDate' in changes)
        events.push({
          type: 'task.due_date_set',
          payload: { taskId: task.id, dueDate: next.dueDate },
        });
      if ('title' in changes)
        events.push({ type: 'task.renamed', payload: { taskId: task.id, title: next.title } });
      return {
        ok: true,
        state: { ...state, tasks: tasks.map((t) => (t.id === task.id ? next : t)) },
        events,
      };
    }
    case 'completeTask':
    case 'reopenTask': {
      const task = findTask(action.taskId);
      if (!task) return reject('TASK_NOT_FOUND', `No task ${action.taskId}`);
      const completing = action.type === 'completeTask';
      if (completing && task.status === 'done') {
        return reject('TASK_ALREADY_DONE', `Task "${task.title}" is already done`);
      }
      const byPartners = task.answeredBy === 'partners';
      if (completing && byPartners && !action.approvalId) {
        return reject(
          'TASK_NEEDS_APPROVAL',
          `Task "${task.title}" is done when the partners approve it: ask for their approval`,
        );
      }
      // A rejected request sends a task the partners answer back for rework, done or not.
      const rework = !completing && byPartners && action.approvalId !== undefined;
      if (!completing && task.status !== 'done' && !rework)
        return reject('TASK_NOT_DONE', `Task "${task.title}" is not done`);
      const next: Task = completing
        ? { ...task, status: 'done', completedAt: ctx.now }
        : { ...task, status: 'open', completedAt: null };
      return accept(
        { ...state, tasks: tasks.map((t) => (t.id === task.id ? next : t)) },
        completing ? 'task.completed' : 'task.reopened',
        {
          taskId: task.id,
          title: task.title,
          comment: action.comment ?? null,
          ...(action.approvalId ? { approvalId: action.approvalId } : {}),
        },
      );
    }
    default: {
      const unknown: never = action;
      throw new Error(`unknown action ${JSON.stringify(unknown)}`);
    }
  }
}

const STAGE_ORDER: Record<Stage, number> = {
  introduction: 0,
  area_exploration: 1,
  knowledge_sharing: 2,
  project_proposal: 3,
  agreed: 4,
};
