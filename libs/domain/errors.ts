/**
 * Every error the product can explain to a user has a code. One HTTP filter maps each code to a
 * status (see apps/api/src/platform/problem.filter.ts); its switch is exhaustive, so a new code
 * cannot go unmapped.
 */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  PARTNERSHIP_NOT_FOUND = 'PARTNERSHIP_NOT_FOUND',
  ORGANISATION_NOT_FOUND = 'ORGANISATION_NOT_FOUND',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  ROUTE_NOT_FOUND = 'ROUTE_NOT_FOUND',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  DEPENDENCY_UNAVAILABLE = 'DEPENDENCY_UNAVAILABLE',
  TASK_NOT_FOUND = 'TASK_NOT_FOUND',
  // Lifecycle rejections (libs/domain/lifecycle.ts RejectionCode): the action is illegal now.
  PARTNERSHIP_CLOSED = 'PARTNERSHIP_CLOSED',
  PARTNERSHIP_AGREED = 'PARTNERSHIP_AGREED',
  PARTNERSHIP_PAUSED = 'PARTNERSHIP_PAUSED',
  PARTNERSHIP_NOT_PAUSED = 'PARTNERSHIP_NOT_PAUSED',
  GATE_TASKS_OPEN = 'GATE_TASKS_OPEN',
  NO_PREVIOUS_STAGE = 'NO_PREVIOUS_STAGE',
  REASON_REQUIRED = 'REASON_REQUIRED',
  TASK_ALREADY_DONE = 'TASK_ALREADY_DONE',
  TASK_NOT_DONE = 'TASK_NOT_DONE',
  TASK_STAGE_PASSED = 'TASK_STAGE_PASSED',
  ASSIGNEE_NOT_A_CONTACT = 'ASSIGNEE_NOT_A_CONTACT',
  INVALID_DUE_DATE = 'INVALID_DUE_DATE',
  NOTHING_TO_CHANGE = 'NOTHING_TO_CHANGE',
  GATE_CONSENT_MISSING = 'GATE_CONSENT_MISSING',
  // Approval rejections (libs/domain/approvals.ts ApprovalRejectionCode).
  APPROVAL_NOT_FOUND = 'APPROVAL_NOT_FOUND',
  APPROVAL_CLOSED = 'APPROVAL_CLOSED',
  NOT_AN_APPROVER = 'NOT_AN_APPROVER',
  ALREADY_DECIDED = 'ALREADY_DECIDED',
  COMMENT_REQUIRED = 'COMMENT_REQUIRED',
  INVALID_APPROVAL_REQUEST = 'INVALID_APPROVAL_REQUEST',
  DELEGATE_NOT_IN_ORGANISATION = 'DELEGATE_NOT_IN_ORGANISATION',
  APPROVAL_LINK_INVALID = 'APPROVAL_LINK_INVALID',
  APPROVAL_LINK_EXPIRED = 'APPROVAL_LINK_EXPIRED',
  WEBHOOK_NOT_FOUND = 'WEBHOOK_NOT_FOUND',
}

export interface FieldProblem {
  field: string;
  messages: string[];
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { errors?: FieldProblem[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
