import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair, UpdateDefinition } from '@temporalio/common';
import {
  ApprovalDecisionResult,
  ApprovalRequest,
  approvalRequestProblems,
  closeApproval,
  decide,
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
import type { ApprovalEmailBatch, PartnershipActivities } from './partnership.activities.contract';
import {
  ActorArg,
  addTaskUpdate,
  advanceUpdate,
  awaitRecordedUpdate,
  closeUpdate,
  completeTaskUpdate,
  decideApprovalUpdate,
  delegateApprovalUpdate,
  getLiveStateQuery,
  requestApprovalUpdate,
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
  reopenTaskUpdate,
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
  };
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
  // Events decided but not yet in the read model. Only the loop below writes them, in order.
  const pending: TimelineEvent[] = [];

  const emit = (
    actor: EventActor,
    drafts: { type: TimelineEvent['type']; payload: Record<string, unknown> }[],
  ): number => {
    const occurredAt = new Date().toISOString(); // workflow time: deterministic on replay
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
        const sequence = emit(arg.actor, decision.events);
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

  // ----- Approval requests -----
  // E-mails go out after the change is in the read model (the link page reads it from there).
  const pendingEmails: { afterSequence: number; batch: ApprovalEmailBatch }[] = [];
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

  /** Closes a pending request at its deadline; a decision or withdrawal first ends the wait. */
  const watchDeadline = (approvalId: string): void => {
    void (async () => {
      const request = findApproval(approvalId);
      if (!request || request.status !== 'pending') return;
      const wait = Math.max(1, Date.parse(request.deadline) - Date.now());
      const closed = await condition(() => findApproval(approvalId)?.status !== 'pending', wait);
      if (closed || isTerminalStatus(state.status)) return;
      const result = closeApproval(findApproval(approvalId)!, 'expired', new Date().toISOString());
      if (!result.ok) return;
      replaceApproval(result.request);
      emit({ kind: 'system' }, [
        { type: 'approval.expired', payload: { approvalId, subject: result.request.subject } },
      ]);
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
          })),
        })),
        closedAt: null,
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
      const result = delegateApproval(findApproval(arg.approvalId)!, arg);
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

  const shouldContinueAsNew = (): boolean =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= state.maxHistoryLength;

  // The projector: writes decided events to the read model in order, batching what piled up.
  for (;;) {
    await condition(
      () =>
        pending.length > 0 ||
        (pendingEmails.length > 0 && pendingEmails[0].afterSequence <= state.projectedSequence) ||
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
        },
        batch,
      );
      state.projectedSequence = last.sequence;
      continue;
    }
    if (pendingEmails.length > 0 && pendingEmails[0].afterSequence <= state.projectedSequence) {
      // Regular activity: SMTP may be slow or down; Temporal retries it with backoff.
      const { batch } = pendingEmails.shift()!;
      await activities.sendApprovalEmails(batch);
      continue;
    }
    // Let in-flight updates finish: none is lost at the end or across continue-as-new.
    await condition(allHandlersFinished);
    if (pending.length > 0 || pendingEmails.length > 0) continue;
    if (isTerminalStatus(state.status)) return view(state);
    return continueAsNew<typeof partnershipWorkflow>({
      kind: 'continued',
      state: { ...state, generation: state.generation + 1 },
    });
  }
}
