import type { Stage } from './partnership';
import type { FollowUpProgress, ReminderPolicy } from './reminders';
import type { WorkingHours } from './working-hours';

/** What a coordinator asks partners to approve. */
export type ApprovalSubject =
  | { kind: 'task'; taskId: string; title: string }
  | { kind: 'document'; title: string; link?: string; text?: string }
  | { kind: 'gate'; stage: Stage; title: string };

/** Per organisation: every approver, any one of them, or a quorum of n. */
export type OrganisationRule = { kind: 'all' } | { kind: 'any' } | { kind: 'quorum'; n: number };

export interface ApproverDecision {
  outcome: 'approved' | 'rejected';
  comment: string | null;
  at: string;
  /** The contact who decided (a delegate decides in place of the original approver). */
  contactId: string;
}

export interface Approver {
  contactId: string;
  /** Set when this approver took over from a colleague of the same organisation. */
  delegatedFrom: string | null;
  /** True once the approver handed the request to a colleague. */
  delegated: boolean;
  decision: ApproverDecision | null;
  /** The approver's zone and hours when asked: reminders go out inside them. */
  timeZone?: string;
  workingHours?: WorkingHours;
  /** Reminders sent to this approver (absent on requests made before follow-ups existed). */
  reminders?: FollowUpProgress;
  /** When this approver was asked, if later than the request (a delegate). */
  askedAt?: string;
}

export interface OrganisationApproval {
  organisationId: string;
  rule: OrganisationRule;
  approvers: Approver[];
}

export const APPROVAL_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'withdrawn',
  'expired',
] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export interface ApprovalRequest {
  id: string;
  subject: ApprovalSubject;
  status: ApprovalStatus;
  requestedAt: string;
  deadline: string;
  requestedBy: { name?: string; email?: string };
  organisations: OrganisationApproval[];
  closedAt: string | null;
  /** True for requests that are followed up (made after follow-ups existed). */
  followUps?: boolean;
  /** This request's own reminder policy; null follows the partnership's. */
  reminderPolicy?: ReminderPolicy | null;
  /** No reminder or escalation before this instant. */
  snoozedUntil?: string | null;
  /** When the coordinator was told this request stalls (once per request). */
  escalatedAt?: string | null;
}

export const APPROVAL_REJECTION_CODES = [
  'APPROVAL_NOT_FOUND',
  'APPROVAL_CLOSED',
  'NOT_AN_APPROVER',
  'ALREADY_DECIDED',
  'COMMENT_REQUIRED',
  'INVALID_APPROVAL_REQUEST',
  'DELEGATE_NOT_IN_ORGANISATION',
  'TOO_MANY_OPEN_APPROVALS',
] as const;
export type ApprovalRejectionCode = (typeof APPROVAL_REJECTION_CODES)[number];

export interface ApprovalRejection {
  code: ApprovalRejectionCode;
  message: string;
  /** For a late or repeated decision: what was recorded. */
  recorded?: { status: ApprovalStatus; decision?: ApproverDecision | null };
}

/** Who decides for an organisation now: approvers that have not handed over to a colleague. */
function activeApprovers(org: OrganisationApproval): Approver[] {
  return org.approvers.filter((a) => !a.delegated);
}

/** Whether one organisation has consented under its rule. */
export function organisationApproved(org: OrganisationApproval): boolean {
  const active = activeApprovers(org);
  const approvals = active.filter((a) => a.decision?.outcome === 'approved').length;
  switch (org.rule.kind) {
    case 'all':
      return approvals === active.length;
    case 'any':
      return approvals >= 1;
    case 'quorum':
      return approvals >= org.rule.n;
    default: {
      const unknown: never = org.rule;
      throw new Error(`unknown rule ${JSON.stringify(unknown)}`);
    }
  }
}

/** The status a pending request reaches from its decisions: any rejection rejects it. */
export function approvalOutcome(request: ApprovalRequest): ApprovalStatus {
  if (request.status !== 'pending') return request.status;
  const decisions = request.organisations.flatMap((o) => activeApprovers(o).map((a) => a.decision));
  if (decisions.some((d) => d?.outcome === 'rejected')) return 'rejected';
  return request.organisations.every(organisationApproved) ? 'approved' : 'pending';
}

