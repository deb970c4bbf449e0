import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair, UpdateDefinition } from '@temporalio/common';
import {
  ApprovalDecisionResult,
  ApprovalRequest,
  blocksAfterReport,
  decideTaskReport,
  approvalRequestProblems,
  awaitedApprovers,
  closeApproval,
  ContactProfile,
  decide,
  DEFAULT_FOLLOW_UP_POLICY,
  followUpPolicyProblems,
  FollowUpPolicy,
  mergeFollowUpPolicy,
  PlannedFollowUp,
  planFollowUps,
  reminderPolicyProblems,
  decideApproval,
  Decision,
  delegateApproval,
  EventActor,
  gateBlockers,
  isTerminalStatus,
  LifecycleAction,
  tasksFromTemplate,
  TimelineEvent,
} from '../../libs/domain';
import type {
  ApprovalEmailBatch,
  FollowUpEmail,
  PartnershipActivities,
} from './partnership.activities.contract';
import { followUpEmailKey } from './partnership.activities.contract';
import {
  ActorArg,
  addTaskUpdate,
  advanceUpdate,
  awaitRecordedUpdate,
  closeUpdate,
  completeTaskUpdate,
  decideApprovalUpdate,
  delegateApprovalUpdate,
  getFollowUpsQuery,
  getLiveStateQuery,
  notificationFailedSignal,
  PlannedFollowUpView,
  requestApprovalUpdate,
  reviseApprovalUpdate,
  setFollowUpPolicyUpdate,
  withdrawApprovalUpdate,
  getPartnershipQuery,
  PartnershipFailure,
  PartnershipLiveState,
  PartnershipSearchAttributes,
  PartnershipView,
  PartnershipWorkflowArgs,
  PartnershipWorkflowInput,
  PartnershipWorkflowState,
  pauseUpdate,
  ReportTaskArgs,
  reopenTaskUpdate,
  reportTaskUpdate,
  resumeUpdate,
  sendBackUpdate,
  updateTaskUpdate,
} from './partnership.contract';

