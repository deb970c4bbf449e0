import { condition } from '@temporalio/workflow';
import {
  ApprovalRequest,
  approvalRequestProblems,
  closeApproval,
  decide,
  decideApproval,
  delegateApproval,
  gateRequestProblems,
  gateRuleOf,
  partnerTaskRequestProblems,
  Task,
  openRequestsRejection,
  reminderPolicyProblems,
} from '../../libs/domain';
import type {
  DecideApprovalArgs,
  DelegateApprovalArgs,
  RequestApprovalArgs,
  ReviseApprovalArgs,
  WithdrawApprovalArgs,
} from './partnership.contract';
import {
  approvalClosed,
  approvalFailure,
  approvalNotFound,
  endedFailure,
  invalid,
  invalidRequest,
  tooManyOpenApprovals,
} from './failures';
import { EventDraft, PartnershipRun } from './partnership-run';

/**
 * The request, or the failure of a call about a request the workflow does not carry: unknown, or
 * closed and in PostgreSQL (the API answers that refusal from there).
 */
function existing(run: PartnershipRun, approvalId: string): ApprovalRequest {
  const request = run.findApproval(approvalId);
  if (!request) throw approvalNotFound(approvalId);
  return request;
}

/** The timeline events of a request that a decision closed. */
function closedEvents(request: ApprovalRequest): EventDraft[] {
  return request.status === 'approved' || request.status === 'rejected'
    ? [
        {
          type: request.status === 'approved' ? 'approval.approved' : 'approval.rejected',
          payload: { approvalId: request.id, subject: request.subject },
        },
      ]
    : [];
}

/**
 * Closes a pending request at its deadline; a decision or withdrawal first ends the wait, and a
 * moved deadline starts it again.
 */
export function watchDeadline(run: PartnershipRun, approvalId: string): void {
  void (async () => {
    for (;;) {
      const request = run.findApproval(approvalId);
      if (!request || request.status !== 'pending') return;
      const deadline = request.deadline;
      const wait = Math.max(1, Date.parse(deadline) - Date.now());
      const changed = await condition(
        () =>
          run.findApproval(approvalId)?.status !== 'pending' ||
          run.findApproval(approvalId)?.deadline !== deadline,
        wait,
      );
      if (changed) continue;
      if (run.ended) return;
      const result = closeApproval(
        run.findApproval(approvalId)!,
        'expired',
        new Date().toISOString(),
      );
      if (!result.ok) return;
      run.replaceApproval(result.request);
      const sequence = run.emit({ kind: 'system' }, [
        { type: 'approval.expired', payload: { approvalId, subject: result.request.subject } },
      ]);
      run.mode.queueFollowUpEmail(run, sequence, {
        kind: 'approval-closed',
        approvalId,
        status: 'expired',
      });
      return;
    }
  })();
}

export function checkRequest(run: PartnershipRun, arg: RequestApprovalArgs): void {
  const { state } = run;
  const ended = endedFailure(state.status);
  if (ended) throw ended;
  if (run.carriesApprovalId(arg.approvalId)) throw invalidRequest(['exists']);
  const tooMany = openRequestsRejection(run.approvals());
  if (tooMany) throw tooManyOpenApprovals(tooMany);
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
  if (run.gateConsent) problems.push(...gateConsentProblems(run, arg));
  if (problems.length > 0) throw invalidRequest(problems);
}

/** What the stage's gate rule and the tasks the partners answer add to a request's problems. */
function gateConsentProblems(run: PartnershipRun, arg: RequestApprovalArgs): string[] {
  const { state } = run;
  if (arg.subject.kind === 'gate') {
    return gateRequestProblems(
      gateRuleOf(state.gateRules, state.stage),
      arg.organisations,
      arg.contactsByOrganisation,
    );
  }
  if (arg.subject.kind === 'task') {
    const taskId = arg.subject.taskId;
    return partnerTaskRequestProblems(
      state.tasks.find((t) => t.id === taskId),
      run.approvals(),
    );
  }
  return [];
}

/**
 * The task of a request, when only the partners' approval completes it (GATE_CONSENT_PATCH);
 * undefined for any other request.
 */
function partnerTaskOf(run: PartnershipRun, request: ApprovalRequest): Task | undefined {
  if (!run.gateConsent || request.subject.kind !== 'task') return undefined;
  const taskId = request.subject.taskId;
  const task = run.state.tasks.find((t) => t.id === taskId);
  return task?.answeredBy === 'partners' ? task : undefined;
}