/** Contacts still awaited: undecided active approvers of organisations not yet satisfied. */
export function awaitedApprovers(request: ApprovalRequest): string[] {
  if (request.status !== 'pending') return [];
  return request.organisations
    .filter((o) => !organisationApproved(o))
    .flatMap((o) =>
      activeApprovers(o)
        .filter((a) => !a.decision)
        .map((a) => a.contactId),
    );
}

function findApprover(
  request: ApprovalRequest,
  contactId: string,
): { org: OrganisationApproval; approver: Approver } | undefined {
  for (const org of request.organisations) {
    const approver = org.approvers.find((a) => a.contactId === contactId);
    if (approver) return { org, approver };
  }
  return undefined;
}

export type ApprovalDecisionResult =
  { ok: true; request: ApprovalRequest } | { ok: false; rejection: ApprovalRejection };

function refuse(
  code: ApprovalRejectionCode,
  message: string,
  recorded?: ApprovalRejection['recorded'],
): ApprovalDecisionResult {
  return { ok: false, rejection: recorded ? { code, message, recorded } : { code, message } };
}

/**
 * Who may still act for the request: an approver (not one who handed over) of a pending
 * request who has not decided. Otherwise the refusal, with what was recorded.
 */
function actingApprover(
  request: ApprovalRequest,
  contactId: string,
): { org: OrganisationApproval; approver: Approver } | ApprovalDecisionResult {
  const found = findApprover(request, contactId);
  if (!found) return refuse('NOT_AN_APPROVER', 'This contact is not an approver of the request');
  if (request.status !== 'pending') {
    return refuse('APPROVAL_CLOSED', `The request is already ${request.status}`, {
      status: request.status,
      decision: found.approver.decision,
    });
  }
  if (found.approver.delegated) {
    return refuse('NOT_AN_APPROVER', 'This approver delegated the request to a colleague');
  }
  if (found.approver.decision) {
    return refuse('ALREADY_DECIDED', `Already ${found.approver.decision.outcome}`, {
      status: request.status,
      decision: found.approver.decision,
    });
  }
  return found;
}

/**
 * One contact's decision, exactly once: a second decision, a decision after the request closed,
 * or one from someone who is not (or no longer) an approver is refused with what was recorded.
 */
export function decideApproval(
  request: ApprovalRequest,
  input: { contactId: string; outcome: 'approved' | 'rejected'; comment?: string | null },
  now: string,
): ApprovalDecisionResult {
  const found = actingApprover(request, input.contactId);
  if ('ok' in found) return found;
  const comment = input.comment?.trim() || null;
  if (input.outcome === 'rejected' && !comment) {
    return {
      ok: false,
      rejection: { code: 'COMMENT_REQUIRED', message: 'Say why when you reject' },
    };
  }
  const decision: ApproverDecision = {
    outcome: input.outcome,
    comment,
    at: now,
    contactId: input.contactId,
  };
  const next: ApprovalRequest = {
    ...request,
    organisations: request.organisations.map((o) =>
      o !== found.org
        ? o
        : {
            ...o,
            approvers: o.approvers.map((a) => (a === found.approver ? { ...a, decision } : a)),
          },
    ),
  };
  const status = approvalOutcome(next);
  return { ok: true, request: { ...next, status, closedAt: status === 'pending' ? null : now } };
}

/** Hands one approver's part to a colleague of the same organisation. */
export function delegateApproval(
  request: ApprovalRequest,
  input: {
    fromContactId: string;
    toContactId: string;
    toOrganisationId: string;
    /** The delegate's zone and hours, for reminders. */
    toProfile?: { timeZone: string; workingHours: WorkingHours };
    /** When the delegate is asked: their reminders count from then. */
    at?: string;
  },
): ApprovalDecisionResult {
  const found = actingApprover(request, input.fromContactId);
  if ('ok' in found) return found;
  if (
    input.toOrganisationId !== found.org.organisationId ||
    findApprover(request, input.toContactId)
  ) {
    return refuse(
      'DELEGATE_NOT_IN_ORGANISATION',
      'Delegate to a colleague of the same organisation who is not already an approver',
    );
  }
  const org = found.org;
  const next: OrganisationApproval = {
    ...org,
    approvers: [
      ...org.approvers.map((a) => (a === found.approver ? { ...a, delegated: true } : a)),
      {
        contactId: input.toContactId,
        delegatedFrom: input.fromContactId,
        delegated: false,
        decision: null,
        ...(input.toProfile ?? {}),
        ...(request.followUps ? { reminders: { sent: 0, lastAt: null } } : {}),
        ...(input.at ? { askedAt: input.at } : {}),
      },
    ],
  };
  return {
    ok: true,
    request: {
      ...request,
      organisations: request.organisations.map((o) => (o === org ? next : o)),
    },
  };
}

