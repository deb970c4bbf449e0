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
  SERVER_BUSY = 'SERVER_BUSY',
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
  /** A partner contact reports on a task that is not (or no longer) assigned to them. */
  TASK_NOT_ASSIGNED = 'TASK_NOT_ASSIGNED',
  /** Complete a task only the partners' approval completes (ask for their approval instead). */
  TASK_NEEDS_APPROVAL = 'TASK_NEEDS_APPROVAL',
  // Knowledge sharing (libs/domain/knowledge.ts).
  /** Advance out of knowledge sharing while required topics lack an organisation's contribution. */
  KNOWLEDGE_CONTRIBUTIONS_MISSING = 'KNOWLEDGE_CONTRIBUTIONS_MISSING',
  KNOWLEDGE_TOPIC_NOT_FOUND = 'KNOWLEDGE_TOPIC_NOT_FOUND',
  // Changes to a partnership's details (libs/domain/partnership-changes.ts).
  /** A contact id that is not a contact of the partnership. */
  CONTACT_NOT_FOUND = 'CONTACT_NOT_FOUND',
  /** Remove an organisation that is not a partner of the partnership. */
  ORGANISATION_NOT_IN_PARTNERSHIP = 'ORGANISATION_NOT_IN_PARTNERSHIP',
  /** Remove an organisation from a partnership of two. */
  TOO_FEW_ORGANISATIONS = 'TOO_FEW_ORGANISATIONS',
  /** Add an organisation that is a partner already (libs/domain/partner-changes.ts). */
  ORGANISATION_ALREADY_IN_PARTNERSHIP = 'ORGANISATION_ALREADY_IN_PARTNERSHIP',
  /** Add an organisation to a partnership of MAX_ORGANISATIONS. */
  TOO_MANY_ORGANISATIONS = 'TOO_MANY_ORGANISATIONS',
  /** Deactivate a contact who no longer takes part. */
  CONTACT_INACTIVE = 'CONTACT_INACTIVE',
  /** Deactivate the last contact of an organisation who takes part. */
  LAST_ACTIVE_CONTACT = 'LAST_ACTIVE_CONTACT',
  /** Deactivate a contact who has approvals to answer, naming no colleague to take them over. */
  CONTACT_HAS_PENDING_APPROVALS = 'CONTACT_HAS_PENDING_APPROVALS',
  /** A change to a partnership whose workflow run started before changes existed. */
  PARTNERSHIP_CHANGES_UNSUPPORTED = 'PARTNERSHIP_CHANGES_UNSUPPORTED',
  KNOWLEDGE_NOT_A_PARTNER = 'KNOWLEDGE_NOT_A_PARTNER',
  KNOWLEDGE_TOPIC_LIMIT = 'KNOWLEDGE_TOPIC_LIMIT',
  /**
   * The partnership's workflow has ended (terminated, failed or lost) although the partnership is
   * neither closed nor agreed: nothing can change it until an operator restores the workflow.
   */
  PARTNERSHIP_WORKFLOW_ENDED = 'PARTNERSHIP_WORKFLOW_ENDED',
  /** Reopen a partnership that is not closed (running, paused; agreed answers PARTNERSHIP_AGREED). */
  PARTNERSHIP_NOT_CLOSED = 'PARTNERSHIP_NOT_CLOSED',
  /** Reopen a partnership closed by a workflow run from before reopening existed. */
  PARTNERSHIP_REOPEN_UNSUPPORTED = 'PARTNERSHIP_REOPEN_UNSUPPORTED',
  // Approval rejections (libs/domain/approvals.ts ApprovalRejectionCode).
  APPROVAL_NOT_FOUND = 'APPROVAL_NOT_FOUND',
  APPROVAL_CLOSED = 'APPROVAL_CLOSED',
  NOT_AN_APPROVER = 'NOT_AN_APPROVER',
  ALREADY_DECIDED = 'ALREADY_DECIDED',
  COMMENT_REQUIRED = 'COMMENT_REQUIRED',
  /** A comment longer than MAX_COMMENT_LENGTH (libs/domain/comments.ts). */
  COMMENT_TOO_LONG = 'COMMENT_TOO_LONG',
  INVALID_APPROVAL_REQUEST = 'INVALID_APPROVAL_REQUEST',
  DELEGATE_NOT_IN_ORGANISATION = 'DELEGATE_NOT_IN_ORGANISATION',
  TOO_MANY_OPEN_APPROVALS = 'TOO_MANY_OPEN_APPROVALS',
  APPROVAL_LINK_INVALID = 'APPROVAL_LINK_INVALID',
  APPROVAL_LINK_EXPIRED = 'APPROVAL_LINK_EXPIRED',
  WEBHOOK_NOT_FOUND = 'WEBHOOK_NOT_FOUND',
  /** The webhook URL's host is, or resolves to, an address webhooks may not reach. */
  WEBHOOK_URL_REFUSED = 'WEBHOOK_URL_REFUSED',
  // Stage templates (libs/domain/templates.ts).
  TEMPLATE_NOT_FOUND = 'TEMPLATE_NOT_FOUND',
  /** Edit or publish a version that is published already (a published version never changes). */
  TEMPLATE_PUBLISHED = 'TEMPLATE_PUBLISHED',
  /** Publish a version the rules refuse; `problems` lists what is wrong. */
  TEMPLATE_INVALID = 'TEMPLATE_INVALID',
  /** A new draft while the template has one already. */
  TEMPLATE_DRAFT_EXISTS = 'TEMPLATE_DRAFT_EXISTS',
  /** Move a partnership to a version of its template not newer than its own (template-move.ts). */
  TEMPLATE_NOT_NEWER = 'TEMPLATE_NOT_NEWER',
  /** Move a partnership to a version of another template than the one it follows. */
  TEMPLATE_KEY_DIFFERS = 'TEMPLATE_KEY_DIFFERS',
  /** Move a partnership to a version that is still a draft. */
  TEMPLATE_NOT_PUBLISHED = 'TEMPLATE_NOT_PUBLISHED',
  // Access control.
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  REFRESH_TOKEN_INVALID = 'REFRESH_TOKEN_INVALID',
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  API_TOKEN_NOT_FOUND = 'API_TOKEN_NOT_FOUND',
  MEMBER_NOT_FOUND = 'MEMBER_NOT_FOUND',
  CLOSURE_NOT_FOUND = 'CLOSURE_NOT_FOUND',
  TOO_MANY_CLOSURES = 'TOO_MANY_CLOSURES',
  CALENDAR_EVENT_NOT_FOUND = 'CALENDAR_EVENT_NOT_FOUND',
  /** A change to, or an answer on, an event that was cancelled. */
  CALENDAR_EVENT_CANCELLED = 'CALENDAR_EVENT_CANCELLED',
  /** A change to, or an answer on, an event that has started (or ended). */
  CALENDAR_EVENT_STARTED = 'CALENDAR_EVENT_STARTED',
  /** An answer from someone who is not an attendee of the event. */
  NOT_AN_ATTENDEE = 'NOT_AN_ATTENDEE',
}