export async function request(
  run: PartnershipRun,
  arg: RequestApprovalArgs,
): Promise<ApprovalRequest> {
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
        ...run.mode.approverExtras(run, contactId, arg.approverProfiles),
      })),
    })),
    closedAt: null,
    ...run.mode.requestExtras(arg),
  };
  run.addApproval(request);
  const approverIds = arg.organisations.flatMap((o) => o.approverContactIds);
  const sequence = run.emit(arg.actor, [
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
  run.queueRequestEmails(sequence, request.id, approverIds);
  watchDeadline(run, request.id);
  await run.awaitProjected(sequence);
  return run.findApproval(request.id) ?? request;
}

export function checkDecision(run: PartnershipRun, arg: DecideApprovalArgs): void {
  const result = decideApproval(existing(run, arg.approvalId), arg, new Date().toISOString());
  if (!result.ok) throw approvalFailure(result);
}

export async function decideRequest(
  run: PartnershipRun,
  arg: DecideApprovalArgs,
): Promise<ApprovalRequest> {
  const before = run.findApproval(arg.approvalId)!;
  const result = decideApproval(before, arg, new Date().toISOString());
  if (!result.ok) throw approvalFailure(result);
  run.replaceApproval(result.request);
  const drafts: EventDraft[] = [
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
  // A rejected task approval sends the task back for rework; an approved one completes a task
  // that only the partners' approval completes.
  const subject = result.request.subject;
  const partnerTask = partnerTaskOf(run, result.request);
  if (result.request.status === 'rejected' && subject.kind === 'task') {
    const reopened = decide(
      run.lifecycle(),
      {
        type: 'reopenTask',
        taskId: subject.taskId,
        comment: arg.comment ?? undefined,
        ...(partnerTask ? { approvalId: result.request.id } : {}),
      },
      { now: new Date().toISOString(), newTaskId: '', actor: arg.actor },
    );
    if (reopened.ok) {
      run.state.tasks = reopened.state.tasks;
      drafts.push(...reopened.events);
    }
  }
  if (result.request.status === 'approved' && partnerTask) {
    const completed = decide(
      run.lifecycle(),
      {
        type: 'completeTask',
        taskId: partnerTask.id,
        comment: arg.comment ?? undefined,
        approvalId: result.request.id,
      },
      { now: new Date().toISOString(), newTaskId: '', actor: arg.actor },
    );
    if (completed.ok) {
      run.state.tasks = completed.state.tasks;
      drafts.push(...completed.events);
    }
  }
  const sequence = run.emit(arg.actor, drafts);
  const closedAs = result.request.status;
  if (closedAs === 'approved' || closedAs === 'rejected') {
    run.mode.queueFollowUpEmail(run, sequence, {
      kind: 'approval-closed',
      approvalId: arg.approvalId,
      status: closedAs,
    });
  }
  await run.awaitProjected(sequence);
  // Once closed and in PostgreSQL, the workflow no longer carries it: answer it as decided.
  return run.findApproval(arg.approvalId) ?? result.request;
}

export function checkWithdrawal(run: PartnershipRun, arg: WithdrawApprovalArgs): void {
  const result = closeApproval(
    existing(run, arg.approvalId),
    'withdrawn',
    new Date().toISOString(),
  );
  if (!result.ok) throw approvalFailure(result);
}

export async function withdraw(
  run: PartnershipRun,
  arg: WithdrawApprovalArgs,
): Promise<ApprovalRequest> {
  const result = closeApproval(
    run.findApproval(arg.approvalId)!,
    'withdrawn',
    new Date().toISOString(),
  );
  if (!result.ok) throw approvalFailure(result);
  run.replaceApproval(result.request);
  const sequence = run.emit(arg.actor, [
    { type: 'approval.withdrawn', payload: { approvalId: arg.approvalId } },
  ]);
  await run.awaitProjected(sequence);
  return run.findApproval(arg.approvalId) ?? result.request;
}

export function checkDelegation(run: PartnershipRun, arg: DelegateApprovalArgs): void {
  const result = delegateApproval(existing(run, arg.approvalId), arg);
  if (!result.ok) throw approvalFailure(result);
}

export async function delegate(
  run: PartnershipRun,
  arg: DelegateApprovalArgs,
): Promise<ApprovalRequest> {
  const result = delegateApproval(run.findApproval(arg.approvalId)!, {
    ...arg,
    ...run.mode.delegationExtras(run, arg),
  });
  if (!result.ok) throw approvalFailure(result);
  run.replaceApproval(result.request);
  const sequence = run.emit(arg.actor, [
    {
      type: 'approval.delegated',
      payload: { approvalId: arg.approvalId, from: arg.fromContactId, to: arg.toContactId },
    },
  ]);
  run.queueRequestEmails(sequence, arg.approvalId, [arg.toContactId]);
  await run.awaitProjected(sequence);
  return run.findApproval(arg.approvalId) ?? result.request;
}

export function checkRevision(run: PartnershipRun, arg: ReviseApprovalArgs): void {
  const request = existing(run, arg.approvalId);
  if (request.status !== 'pending') throw approvalClosed(request.status);
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
}

export async function revise(
  run: PartnershipRun,
  arg: ReviseApprovalArgs,
): Promise<ApprovalRequest> {
  const before = run.findApproval(arg.approvalId)!;
  const next: ApprovalRequest = {
    ...before,
    ...(arg.deadline !== undefined ? { deadline: arg.deadline } : {}),
    ...(arg.reminderPolicy !== undefined ? { reminderPolicy: arg.reminderPolicy } : {}),
    ...(arg.snoozedUntil !== undefined ? { snoozedUntil: arg.snoozedUntil } : {}),
  };
  run.replaceApproval(next);
  const drafts: EventDraft[] = [];
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
  const sequence = run.emit(arg.actor, drafts);
  await run.awaitProjected(sequence);
  return run.findApproval(arg.approvalId) ?? next;
}