/**
 * Lets an approver go without a successor (they no longer take part), when their organisation's
 * other approvers can still meet its rule and the request stays pending: `needs-successor` when
 * too few would be left, `would-close` when their leaving would decide the request.
 */
export function releaseApprover(
  request: ApprovalRequest,
  contactId: string,
):
  | { ok: true; request: ApprovalRequest }
  | { ok: false; reason: 'needs-successor' | 'would-close' | 'not-awaited' } {
  const org = request.organisations.find((o) =>
    activeApprovers(o).some((a) => a.contactId === contactId && !a.decision),
  );
  if (request.status !== 'pending' || !org) return { ok: false, reason: 'not-awaited' };
  const remaining = activeApprovers(org).filter((a) => a.contactId !== contactId).length;
  const needed = org.rule.kind === 'quorum' ? org.rule.n : 1;
  if (remaining < needed) return { ok: false, reason: 'needs-successor' };
  const next: ApprovalRequest = {
    ...request,
    organisations: request.organisations.map((o) =>
      o === org
        ? {
            ...o,
            approvers: o.approvers.map((a) =>
              a.contactId === contactId && !a.delegated ? { ...a, delegated: true } : a,
            ),
          }
        : o,
    ),
  };
  return approvalOutcome(next) === 'pending'
    ? { ok: true, request: next }
    : { ok: false, reason: 'would-close' };
}

/** Closes a pending request as withdrawn (coordinator) or expired (deadline). */
export function closeApproval(
  request: ApprovalRequest,
  status: 'withdrawn' | 'expired',
  now: string,
): ApprovalDecisionResult {
  if (request.status !== 'pending') {
    return {
      ok: false,
      rejection: {
        code: 'APPROVAL_CLOSED',
        message: `The request is already ${request.status}`,
        recorded: { status: request.status },
      },
    };
  }
  return { ok: true, request: { ...request, status, closedAt: now } };
}

/** Problems with a new request, given the partner organisations and their contacts. */
export function approvalRequestProblems(
  input: {
    subject: ApprovalSubject;
    deadline: string;
    organisations: {
      organisationId: string;
      rule: OrganisationRule;
      approverContactIds: string[];
    }[];
  },
  context: {
    now: string;
    contactsByOrganisation: Record<string, string[]>;
    stage: Stage;
    taskIds: string[];
  },
): string[] {
  const problems: string[] = [];
  if (!(Date.parse(input.deadline) > Date.parse(context.now)))
    problems.push('deadline must be in the future');
  if (input.organisations.length === 0) problems.push('ask at least one organisation');
  const seen = new Set<string>();
  for (const org of input.organisations) {
    const contacts = context.contactsByOrganisation[org.organisationId];
    if (!contacts) {
      problems.push(`organisation ${org.organisationId} is not a partner`);
      continue;
    }
    if (seen.has(org.organisationId))
      problems.push(`organisation ${org.organisationId} is listed twice`);
    seen.add(org.organisationId);
    if (org.approverContactIds.length === 0)
      problems.push(`organisation ${org.organisationId} needs at least one approver`);
    for (const c of org.approverContactIds) {
      if (!contacts.includes(c))
        problems.push(`contact ${c} is not a contact of organisation ${org.organisationId}`);
    }
    if (new Set(org.approverContactIds).size !== org.approverContactIds.length) {
      problems.push(`organisation ${org.organisationId} lists an approver twice`);
    }
    if (
      org.rule.kind === 'quorum' &&
      (!Number.isInteger(org.rule.n) ||
        org.rule.n < 1 ||
        org.rule.n > org.approverContactIds.length)
    ) {
      problems.push(
        `quorum for ${org.organisationId} must be a whole number between 1 and its number of approvers`,
      );
    }
  }
  if (input.subject.kind === 'gate') {
    if (input.subject.stage !== context.stage)
      problems.push(`a gate request is for the current stage (${context.stage})`);
    const missing = Object.keys(context.contactsByOrganisation).filter((o) => !seen.has(o));
    if (missing.length)
      problems.push(
        `a gate request asks every partner organisation; missing ${missing.join(', ')}`,
      );
  }
  if (input.subject.kind === 'task' && !context.taskIds.includes(input.subject.taskId)) {
    problems.push(`no task ${input.subject.taskId}`);
  }
  return problems;
}