/**
 * When each code is answered, as docs/api.md's error table says it (`npm run docs:tables` writes
 * the table from this and the filter's status map; a test fails when they differ). Typed over
 * every code, so a new code cannot go undocumented.
 */
export const ERROR_CODE_MEANINGS: Readonly<Record<ErrorCode, string>> = {
  VALIDATION_FAILED:
    'the body or query fails validation (the `errors` list names each field, e.g. `organisations[1].contacts[0].timeZone`), a field is not accepted, or the JSON is malformed',
  PARTNERSHIP_NOT_FOUND: 'an unknown (or malformed) partnership id, or one the caller may not see',
  ORGANISATION_NOT_FOUND: 'an unknown organisation id; the `missing` list names each one',
  IDEMPOTENCY_KEY_REUSED: 'the same `Idempotency-Key` came with a different body',
  ROUTE_NOT_FOUND: 'no such route (or file of the web app)',
  PAYLOAD_TOO_LARGE: 'the body is larger than 1 MiB',
  UNSUPPORTED_MEDIA_TYPE: 'a body that is not `application/json`',
  DEPENDENCY_UNAVAILABLE:
    'the partnership’s workflow did not take the change or answer within `TEMPORAL_CALL_TIMEOUT_MS` (`cause: "timeout"`: a worker is down or busy, nothing was changed), took it but did not finish it within `TEMPORAL_UPDATE_TIMEOUT_MS` (`cause: "accepted"`: it will be recorded), or the change met it as it moved to a new run (continue-as-new): `Retry-After` says when to try again',
  SERVER_BUSY:
    'this API process is at one of its limits: as many event streams as it may hold (`STREAMS_PER_PROCESS`), or as many logins checked at once and waiting as it may (`AUTH_MAX_CONCURRENT_HASHES`, `AUTH_MAX_QUEUED_LOGINS`; nothing counted or checked); `Retry-After` says when to try again',
  TASK_NOT_FOUND: 'no task with this id in the partnership',
  PARTNERSHIP_CLOSED: 'the partnership is closed: it changes no more',
  PARTNERSHIP_AGREED: 'the partnership is agreed: it changes no more',
  PARTNERSHIP_WORKFLOW_ENDED:
    'a change to a partnership that is neither closed nor agreed, whose workflow has nevertheless ended (terminated or failed, e.g. by an operator, or lost with Temporal’s data); `workflowStatus` names how it ended (`null` when Temporal no longer knows it). A retry cannot succeed until an operator restores the workflow',
  PARTNERSHIP_NOT_CLOSED:
    'reopen a partnership that is not closed (active or paused; an agreed one answers `PARTNERSHIP_AGREED`)',
  PARTNERSHIP_REOPEN_UNSUPPORTED:
    'reopen a partnership whose workflow run closed it before reopening existed: its state was not kept, so it cannot be reopened',
  PARTNERSHIP_PAUSED: 'the partnership is paused: resume it first',
  PARTNERSHIP_NOT_PAUSED: 'resume of a partnership that is not paused',
  GATE_TASKS_OPEN: 'advance while required tasks of the stage are open; `blockers` lists them',
  NO_PREVIOUS_STAGE: 'send back from the first stage',
  REASON_REQUIRED: 'close, send back or report a blocked task without a reason',
  TASK_ALREADY_DONE: 'complete a task that is already done',
  TASK_NOT_DONE: 'reopen a task that is not done',
  TASK_STAGE_PASSED: 'add a task to a stage already passed, or to `agreed`',
  ASSIGNEE_NOT_A_CONTACT: 'the assignee is not a contact of a partner organisation',
  INVALID_DUE_DATE: 'a due date that is not a calendar date `YYYY-MM-DD`',
  NOTHING_TO_CHANGE: 'the change would change nothing (e.g. the same block reported again)',
  GATE_CONSENT_MISSING:
    'advance while the stage’s gate lacks a partner’s consent: the stage template asks for it, or a gate request was made in the stage (in this visit or before a send-back), and the latest one of this visit is missing, pending, rejected or expired; `blockers` names the request (`approvalId`, `null` when none was made), who is awaited and the `organisationIds` whose consent is missing',
  TASK_NEEDS_APPROVAL:
    'complete (or report done) an approval task that only the partners’ approval completes: ask for their approval (`POST …/approvals` with `subject: { kind: "task" }`)',
  TASK_NOT_ASSIGNED: 'a partner contact reports on a task no longer assigned to them',
  KNOWLEDGE_CONTRIBUTIONS_MISSING:
    'advance out of knowledge sharing while the partnership asks for contributions and a required topic lacks one from an organisation; `blockers` names each topic and organisation (`kind: "knowledge"`)',
  KNOWLEDGE_TOPIC_NOT_FOUND: 'no knowledge-sharing topic with this key in the partnership',
  CONTACT_NOT_FOUND: 'the contact is not a contact of the partnership',
  ORGANISATION_NOT_IN_PARTNERSHIP:
    'remove an organisation that is not a partner of the partnership',
  TOO_FEW_ORGANISATIONS:
    'remove an organisation from a partnership of two: a partnership has at least two partners',
  ORGANISATION_ALREADY_IN_PARTNERSHIP: 'add an organisation that is a partner already',
  TOO_MANY_ORGANISATIONS:
    'add an organisation to a partnership that has 20 already (`MAX_ORGANISATIONS`)',
  CONTACT_INACTIVE: 'deactivate a contact who no longer takes part in the partnership',
  LAST_ACTIVE_CONTACT:
    'deactivate the last contact of an organisation who takes part: add (or reactivate) a colleague first',
  CONTACT_HAS_PENDING_APPROVALS:
    'deactivate a contact who has pending approval requests to answer without `delegateTo`, the colleague who takes them over; `errors` names the requests',
  PARTNERSHIP_CHANGES_UNSUPPORTED:
    'a change to a partnership whose workflow run started before its details could change; it can once the run continues as new',
  KNOWLEDGE_NOT_A_PARTNER:
    'a contribution for an organisation that is not a partner of the partnership',
  KNOWLEDGE_TOPIC_LIMIT:
    'a new topic while the partnership already has 30 (`MAX_KNOWLEDGE_TOPICS`)',
  APPROVAL_NOT_FOUND: 'an unknown approval request id, or one the caller may not see',
  APPROVAL_CLOSED:
    'decide on, revise or withdraw a request that is no longer pending; `recorded` shows it',
  NOT_AN_APPROVER: 'the contact is not (or no longer) an approver of the request',
  ALREADY_DECIDED: 'the approver has already decided; `recorded` shows the decision',
  COMMENT_REQUIRED: 'a rejection without a comment, or a comment without text',
  COMMENT_TOO_LONG: 'a comment longer than 4,000 characters (`MAX_COMMENT_LENGTH`)',
  INVALID_APPROVAL_REQUEST:
    'a request or revision the rules refuse: a deadline in the past, approvers who are not contacts of the partners, an invalid reminder policy, a bad snooze; `errors` names the fields',
  DELEGATE_NOT_IN_ORGANISATION:
    'delegate to someone who is not a colleague in the same organisation, or who already approves',
  TOO_MANY_OPEN_APPROVALS:
    'a new approval request while the partnership already has 50 pending (`MAX_OPEN_APPROVAL_REQUESTS`); `limit` says how many: decide, withdraw or let some expire first',
  APPROVAL_LINK_INVALID:
    'a tampered or foreign partner-page link (the pages `/a/:token` and `/t/:token` answer it with an HTML page of this status)',
  APPROVAL_LINK_EXPIRED:
    'a partner-page link past its validity (for an approval: the deadline and `APPROVAL_LINK_GRACE_HOURS`); answered as an HTML page',
  WEBHOOK_NOT_FOUND: 'an unknown webhook id',
  WEBHOOK_URL_REFUSED:
    'a webhook `url` whose host is, or resolves to, a loopback, private, link-local, CGNAT, multicast or other non-public address outside `WEBHOOK_ALLOWED_NETWORKS`, or a name that does not resolve; `errors` says why',
  TEMPLATE_NOT_FOUND:
    'no such template version (`GET …/templates` lists them), or a `copyFrom` or diff version that does not exist',
  TEMPLATE_PUBLISHED:
    'edit or publish a template version that is published: a published version never changes (create a new draft)',
  TEMPLATE_INVALID:
    'publish a template version the rules refuse; `problems` lists each one (`code`, `field`, `stage`, `taskKey`, `language`, `message`): a stage whose gate checks nothing, a task key twice in a stage, a title missing in en, es or zh, …',
  TEMPLATE_DRAFT_EXISTS:
    'a new draft while the template has one already (one at a time: edit or publish it first); `version` names it',
  TEMPLATE_NOT_NEWER:
    'move a partnership to a version of its template that is not newer than the one it keeps (`templateVersion`)',
  TEMPLATE_KEY_DIFFERS:
    'move a partnership to a version of another template than the one it follows',
  TEMPLATE_NOT_PUBLISHED: 'move a partnership to a version that is still a draft: publish it first',
  UNAUTHENTICATED:
    'no, or a bad, expired or revoked token (with `WWW-Authenticate: Bearer`); see [access-control.md](access-control.md)',
  FORBIDDEN:
    'signed in, but the route needs another role or membership; a refused CORS preflight; demoting or disabling the last admin',
  INVALID_CREDENTIALS:
    'a failed login: an unknown e-mail, a wrong password, an account locked from this source, a disabled account (the answer never says which)',
  TOO_MANY_REQUESTS:
    'over the rate limit, or as many event streams open as one user may (`STREAMS_PER_USER`); `Retry-After` says when to try again',
  REFRESH_TOKEN_INVALID:
    'a refresh token that cannot be used (unknown, expired, revoked or reused)',
  USER_NOT_FOUND: 'an unknown user id',
  EMAIL_TAKEN:
    'a user with this e-mail already exists, or a contact added or changed to a colleague’s address in the same organisation',
  API_TOKEN_NOT_FOUND: 'an unknown API token id',
  MEMBER_NOT_FOUND: 'the user is not a member of the partnership',
  CLOSURE_NOT_FOUND: 'remove a closure day the organisation does not have',
  TOO_MANY_CLOSURES:
    'a new closure day for an organisation that already has 400 (`MAX_CLOSURES_PER_ORGANISATION`); `limit` says how many: remove past ones first',
  CALENDAR_EVENT_NOT_FOUND: 'no event with this id in the partnership',
  CALENDAR_EVENT_CANCELLED: 'edit, cancel or answer an event that was cancelled',
  CALENDAR_EVENT_STARTED: 'edit, cancel or answer an event that has started',
  NOT_AN_ATTENDEE: 'answer an event one is not an attendee of',
};

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