const activities = proxyActivities<PartnershipActivities>({
  // Short: a worker that dies mid-activity is noticed and the activity retried within this time.
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The same activities run as local activities: recording and projecting are one short database
 * transaction each, so running them inside the workflow task saves a Temporal round trip per
 * create and per coordinator action. Idempotent as before, so a retry after a crash is harmless.
 */
const localActivities = proxyLocalActivities<PartnershipActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Introduced after release: partnerships started before it keep scheduling regular activities. */
export const LOCAL_ACTIVITIES_PATCH = 'record-and-project-as-local-activities';

/**
 * Follow-ups (reminders, escalations, coordinator e-mails) and a separate e-mail loop. Runs that
 * started before it keep their old commands: no follow-up timers, e-mails sent by the projector.
 */
export const FOLLOW_UPS_PATCH = 'follow-ups';

/** Failed-notification keys remembered to record each failure once. */
const MAX_FAILED_NOTIFICATION_KEYS = 500;

const DEFAULT_MAX_HISTORY_LENGTH = 10_000;

function initialState(input: PartnershipWorkflowInput): PartnershipWorkflowState {
  return {
    partnershipId: input.partnershipId,
    title: input.title,
    stage: 'introduction',
    status: 'active',
    coordinator: input.coordinator,
    organisationIds: input.organisations.map((o) => o.id),
    requestHash: input.requestHash,
    recorded: false,
    // Sequence 1 is the partnership.created event; an action taken before it is recorded numbers after it.
    lastSequence: 1,
    projectedSequence: 0,
    tasks: tasksFromTemplate(input.template?.tasks ?? []),
    contactIds: input.contactIds ?? [],
    templateKey: input.template?.key ?? 'default',
    templateVersion: input.template?.version ?? 1,
    maxHistoryLength: input.maxHistoryLength ?? DEFAULT_MAX_HISTORY_LENGTH,
    generation: 0,
    followUpPolicy: input.followUpPolicy ?? DEFAULT_FOLLOW_UP_POLICY,
    contactProfiles: Object.fromEntries(
      input.organisations.flatMap((o) =>
        o.contacts.map((c) => [c.id, { timeZone: c.timeZone, workingHours: c.workingHours }]),
      ),
    ),
    lastActivityAt: input.requestedAt,
  };
}

type ContactActorArg = ReportTaskArgs['actor'];

/** Omit over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function toView(item: PlannedFollowUp): PlannedFollowUpView | undefined {
  if (item.kind === 'stall-restart') return undefined;
  if (item.kind === 'task-overdue') {
    const { taskId, contactId, dueDate, reminderNumber } = item;
    return {
      kind: item.kind,
      at: item.at.toISOString(),
      taskId,
      contactId,
      dueDate,
      reminderNumber,
    };
  }
  return { ...item, at: item.at.toISOString() } as PlannedFollowUpView;
}

function invalid(
  type: 'VALIDATION_FAILED' | 'INVALID_APPROVAL_REQUEST',
  problems: string[],
  field: string,
): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message: problems.join('; '),
    nonRetryable: true,
    details: [{ problems, errors: [{ field, messages: problems }] }],
  });
}

function view(state: PartnershipWorkflowState): PartnershipView {
  return {
    id: state.partnershipId,
    title: state.title,
    stage: state.stage,
    status: state.status,
    recorded: state.recorded,
  };
}

function liveState(state: PartnershipWorkflowState): PartnershipLiveState {
  const blockers = isTerminalStatus(state.status) ? [] : gateBlockers(lifecycle(state));
  return {
    ...view(state),
    tasks: state.tasks,
    gate: { open: blockers.length === 0 && !isTerminalStatus(state.status), blockers },
    lastSequence: state.lastSequence,
    templateVersion: state.templateVersion,
    followUpPolicy: state.followUpPolicy,
  };
}

function searchAttributes(state: PartnershipWorkflowState): SearchAttributeUpdatePair[] {
  return [
    { key: PartnershipSearchAttributes.id, value: state.partnershipId },
    { key: PartnershipSearchAttributes.stage, value: state.stage },
    { key: PartnershipSearchAttributes.status, value: state.status },
    { key: PartnershipSearchAttributes.coordinator, value: state.coordinator.email },
    { key: PartnershipSearchAttributes.organisations, value: state.organisationIds },
  ];
}

/** The lifecycle rule book's view of the state (approvals included: they hold the gate). */
function lifecycle(state: PartnershipWorkflowState): Parameters<typeof decide>[0] {
  return {
    stage: state.stage,
    status: state.status,
    tasks: state.tasks,
    contactIds: state.contactIds,
    approvals: state.approvals ?? [],
  };
}

function approvalFailure(result: ApprovalDecisionResult): ApplicationFailure {
  if (result.ok) throw new Error('not a rejection');
  return ApplicationFailure.create({
    type: result.rejection.code,
    message: result.rejection.message,
    nonRetryable: true,
    details: [{ recorded: result.rejection.recorded ?? null }],
  });
}

function rejectionFailure(decision: Decision): ApplicationFailure {
  if (decision.ok) throw new Error('not a rejection');
  return ApplicationFailure.create({
    type: decision.rejection.code,
    message: decision.rejection.message,
    nonRetryable: true,
    details: [{ blockers: decision.rejection.blockers }],
  });
}

/**
 * One workflow per partnership, alive for the partnership's whole life. It owns the process state
 * (stage, status, tasks, gate); PostgreSQL holds a projection that only its activities write.
 */
export async function partnershipWorkflow(args: PartnershipWorkflowArgs): Promise<PartnershipView> {
  const state = args.kind === 'new' ? initialState(args.input) : args.state;
  // Decided once, at the start of each run, so every later call takes the same path on replay.
  const store = patched(LOCAL_ACTIVITIES_PATCH) ? localActivities : activities;
  const followUps = patched(FOLLOW_UPS_PATCH);
  // Events decided but not yet in the read model. Only the loop below writes them, in order.
  const pending: TimelineEvent[] = [];
  /** Bumped by every change that may move a follow-up; the follow-up loop plans again. */
  let planVersion = 0;
  if (followUps) {
    state.followUpPolicy = state.followUpPolicy ?? DEFAULT_FOLLOW_UP_POLICY;
    state.lastActivityAt = state.lastActivityAt ?? new Date().toISOString();
  }

  const emit = (
    actor: EventActor,
    drafts: { type: TimelineEvent['type']; payload: Record<string, unknown> }[],
  ): number => {
    const occurredAt = new Date().toISOString(); // workflow time: deterministic on replay
    if (actor.kind !== 'system') state.lastActivityAt = occurredAt;
    planVersion += 1;
    for (const draft of drafts) {
      state.lastSequence += 1;
      pending.push({
        sequence: state.lastSequence,
        type: draft.type,
        actor,
        occurredAt,
        payload: draft.payload,
      });
    }
    return state.lastSequence;
  };

  // Handlers first, before any await: a message delivered in the first activation must find them.
  setHandler(getPartnershipQuery, () => view(state));
  setHandler(getLiveStateQuery, () => liveState(state));
  setHandler(
    awaitRecordedUpdate,
    async () => {
      await condition(() => state.recorded);
      return view(state);
    },
    {
      validator: ({ requestHash }) => {
        if (requestHash !== state.requestHash) {
          throw ApplicationFailure.create({
            type: PartnershipFailure.IDEMPOTENCY_KEY_REUSED,
            message: 'This Idempotency-Key was already used for a different request',
            nonRetryable: true,
          });
        }
      },
    },
  );

  /**
   * Registers a coordinator action. The validator runs the pure rule book without side effects
   * (no random id), so a refused action leaves no trace in history. The handler decides again
   * in the same activation — the state cannot have moved in between — applies the change
   * synchronously, so a concurrent update is validated against the new state, and answers only
   * once the change is in the read model (read-your-writes for the API's next GET).
   */
  function action<A extends ActorArg>(
    definition: UpdateDefinition<PartnershipLiveState, [A], string>,
    toAction: (arg: A) => LifecycleAction,
  ): void {
    setHandler(
      definition,
      async (arg: A) => {
        const decision = decide(lifecycle(state), toAction(arg), {
          now: new Date().toISOString(),
          newTaskId: uuid4(),
          actor: arg.actor,
        });
        if (!decision.ok) throw rejectionFailure(decision);
        const { tasks, stage, status } = decision.state;
        const changedSearchAttributes = stage !== state.stage || status !== state.status;
        Object.assign(state, { tasks, stage, status });
        const drafts = [...decision.events];
        // An ended partnership asks nobody anything any more: its pending requests are withdrawn.
        if (isTerminalStatus(status)) {
          for (const request of state.approvals ?? []) {
            const closed = closeApproval(request, 'withdrawn', new Date().toISOString());
            if (!closed.ok) continue;
            replaceApproval(closed.request);
            drafts.push({
              type: 'approval.withdrawn',
              payload: { approvalId: request.id, reason: `partnership ${status}` },
            });
          }
        }
        const sequence = emit(arg.actor, drafts);
        if (changedSearchAttributes) upsertSearchAttributes(searchAttributes(state));
        await condition(() => state.projectedSequence >= sequence);
        return liveState(state);
      },
      {
        validator: (arg: A) => {
          const decision = decide(lifecycle(state), toAction(arg), {
            now: new Date().toISOString(),
            newTaskId: 'validation',
            actor: arg.actor,
          });
          if (!decision.ok) throw rejectionFailure(decision);
        },
      },
    );
  }

  action(advanceUpdate, (a) => ({ type: 'advance', comment: a.comment }));
  action(sendBackUpdate, (a) => ({ type: 'sendBack', reason: a.reason, comment: a.comment }));
  action(pauseUpdate, (a) => ({ type: 'pause', comment: a.comment }));
  action(resumeUpdate, (a) => ({ type: 'resume', comment: a.comment }));
  action(closeUpdate, (a) => ({ type: 'close', reason: a.reason, comment: a.comment }));
  action(addTaskUpdate, (a) => ({
    type: 'addTask',
    title: a.title,
    stage: a.stage,
    required: a.required,
    assigneeContactId: a.assigneeContactId,
    dueDate: a.dueDate,
  }));
  action(updateTaskUpdate, (a) => ({
    type: 'updateTask',
    taskId: a.taskId,
    title: a.title,
    assigneeContactId: a.assigneeContactId,
    dueDate: a.dueDate,
  }));
  action(completeTaskUpdate, (a) => ({
    type: 'completeTask',
    taskId: a.taskId,
    comment: a.comment,
  }));
  action(reopenTaskUpdate, (a) => ({ type: 'reopenTask', taskId: a.taskId, comment: a.comment }));

  // A partner contact's report on their task (task link). Same shape as a coordinator action:
  // the validator decides without side effects, the handler decides again and applies at once.
  const reportDecision = (arg: Parameters<typeof decideTaskReport>[2], actor: ContactActorArg) =>
    decideTaskReport(lifecycle(state), state.taskBlocks ?? {}, arg, {
      now: new Date().toISOString(),
      newTaskId: 'unused',
      actor,
    });
  setHandler(
    reportTaskUpdate,
    async ({ actor, report }) => {
      const decision = reportDecision(report, actor);
      if (!decision.ok) throw rejectionFailure(decision);
      state.tasks = decision.state.tasks;
      state.taskBlocks = blocksAfterReport(
        state.taskBlocks ?? {},
        report,
        actor.id,
        new Date().toISOString(),
      );
      const sequence = emit(actor, decision.events);
      await condition(() => state.projectedSequence >= sequence);
      return liveState(state);
    },
    {
      validator: ({ actor, report }) => {
        const decision = reportDecision(report, actor);
        if (!decision.ok) throw rejectionFailure(decision);
      },
    },
  );

  // ----- Approval requests -----
  // E-mails go out after the change is in the read model (the link page reads it from there).
  const pendingEmails: (
    | { afterSequence: number; batch: ApprovalEmailBatch; email?: undefined }
    | { afterSequence: number; email: FollowUpEmail; batch?: undefined }
  )[] = [];
  const policy = (): FollowUpPolicy => state.followUpPolicy ?? DEFAULT_FOLLOW_UP_POLICY;
  const coordinatorAddress = (): FollowUpEmail['coordinator'] => ({
    name: state.coordinator.name,
    email: state.coordinator.email,
    timeZone: policy().coordinator.timeZone,
    language: policy().coordinator.language,
  });
  /** Queues a follow-up e-mail, sent once the events up to `afterSequence` are in the read model. */
  const queueEmail = (
    afterSequence: number,
    email: DistributiveOmit<FollowUpEmail, 'partnershipId' | 'bilingual' | 'coordinator'>,
  ): void => {
    pendingEmails.push({
      afterSequence,
      email: {
        ...email,
        partnershipId: state.partnershipId,
        bilingual: policy().bilingualEmails,
        coordinator: coordinatorAddress(),
      } as FollowUpEmail,
    });
  };
  const profileOf = (
    contactId: string,
    given?: Record<string, ContactProfile>,
  ): ContactProfile | undefined => given?.[contactId] ?? state.contactProfiles?.[contactId];
  state.approvals = state.approvals ?? [];
  const approvals = (): ApprovalRequest[] => state.approvals!;
  const findApproval = (id: string): ApprovalRequest | undefined =>
    approvals().find((a) => a.id === id);
  const replaceApproval = (next: ApprovalRequest): void => {
    state.approvals = approvals().map((a) => (a.id === next.id ? next : a));
  };
  const notFound = (approvalId: string): ApplicationFailure =>
    ApplicationFailure.create({
      type: 'APPROVAL_NOT_FOUND',
      message: `No approval request ${approvalId}`,
      nonRetryable: true,
    });
  const closedEvents = (
    request: ApprovalRequest,
  ): { type: TimelineEvent['type']; payload: Record<string, unknown> }[] =>
    request.status === 'approved' || request.status === 'rejected'
      ? [
          {
            type: request.status === 'approved' ? 'approval.approved' : 'approval.rejected',
            payload: { approvalId: request.id, subject: request.subject },
          },
        ]
      : [];

  /**
   * Closes a pending request at its deadline; a decision or withdrawal first ends the wait, and a
   * moved deadline starts it again.
   */
  const watchDeadline = (approvalId: string): void => {
    void (async () => {
      for (;;) {
        const request = findApproval(approvalId);
        if (!request || request.status !== 'pending') return;
        const deadline = request.deadline;
        const wait = Math.max(1, Date.parse(deadline) - Date.now());
        const changed = await condition(
          () =>
            findApproval(approvalId)?.status !== 'pending' ||
            findApproval(approvalId)?.deadline !== deadline,
          wait,
        );
        if (changed) continue;
        if (isTerminalStatus(state.status)) return;
        const result = closeApproval(
          findApproval(approvalId)!,
          'expired',
          new Date().toISOString(),
        );
        if (!result.ok) return;
        replaceApproval(result.request);
        const sequence = emit({ kind: 'system' }, [
          { type: 'approval.expired', payload: { approvalId, subject: result.request.subject } },
        ]);
        if (followUps)
          queueEmail(sequence, { kind: 'approval-closed', approvalId, status: 'expired' });
        return;
      }
    })();
  };

  setHandler(
    requestApprovalUpdate,
    async (arg) => {
      const request: ApprovalRequest = {
        id: arg.approvalId,
        subject: arg.subject,
        status: 'pending',
        requestedAt: new Date().toISOString(),
        deadline: arg.deadline,
        requestedBy: { name: arg.actor.name, email: arg.actor.email },
        organisations: arg.organisations.map((o) => ({
          organisationId: o.organisationId,
          rule: o.rule,
          approvers: o.approverContactIds.map((contactId) => ({
            contactId,
            delegatedFrom: null,
            delegated: false,
            decision: null,
            ...(followUps
              ? {
                  ...profileOf(contactId, arg.approverProfiles),
                  reminders: { sent: 0, lastAt: null },
                }
              : {}),
          })),
        })),
        closedAt: null,
        ...(followUps
          ? {
              followUps: true,
              reminderPolicy: arg.reminderPolicy ?? null,
              snoozedUntil: null,
              escalatedAt: null,
            }
          : {}),
      };
      state.approvals = [...approvals(), request];
      const approverIds = arg.organisations.flatMap((o) => o.approverContactIds);
      const sequence = emit(arg.actor, [
        {
          type: 'approval.requested',
          payload: {
            approvalId: request.id,
            subject: request.subject,
            deadline: request.deadline,
            approvers: approverIds,
          },
        },
      ]);
      pendingEmails.push({
        afterSequence: sequence,
        batch: {
          partnershipId: state.partnershipId,
          approvalId: request.id,
          kind: 'request',
          contactIds: approverIds,
          ...(followUps ? { bilingual: policy().bilingualEmails } : {}),
        },
      });
      watchDeadline(request.id);
      await condition(() => state.projectedSequence >= sequence);
      return findApproval(request.id)!;
    },
    {
      validator: (arg) => {
        if (isTerminalStatus(state.status)) {
          throw ApplicationFailure.create({
            type: state.status === 'closed' ? 'PARTNERSHIP_CLOSED' : 'PARTNERSHIP_AGREED',
            message: `The partnership is ${state.status}`,
            nonRetryable: true,
            details: [{ blockers: [] }],
          });
        }
        if (findApproval(arg.approvalId)) {
          throw ApplicationFailure.create({
            type: 'INVALID_APPROVAL_REQUEST',
            message: 'This approval request already exists',
            nonRetryable: true,
            details: [{ problems: ['exists'] }],
          });
        }
        if (arg.reminderPolicy) {
          const policyProblems = reminderPolicyProblems(arg.reminderPolicy);
          if (policyProblems.length > 0) {
            throw invalid('INVALID_APPROVAL_REQUEST', policyProblems, 'reminderPolicy');
          }
        }
        const problems = approvalRequestProblems(arg, {
          now: new Date().toISOString(),
          contactsByOrganisation: Object.fromEntries(
            Object.entries(arg.contactsByOrganisation).filter(([org]) =>
              state.organisationIds.includes(org),
            ),
          ) as Record<string, string[]>,
          stage: state.stage,
          taskIds: state.tasks.map((t) => t.id),
        });
        if (problems.length > 0) {
          throw ApplicationFailure.create({
            type: 'INVALID_APPROVAL_REQUEST',
            message: problems.join('; '),
            nonRetryable: true,
            details: [{ problems }],
          });
        }
      },
    },
  );

  setHandler(
    decideApprovalUpdate,
    async (arg) => {
      const before = findApproval(arg.approvalId)!;
      const result = decideApproval(before, arg, new Date().toISOString());
      if (!result.ok) throw approvalFailure(result);
      replaceApproval(result.request);
      const drafts: { type: TimelineEvent['type']; payload: Record<string, unknown> }[] = [
        {
          type: 'approval.decided',
          payload: {
            approvalId: arg.approvalId,
            contactId: arg.contactId,
            outcome: arg.outcome,
            comment: arg.comment ?? null,
          },
        },
        ...closedEvents(result.request),
      ];
      // A rejected task approval sends the task back for rework.
      const subject = result.request.subject;
      if (result.request.status === 'rejected' && subject.kind === 'task') {
        const reopened = decide(
          lifecycle(state),
          { type: 'reopenTask', taskId: subject.taskId, comment: arg.comment ?? undefined },
          { now: new Date().toISOString(), newTaskId: '', actor: arg.actor },
        );
        if (reopened.ok) {
          state.tasks = reopened.state.tasks;
          drafts.push(...reopened.events);
        }
      }
      const sequence = emit(arg.actor, drafts);
      const closedAs = result.request.status;
      if (followUps && (closedAs === 'approved' || closedAs === 'rejected')) {
        queueEmail(sequence, {
          kind: 'approval-closed',
          approvalId: arg.approvalId,
          status: closedAs,
        });
      }
      await condition(() => state.projectedSequence >= sequence);
      return findApproval(arg.approvalId)!;
    },
    {
      validator: (arg) => {
        const request = findApproval(arg.approvalId);
        if (!request) throw notFound(arg.approvalId);
        const result = decideApproval(request, arg, new Date().toISOString());
        if (!result.ok) throw approvalFailure(result);
      },
    },
  );

  setHandler(
    withdrawApprovalUpdate,
    async (arg) => {
      const result = closeApproval(
        findApproval(arg.approvalId)!,
        'withdrawn',
        new Date().toISOString(),
      );
      if (!result.ok) throw approvalFailure(result);
      replaceApproval(result.request);
      const sequence = emit(arg.actor, [
        { type: 'approval.withdrawn', payload: { approvalId: arg.approvalId } },
      ]);
      await condition(() => state.projectedSequence >= sequence);
      return findApproval(arg.approvalId)!;
    },
    {
      validator: (arg) => {
        const request = findApproval(arg.approvalId);
        if (!request) throw notFound(arg.approvalId);
        const result = closeApproval(request, 'withdrawn', new Date().toISOString());
        if (!result.ok) throw approvalFailure(result);
      },
    },
  );

  setHandler(
    delegateApprovalUpdate,
    async (arg) => {
      const result = delegateApproval(findApproval(arg.approvalId)!, {
        ...arg,
        at: followUps ? new Date().toISOString() : undefined,
        toProfile: followUps
          ? profileOf(
              arg.toContactId,
              arg.toProfile ? { [arg.toContactId]: arg.toProfile } : undefined,
            )
          : undefined,
      });
      if (!result.ok) throw approvalFailure(result);
      replaceApproval(result.request);
      const sequence = emit(arg.actor, [
        {
          type: 'approval.delegated',
          payload: { approvalId: arg.approvalId, from: arg.fromContactId, to: arg.toContactId },
        },
      ]);
      pendingEmails.push({
        afterSequence: sequence,
        batch: {
          partnershipId: state.partnershipId,
          approvalId: arg.approvalId,
          kind: 'request',
          contactIds: [arg.toContactId],
          ...(followUps ? { bilingual: policy().bilingualEmails } : {}),
        },
      });
      await condition(() => state.projectedSequence >= sequence);
      return findApproval(arg.approvalId)!;
    },
    {
      validator: (arg) => {
        const request = findApproval(arg.approvalId);
        if (!request) throw notFound(arg.approvalId);
        const result = delegateApproval(request, arg);
        if (!result.ok) throw approvalFailure(result);
      },
    },
  );

  // ----- Follow-ups: reminders, escalations, overdue tasks, stalled stages -----
  setHandler(
    reviseApprovalUpdate,
    async (arg) => {
      const before = findApproval(arg.approvalId)!;
      const next: ApprovalRequest = {
        ...before,
        ...(arg.deadline !== undefined ? { deadline: arg.deadline } : {}),
        ...(arg.reminderPolicy !== undefined ? { reminderPolicy: arg.reminderPolicy } : {}),
        ...(arg.snoozedUntil !== undefined ? { snoozedUntil: arg.snoozedUntil } : {}),
      };
      replaceApproval(next);
      const drafts: { type: TimelineEvent['type']; payload: Record<string, unknown> }[] = [];
      if (arg.deadline !== undefined || arg.reminderPolicy !== undefined) {
        drafts.push({
          type: 'approval.revised',
          payload: {
            approvalId: arg.approvalId,
            ...(arg.deadline !== undefined
              ? { deadline: arg.deadline, previousDeadline: before.deadline }
              : {}),
            ...(arg.reminderPolicy !== undefined ? { reminderPolicy: arg.reminderPolicy } : {}),
          },
        });
      }
      if (arg.snoozedUntil !== undefined) {
        drafts.push({
          type: 'approval.snoozed',
          payload: { approvalId: arg.approvalId, until: arg.snoozedUntil },
        });
      }
      const sequence = emit(arg.actor, drafts);
      await condition(() => state.projectedSequence >= sequence);
      return findApproval(arg.approvalId)!;
    },
    {
      validator: (arg) => {
        const request = findApproval(arg.approvalId);
        if (!request) throw notFound(arg.approvalId);
        if (request.status !== 'pending') {
          throw ApplicationFailure.create({
            type: 'APPROVAL_CLOSED',
            message: `The request is already ${request.status}`,
            nonRetryable: true,
            details: [{ recorded: { status: request.status } }],
          });
        }
        const now = Date.now();
        const problems: string[] = [];
        if (
          arg.deadline === undefined &&
          arg.reminderPolicy === undefined &&
          arg.snoozedUntil === undefined
        ) {
          problems.push('change at least one of deadline, reminderPolicy, snoozedUntil');
        }
        const deadline = arg.deadline ?? request.deadline;
        if (arg.deadline !== undefined && !(Date.parse(arg.deadline) > now)) {
          problems.push('deadline must be in the future');
        }
        if (arg.snoozedUntil && !(Date.parse(arg.snoozedUntil) > now)) {
          problems.push('snoozedUntil must be in the future');
        }
        // The snooze in force after the change (given or kept) must end before the deadline.
        const snooze = arg.snoozedUntil !== undefined ? arg.snoozedUntil : request.snoozedUntil;
        if (snooze && Date.parse(snooze) > now && !(Date.parse(snooze) < Date.parse(deadline))) {
          problems.push('snoozedUntil must be before the deadline');
        }
        if (arg.reminderPolicy) problems.push(...reminderPolicyProblems(arg.reminderPolicy));
        if (problems.length > 0) throw invalid('INVALID_APPROVAL_REQUEST', problems, 'approval');
      },
    },
  );

  setHandler(
    setFollowUpPolicyUpdate,
    async (arg) => {
      const next = mergeFollowUpPolicy(policy(), arg.patch);
      state.followUpPolicy = next;
      const sequence = emit(arg.actor, [
        { type: 'reminder_policy.changed', payload: { policy: next } },
      ]);
      await condition(() => state.projectedSequence >= sequence);
      return next;
    },
    {
      validator: (arg) => {
        if (isTerminalStatus(state.status)) {
          throw ApplicationFailure.create({
            type: state.status === 'closed' ? 'PARTNERSHIP_CLOSED' : 'PARTNERSHIP_AGREED',
            message: `The partnership is ${state.status}`,
            nonRetryable: true,
            details: [{ blockers: [] }],
          });
        }
        const problems = followUpPolicyProblems(mergeFollowUpPolicy(policy(), arg.patch));
        if (problems.length > 0) throw invalid('VALIDATION_FAILED', problems, 'followUpPolicy');
      },
    },
  );

  const followUpWorld = (now: Date): Parameters<typeof planFollowUps>[0] => ({
    now,
    status: state.status,
    stage: state.stage,
    policy: policy(),
    approvals: approvals(),
    tasks: state.tasks,
    profiles: state.contactProfiles ?? {},
    taskProgress: state.taskFollowUps ?? {},
    stall: state.stall ?? null,
    lastActivityAt: state.lastActivityAt ?? now.toISOString(),
  });

  setHandler(getFollowUpsQuery, () => ({
    policy: policy(),
    enabled: followUps,
    lastActivityAt: state.lastActivityAt ?? null,
    planned: followUps
      ? planFollowUps(followUpWorld(new Date()))
          .map(toView)
          .filter((v): v is PlannedFollowUpView => v !== undefined)
      : [],
  }));

  setHandler(notificationFailedSignal, (arg) => {
    const seen = state.failedNotifications ?? [];
    if (seen.includes(arg.key)) return;
    state.failedNotifications = [...seen, arg.key].slice(-MAX_FAILED_NOTIFICATION_KEYS);
    emit({ kind: 'system' }, [{ type: 'notification.failed', payload: { ...arg } }]);
  });

  /**
   * Applies one due follow-up: records progress at once, so it is never planned again. Progress
   * keeps the planned instant (not the moment the timer fired), so the schedule does not drift.
   */
  const applyFollowUp = (item: PlannedFollowUp): void => {
    const at = item.at.toISOString();
    switch (item.kind) {
      case 'approval-reminder': {
        const request = findApproval(item.approvalId)!;
        replaceApproval({
          ...request,
          organisations: request.organisations.map((o) => ({
            ...o,
            approvers: o.approvers.map((a) =>
              a.contactId === item.contactId && !a.delegated
                ? { ...a, reminders: { sent: item.reminderNumber, lastAt: at } }
                : a,
            ),
          })),
        });
        planVersion += 1;
        queueEmail(state.lastSequence, {
          kind: 'approval-reminder',
          approvalId: item.approvalId,
          contactId: item.contactId,
          reminderNumber: item.reminderNumber,
        });
        return;
      }
      case 'approval-escalation': {
        const request = findApproval(item.approvalId)!;
        replaceApproval({ ...request, escalatedAt: at });
        const sequence = emit({ kind: 'system' }, [
          {
            type: 'approval.escalated',
            payload: {
              approvalId: item.approvalId,
              subject: request.subject,
              awaiting: item.awaiting,
            },
          },
        ]);
        queueEmail(sequence, {
          kind: 'approval-escalation',
          approvalId: item.approvalId,
          awaiting: item.awaiting,
        });
        return;
      }
      case 'task-overdue':
        state.taskFollowUps = {
          ...(state.taskFollowUps ?? {}),
          [item.taskId]: { key: item.key, sent: item.reminderNumber, lastAt: at },
        };
        planVersion += 1;
        queueEmail(state.lastSequence, {
          kind: 'task-overdue',
          taskId: item.taskId,
          contactId: item.contactId,
          dueDate: item.dueDate,
          reminderNumber: item.reminderNumber,
        });
        return;
      case 'stage-stalled':
        state.stall = { since: item.since, sent: item.reminderNumber, lastAt: at };
        planVersion += 1;
        queueEmail(state.lastSequence, {
          kind: 'stage-stalled',
          stage: item.stage,
          since: item.since,
          reminderNumber: item.reminderNumber,
        });
        return;
      case 'stall-restart':
        state.stall = { since: item.since, sent: 0, lastAt: null };
        planVersion += 1;
        return;
    }
  };

  /**
   * One timer for all follow-ups, at the earliest planned one. Kept while the plan's earliest
   * instant stays the same, moved at once when a change moves it (an updatable timer).
   */
  let timer: { at: number; scope: CancellationScope } | undefined;
  let timerRang = false;
  const armTimer = (at: number | undefined): void => {
    if (timer && timer.at === at) return;
    timer?.scope.cancel();
    timer = undefined;
    timerRang = false;
    if (at === undefined) return;
    const scope = new CancellationScope();
    const armed = { at, scope };
    timer = armed;
    scope
      .run(() => sleep(Math.max(1, at - Date.now())))
      .then(
        () => {
          if (timer === armed) timerRang = true;
        },
        () => undefined, // cancelled: the plan moved
      );
  };

  const followUpLoop = async (): Promise<void> => {
    let burst = 0;
    for (;;) {
      if (isTerminalStatus(state.status)) {
        armTimer(undefined);
        return;
      }
      const seen = planVersion;
      const now = new Date();
      const plan = planFollowUps(followUpWorld(now));
      const due = plan.filter((item) => item.at.getTime() <= now.getTime());
      if (due.length > 0 && burst < 100) {
        burst += 1;
        for (const item of due) applyFollowUp(item);
        continue;
      }
      burst = 0;
      // A due item that did not go away (a bug) waits a minute instead of spinning.
      armTimer(due.length > 0 ? now.getTime() + 60_000 : plan[0]?.at.getTime());
      await condition(() => planVersion !== seen || timerRang || isTerminalStatus(state.status));
      if (timerRang) {
        timer = undefined;
        timerRang = false;
      }
    }
  };

  /** What a sent follow-up e-mail puts on the timeline. */
  const sentEvent = (
    email: FollowUpEmail,
  ): { type: TimelineEvent['type']; payload: Record<string, unknown> } | undefined => {
    switch (email.kind) {
      case 'approval-reminder':
        return {
          type: 'reminder.sent',
          payload: {
            approvalId: email.approvalId,
            contactId: email.contactId,
            reminderNumber: email.reminderNumber,
          },
        };
      case 'task-overdue':
        return {
          type: 'task.overdue_reminded',
          payload: {
            taskId: email.taskId,
            contactId: email.contactId,
            dueDate: email.dueDate,
            reminderNumber: email.reminderNumber,
          },
        };
      case 'stage-stalled':
        return {
          type: 'stage.stalled',
          payload: { stage: email.stage, since: email.since, reminderNumber: email.reminderNumber },
        };
      default:
        return undefined;
    }
  };

  /** A reminder still wanted: the request is pending and still awaits that contact. */
  const stillWanted = (email: FollowUpEmail): boolean => {
    if (email.kind !== 'approval-reminder') return true;
    const request = findApproval(email.approvalId);
    return (
      !!request &&
      request.status === 'pending' &&
      awaitedApprovers(request).includes(email.contactId)
    );
  };

  let mailInFlight = false;
  const mailReady = (): boolean =>
    pendingEmails.length > 0 && pendingEmails[0].afterSequence <= state.projectedSequence;

  /** Sends e-mails in order, apart from the projector: a slow SMTP server delays no update. */
  const mailLoop = async (): Promise<void> => {
    for (;;) {
      await condition(mailReady);
      const item = pendingEmails.shift()!;
      mailInFlight = true;
      try {
        if (item.batch) {
          await activities.sendApprovalEmails(item.batch);
        } else if (stillWanted(item.email)) {
          const { sent } = await activities.sendFollowUpEmail(item.email);
          const event = sentEvent(item.email);
          if (sent && event) emit({ kind: 'system' }, [event]);
        }
      } catch (err) {
        // Only a permanent refusal (SMTP 5xx) ends here; everything else is retried by Temporal.
        if (!(err instanceof ActivityFailure)) throw err;
        const key = item.batch
          ? `approval/${item.batch.approvalId}/request`
          : followUpEmailKey(item.email);
        emit({ kind: 'system' }, [
          {
            type: 'notification.failed',
            payload: { key, channel: 'email', error: err.cause?.message ?? err.message },
          },
        ]);
      } finally {
        mailInFlight = false;
      }
    }
  };

  // A continued run picks up the deadlines of requests still pending.
  for (const request of approvals()) watchDeadline(request.id);

  upsertSearchAttributes(searchAttributes(state));

  if (args.kind === 'new' && !state.recorded) {
    const created: TimelineEvent = {
      sequence: 1,
      type: 'partnership.created',
      actor: args.input.actor,
      occurredAt: args.input.requestedAt,
      payload: {
        title: args.input.title,
        organisationIds: state.organisationIds,
        areas: args.input.areas,
        coordinator: args.input.coordinator,
        templateVersion: state.templateVersion,
      },
    };
    await store.recordPartnership(args.input, created);
    state.projectedSequence = 1;
    state.recorded = true;
  }

  if (followUps) {
    void mailLoop();
    void followUpLoop();
  }

  const shouldContinueAsNew = (): boolean =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= state.maxHistoryLength;

  // The projector: writes decided events to the read model in order, batching what piled up.
  for (;;) {
    await condition(
      () =>
        pending.length > 0 ||
        (!followUps && mailReady()) ||
        isTerminalStatus(state.status) ||
        shouldContinueAsNew(),
    );
    if (pending.length > 0) {
      const batch = pending.splice(0, pending.length);
      const last = batch[batch.length - 1];
      await store.projectChanges(
        {
          partnershipId: state.partnershipId,
          stage: state.stage,
          status: state.status,
          sequence: last.sequence,
          occurredAt: last.occurredAt,
          tasks: state.tasks,
          approvals: state.approvals,
          ...(followUps ? { followUpPolicy: policy() } : {}),
        },
        batch,
      );
      state.projectedSequence = last.sequence;
      continue;
    }
    if (!followUps && mailReady()) {
      // Regular activity: SMTP may be slow or down; Temporal retries it with backoff.
      const { batch } = pendingEmails.shift()!;
      await activities.sendApprovalEmails(batch!);
      continue;
    }
    // Let in-flight updates finish: none is lost at the end or across continue-as-new.
    await condition(allHandlersFinished);
    if (followUps) {
      // E-mails already decided go out first; their timeline events then need projecting.
      await condition(() => pending.length > 0 || (pendingEmails.length === 0 && !mailInFlight));
      if (pending.length > 0) continue;
    } else if (pending.length > 0 || pendingEmails.length > 0) continue;
    if (isTerminalStatus(state.status)) return view(state);
    return continueAsNew<typeof partnershipWorkflow>({
      kind: 'continued',
      state: { ...state, generation: state.generation + 1 },
    });
  }
}