/** Gate consent: the latest gate request for `stage`, if any, must be approved. */
export function gateConsentBlocker(
  approvals: ApprovalRequest[],
  stage: Stage,
): { kind: 'consent'; approvalId: string; status: ApprovalStatus; awaiting: string[] } | undefined {
  const gate = [...approvals]
    .reverse()
    .find(
      (a) => a.subject.kind === 'gate' && a.subject.stage === stage && a.status !== 'withdrawn',
    );
  if (!gate || gate.status === 'approved') return undefined;
  return {
    kind: 'consent',
    approvalId: gate.id,
    status: gate.status,
    awaiting: awaitedApprovers(gate),
  };
}

/**
 * At most this many requests of one partnership are pending at once. The workflow carries every
 * pending request (with its approvers and their decisions) through continue-as-new, so the cap
 * bounds what it carries; closed requests live in PostgreSQL only.
 */
export const MAX_OPEN_APPROVAL_REQUESTS = 50;

/** The refusal of one more request when the partnership already has the most it may have open. */
export function openRequestsRejection(approvals: ApprovalRequest[]): ApprovalRejection | undefined {
  const open = approvals.filter((a) => a.status === 'pending').length;
  if (open < MAX_OPEN_APPROVAL_REQUESTS) return undefined;
  return {
    code: 'TOO_MANY_OPEN_APPROVALS',
    message: `The partnership already has ${open} open approval requests (at most ${MAX_OPEN_APPROVAL_REQUESTS}); decide, withdraw or let some expire first`,
  };
}

/**
 * A closed gate request reduced to what the gate rule reads (`gateConsentBlocker`): its id,
 * stage and status. It has no organisations, which no real request lacks.
 */
export function isGateSummary(request: ApprovalRequest): boolean {
  return request.status !== 'pending' && request.organisations.length === 0;
}

/**
 * What the partnership workflow keeps of its requests once PostgreSQL has them (`projected`
 * says which it has, as they are now): every pending request, without its document text; per
 * stage, the latest closed gate request that was not withdrawn, as a gate summary (the gate rule
 * reads it: a later pending request can be withdrawn and it counts again); nothing of any other
 * closed request. Requests PostgreSQL does not yet have as they are stay whole. Request order is
 * kept: the gate rule reads the latest.
 */
export function carriedApprovals(
  approvals: ApprovalRequest[],
  projected: (id: string) => boolean,
): ApprovalRequest[] {
  const latestClosedGate = new Map<Stage, string>();
  for (const a of approvals) {
    if (a.subject.kind === 'gate' && a.status !== 'pending' && a.status !== 'withdrawn') {
      latestClosedGate.set(a.subject.stage, a.id);
    }
  }
  const carried: ApprovalRequest[] = [];
  for (const a of approvals) {
    if (!projected(a.id)) {
      carried.push(a);
    } else if (a.status === 'pending') {
      carried.push(withoutDocumentText(a));
    } else if (a.subject.kind === 'gate' && latestClosedGate.get(a.subject.stage) === a.id) {
      carried.push(gateSummary(a));
    }
  }
  return carried;
}

function withoutDocumentText(request: ApprovalRequest): ApprovalRequest {
  if (request.subject.kind !== 'document' || request.subject.text === undefined) return request;
  const subject = { ...request.subject };
  delete subject.text;
  return { ...request, subject };
}

function gateSummary(gate: ApprovalRequest): ApprovalRequest {
  const { id, subject, status, requestedAt, deadline, closedAt } = gate;
  return {
    id,
    subject,
    status,
    requestedAt,
    deadline,
    requestedBy: {},
    organisations: [],
    closedAt,
  };
}
