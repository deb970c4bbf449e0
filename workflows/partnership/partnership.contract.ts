/**
 * The partnership workflow's contract: task queue, workflow id, search attributes and messages.
 * Imported by the workflow, the worker and the API alike; nothing else is shared by copy.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  CommentInput,
  PartnerContactInput,
  PartnerOrganisationInput,
  ApprovalRequest,
  PartnershipChange,
  ApprovalSubject,
  ContactProfile,
  FollowUpOf,
  FollowUpPolicy,
  FollowUpPolicyPatch,
  GateConsentState,
  GateRules,
  KnowledgeAction,
  KnowledgeState,
  ReminderPolicy,
  StallProgress,
  TaskFollowUpProgress,
  OrganisationRule,
  Blocker,
  ContactActor,
  EventActor,
  Task,
  TaskBlock,
  TaskReport,
  TemplateTask,
  TemplateMoveTarget,
  PartnershipStatus,
  Stage,
  WorkingCalendar,
} from '../../libs/domain';

export const PARTNERSHIP_TASK_QUEUE = 'partnerships';

export function partnershipWorkflowId(partnershipId: string): string {
  return `partnership-${partnershipId}`;
}

/**
 * The id the API gives each update it sends: unique, and ending in the deadline (epoch ms) at
 * which the API stopped waiting and told its caller that nothing changed. Temporal keeps an
 * admitted update until a worker takes it, so without this a change refused to its sender could
 * still be made when a stopped worker came back.
 */
export function lateUpdateId(unique: string, deadlineMs: number): string {
  return `${unique}@${deadlineMs}`;
}

/** The deadline `lateUpdateId` put into an update id; undefined for an id without one. */
export function updateDeadlineOf(updateId: string): number | undefined {
  const match = /@(\d{1,16})$/.exec(updateId);
  return match ? Number(match[1]) : undefined;
}

/** Typed search attributes upserted by the workflow; the dev server registers them at start. */
export const PartnershipSearchAttributes = {
  id: defineSearchAttributeKey('PartnershipId', SearchAttributeType.KEYWORD),
  stage: defineSearchAttributeKey('PartnershipStage', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('PartnershipStatus', SearchAttributeType.KEYWORD),
  coordinator: defineSearchAttributeKey('PartnershipCoordinator', SearchAttributeType.KEYWORD),
  organisations: defineSearchAttributeKey(
    'PartnershipOrganisations',
    SearchAttributeType.KEYWORD_LIST,
  ),
} as const;

export const ALL_SEARCH_ATTRIBUTES = Object.values(PartnershipSearchAttributes);

/** A partner contact as a partnership takes it (libs/domain/partner-changes.ts). */
export type ContactInput = PartnerContactInput;

/**
 * A partner organisation as a partnership takes it: at the start, a new one with its contacts,
 * or an existing one (`isNew` false) whose contacts come in `contactIds` instead.
 */
export type OrganisationInput = PartnerOrganisationInput;

export interface PartnershipWorkflowInput {
  partnershipId: string;
  title: string;
  areas: string[];
  coordinator: { name: string; email: string };
  organisations: OrganisationInput[];
  /** sha256 of the create request, so a reused Idempotency-Key with another body is refused. */
  requestHash: string;
  requestedAt: string;
  actor: EventActor;
  /** The stage template the partnership starts with; it keeps this version for life. */
  template?: {
    key: string;
    version: number;
    tasks: TemplateTask[];
    /** Whose consent each stage's gate needs (absent in templates from before: none). */
    gates?: GateRules;
  };
  /** Ids of the partner organisations' contacts (the valid task assignees). */
  contactIds?: string[];
  /** Continue-as-new after this many history events (Temporal's own suggestion comes first). */
  maxHistoryLength?: number;
  /** Follow-up settings (the API fills what the request leaves out from config). */
  followUpPolicy?: FollowUpPolicy;
  /** Each organisation's working calendar, a snapshot (by organisation id; absent: weekly hours). */
  calendars?: Record<string, WorkingCalendar>;
  /** The coordinator's, where the policy says they work (`coordinator.country`); absent: weekly hours. */
  coordinatorCalendar?: WorkingCalendar;
}

/** Carried across continue-as-new. */
export interface PartnershipWorkflowState {
  partnershipId: string;
  title: string;
  stage: Stage;
  status: PartnershipStatus;
  coordinator: { name: string; email: string };
  organisationIds: string[];
  requestHash: string;
  recorded: boolean;
  /** Sequence number of the last timeline event the workflow emitted. */
  lastSequence: number;
  /** Sequence number of the last event written to the read model. */
  projectedSequence: number;
  tasks: Task[];
  contactIds: string[];
  templateKey: string;
  templateVersion: number;
  maxHistoryLength: number;
  /** How many times the workflow has continued as new (for the timeline and tests). */
  generation: number;
  /**
   * Approval requests the workflow needs, in request order: the pending ones (without document
   * text), closed ones until PostgreSQL has them, and per stage the latest closed gate request as
   * a summary (`carriedApprovals` in libs/domain). Closed requests live in PostgreSQL. Runs from
   * before carried every request whole; absent in runs started before approvals existed.
   */
  approvals?: ApprovalRequest[];
  /** Ids of requests changed since the last projection (absent in runs from before). */
  unprojectedApprovals?: string[];
  // Follow-ups (absent in runs started before they existed; defaults apply).
  followUpPolicy?: FollowUpPolicy;
  /** Partner contacts' zones and working hours, for task reminders. */
  contactProfiles?: Record<string, ContactProfile>;
  taskFollowUps?: Record<string, TaskFollowUpProgress>;
  stall?: StallProgress | null;
  /** The last time a person (not the system) acted on the partnership. */
  lastActivityAt?: string;
  /** Keys of failed notifications already on the timeline (bounded). */
  failedNotifications?: string[];
  /** Keys of event changes already on the timeline (bounded; absent before events existed). */
  notedCalendarEvents?: string[];
  /** The last block each open task's assignee reported (absent before task links existed). */
  taskBlocks?: Record<string, TaskBlock>;
  /**
   * Each organisation's working calendar, by organisation id: a snapshot the API gives at the
   * start and replaces through `setWorkingCalendars` when the holiday data changes (absent in runs
   * from before calendars, where the weekly hours alone count).
   */
  calendars?: Record<string, WorkingCalendar>;
  /** The coordinator's working calendar, for stalled-stage reminders (absent: weekly hours). */
  coordinatorCalendar?: WorkingCalendar;
  /** The calendar revision of each organisation's snapshot, once an update named one. */
  calendarRevisions?: Record<string, number>;
  /**
   * Knowledge sharing: the topics, whether the gate asks for contributions, and each
   * organisation's latest revision per topic (never the text). Absent until the first knowledge
   * change of a run with KNOWLEDGE_SHARING_PATCH; `initialKnowledge()` stands for it.
   */
  knowledge?: KnowledgeState;
  /** Whose consent each stage's gate needs, from the template (GATE_CONSENT_PATCH; absent: none). */
  gateRules?: GateRules;
  /**
   * The template tasks' due offsets in working days, by task id (DUE_DATES_PATCH; absent in runs
   * from before: their tasks take no due date from the template).
   */
  dueOffsets?: Record<string, number>;
  /**
   * When the current stage was entered (set from GATE_CONSENT_PATCH on): a gate request made
   * before counts no more, so consent given before a send-back is asked again.
   */
  stageEnteredAt?: string;
  /**
   * The partnership's areas (runs with PARTNERSHIP_CHANGES_PATCH; absent: as created, in the read
   * model), for the rule book to compare a change with.
   */
  areas?: string[];
  /** Contacts who no longer take part (PARTNER_CHANGES_PATCH; absent: none). */
  inactiveContactIds?: string[];
  /** The latest comments' ids, so that a retried comment is recorded once. */
  commentIds?: string[];
}

/**
 * `reopened`: a closed partnership's state (the `carried` of the run that closed it), in a new
 * run that waits for the `reopenPartnership` update started with it (update-with-start).
 */
export type PartnershipWorkflowArgs =
  | { kind: 'new'; input: PartnershipWorkflowInput }
  | { kind: 'continued'; state: PartnershipWorkflowState }
  | { kind: 'reopened'; state: PartnershipWorkflowState };

/**
 * What the workflow says of itself: its result, and the answer of `getPartnership` and
 * `awaitRecorded`. (The API's detail of a partnership is its own `PartnershipView` DTO.)
 */
export interface PartnershipWorkflowSummary {
  id: string;
  title: string;
  stage: Stage;
  status: PartnershipStatus;
  recorded: boolean;
}

/**
 * The workflow's result. A run with the reopen-closed patch that ends because the partnership was
 * closed also returns `carried`: the state continue-as-new would carry, from which a reopen
 * starts a new run. Absent for an agreed partnership and for runs from before the patch.
 */
export interface PartnershipWorkflowResult extends PartnershipWorkflowSummary {
  carried?: PartnershipWorkflowState;
}

/** Live state answered by the query and by every coordinator update. */
export interface PartnershipLiveState extends PartnershipWorkflowSummary {
  tasks: Task[];
  /** What the current stage's gate still needs, and its consent. */
  gate: { open: boolean; blockers: Blocker[]; consent: GateConsentState };
  lastSequence: number;
  templateVersion: number;
  /** Absent in runs started before follow-ups existed. */
  followUpPolicy?: FollowUpPolicy;
}

/** Every coordinator action carries who takes it, for the timeline. */
export interface ActorArg {
  actor: EventActor;
}
export type AdvanceArgs = ActorArg & { comment?: string };
export type SendBackArgs = ActorArg & { reason: string; comment?: string };
export type PauseArgs = ActorArg & { comment?: string };
export type ResumeArgs = ActorArg & { comment?: string };
export type CloseArgs = ActorArg & { reason: string; comment?: string };
export type AddTaskArgs = ActorArg & {
  title: string;
  stage?: Stage;
  required?: boolean;
  assigneeContactId?: string | null;
  dueDate?: string | null;
};
export type UpdateTaskArgs = ActorArg & {
  taskId: string;
  title?: string;
  assigneeContactId?: string | null;
  dueDate?: string | null;
};
export type TaskArgs = ActorArg & { taskId: string; comment?: string };

/**
 * Coordinator actions: updates with validators, so an illegal action is refused at once and never
 * enters history. Each answers the live state after the change has reached the read model.
 */
export const advanceUpdate = defineUpdate<PartnershipLiveState, [AdvanceArgs]>('advance');
export const sendBackUpdate = defineUpdate<PartnershipLiveState, [SendBackArgs]>('sendBack');
export const pauseUpdate = defineUpdate<PartnershipLiveState, [PauseArgs]>('pause');
export const resumeUpdate = defineUpdate<PartnershipLiveState, [ResumeArgs]>('resume');
export const closeUpdate = defineUpdate<PartnershipLiveState, [CloseArgs]>('close');
export const addTaskUpdate = defineUpdate<PartnershipLiveState, [AddTaskArgs]>('addTask');
export const updateTaskUpdate = defineUpdate<PartnershipLiveState, [UpdateTaskArgs]>('updateTask');
export const completeTaskUpdate = defineUpdate<PartnershipLiveState, [TaskArgs]>('completeTask');
export const reopenTaskUpdate = defineUpdate<PartnershipLiveState, [TaskArgs]>('reopenTask');

/**
 * A comment on the partnership or one of its tasks (libs/domain/comments.ts): a coordinator's,
 * or a partner contact's from their task page (the actor says whose).
 */
export type AddCommentArgs = ActorArg & CommentInput;
export interface CommentResult {
  commentId: string;
  /** False when the same comment was recorded before (a retry). */
  recorded: boolean;
}
export const addCommentUpdate = defineUpdate<CommentResult, [AddCommentArgs]>('addComment');

/**
 * An admin reopens a closed partnership, with a reason (`decideReopen` in libs/domain). Sent with
 * update-with-start, so it starts the run (`kind: 'reopened'`) that it reopens.
 */

export type ReopenPartnershipArgs = ActorArg & {
  reason: string;
  /**
   * Epoch ms at which the API stopped waiting and told its caller that nothing changed: a reopen
   * that reaches the run later is refused. In the arguments, not the update id, so the id can
   * stay the same for a retry (Temporal then answers the first reopen's result).
   */
  notAfter?: number;
};
export const reopenPartnershipUpdate = defineUpdate<PartnershipLiveState, [ReopenPartnershipArgs]>(
  'reopenPartnership',
);

/**
 * A change to the partnership's own details (rename, areas, coordinator, a contact, an
 * organisation leaving), decided by `decideChange` in libs/domain (PARTNERSHIP_CHANGES_PATCH).
 */
export type ChangePartnershipArgs = ActorArg & { change: PartnershipChange; comment?: string };
export const changePartnershipUpdate = defineUpdate<PartnershipLiveState, [ChangePartnershipArgs]>(
  'changePartnership',
);

/**
 * Moves the partnership to a newer published version of its stage template, decided by
 * `decideTemplateMove` in libs/domain: the API reads the version, the workflow applies it to the
 * partnership's own tasks and gate rules (runs with PARTNERSHIP_CHANGES_PATCH).
 */
export type MoveTemplateArgs = ActorArg & { template: TemplateMoveTarget; comment?: string };
export const moveTemplateUpdate = defineUpdate<PartnershipLiveState, [MoveTemplateArgs]>(
  'moveTemplate',
);

export const getLiveStateQuery = defineQuery<PartnershipLiveState>('getLiveState');

/**
 * A partner contact's report on a task assigned to them, from their signed task link: done (with
 * a comment) or blocked (what blocks it). The contact is the actor; the workflow checks that the
 * task is still theirs.
 */
export type ReportTaskArgs = { actor: ContactActor; report: TaskReport };
export const reportTaskUpdate = defineUpdate<PartnershipLiveState, [ReportTaskArgs]>('reportTask');

/**
 * A knowledge-sharing change: a topic added, an organisation's contribution (coordinator in the
 * app, or a partner contact through their signed link), or the gate's setting. The same change
 * again records nothing and answers what is recorded.
 */
export type ShareKnowledgeArgs = ActorArg & { action: KnowledgeAction };
export interface ShareKnowledgeResult {
  /** The topic added or contributed to (the existing one for a repeated title). */
  topicKey: string | null;
  /** The contribution's revision (1 for the first, one more for each edit). */
  revision: number | null;
  /** False when the change was already recorded (a retry). */
  changed: boolean;
  requireContributions: boolean;
}
export const shareKnowledgeUpdate = defineUpdate<ShareKnowledgeResult, [ShareKnowledgeArgs]>(
  'shareKnowledge',
);

export type RequestApprovalArgs = ActorArg & {
  /** Chosen by the API (from an Idempotency-Key or at random), so a retry finds its request. */
  approvalId: string;
  subject: ApprovalSubject;
  deadline: string;
  organisations: { organisationId: string; rule: OrganisationRule; approverContactIds: string[] }[];
  /** The partner organisations' contacts now, from the database, to validate approvers. */
  contactsByOrganisation: Record<string, string[]>;
  /** This request's own reminder policy; absent or null follows the partnership's. */
  reminderPolicy?: ReminderPolicy | null;
  /** Each approver's zone and working hours now, from the database. */
  approverProfiles?: Record<string, ContactProfile>;
};
/** Changes a pending request: move its deadline, change its reminder policy, or snooze it. */
export type ReviseApprovalArgs = ActorArg & {
  approvalId: string;
  deadline?: string;
  reminderPolicy?: ReminderPolicy | null;
  /** No reminders before this instant; null ends a snooze. */
  snoozedUntil?: string | null;
};
export type SetFollowUpPolicyArgs = ActorArg & {
  patch: FollowUpPolicyPatch;
  /** The coordinator's working calendar where the patched policy says they work (its country). */
  coordinatorCalendar?: WorkingCalendar;
};
export type DecideApprovalArgs = ActorArg & {
  approvalId: string;
  contactId: string;
  outcome: 'approved' | 'rejected';
  comment?: string | null;
};
export type WithdrawApprovalArgs = ActorArg & { approvalId: string };
export type DelegateApprovalArgs = ActorArg & {
  approvalId: string;
  fromContactId: string;
  toContactId: string;
  toOrganisationId: string;
  toProfile?: ContactProfile;
};

/** Approval requests, answered by partners (through signed links) and the coordinator. */
export const requestApprovalUpdate = defineUpdate<ApprovalRequest, [RequestApprovalArgs]>(
  'requestApproval',
);
export const decideApprovalUpdate = defineUpdate<ApprovalRequest, [DecideApprovalArgs]>(
  'decideApproval',
);
export const withdrawApprovalUpdate = defineUpdate<ApprovalRequest, [WithdrawApprovalArgs]>(
  'withdrawApproval',
);
export const delegateApprovalUpdate = defineUpdate<ApprovalRequest, [DelegateApprovalArgs]>(
  'delegateApproval',
);

export const reviseApprovalUpdate = defineUpdate<ApprovalRequest, [ReviseApprovalArgs]>(
  'reviseApproval',
);

/** Changes the partnership's follow-up policy; pending follow-ups are planned again at once. */
export const setFollowUpPolicyUpdate = defineUpdate<FollowUpPolicy, [SetFollowUpPolicyArgs]>(
  'setFollowUpPolicy',
);

export interface SetWorkingCalendarsArgs {
  /** The new snapshot, by organisation id: it replaces the calendars of these organisations. */
  calendars: Record<string, WorkingCalendar>;
  /**
   * Each organisation's calendar revision (closures changed) the snapshot was built at: a snapshot
   * older than the one the workflow has for that organisation is skipped, so an update that comes
   * late never undoes a newer one.
   */
  revisions?: Record<string, number>;
  /**
   * The coordinator's new calendar, built for `coordinatorPlace`: taken only while the policy still
   * says they work there (a refresh that read the place before a policy change is late).
   */
  coordinator?: WorkingCalendar;
  coordinatorPlace?: { country: string; region: string };
}

/**
 * Replaces the organisations' working calendars (after a holiday-data update or a change of
 * closures); pending follow-ups are planned again at once, in the new calendars. Answers the plan.
 */
export const setWorkingCalendarsUpdate = defineUpdate<
  PlannedFollowUpView[],
  [SetWorkingCalendarsArgs]
>('setWorkingCalendars');

/** A follow-up the workflow will send, and when (ISO). */
export type PlannedFollowUpView = { at: string } & FollowUpOf;

export interface FollowUpsView {
  policy: FollowUpPolicy;
  /** False for partnerships started before follow-ups existed (until they continue as new). */
  enabled: boolean;
  lastActivityAt: string | null;
  planned: PlannedFollowUpView[];
}
export const getFollowUpsQuery = defineQuery<FollowUpsView>('getFollowUps');

export const getPartnershipQuery = defineQuery<PartnershipWorkflowSummary>('getPartnership');

/**
 * A notification (webhook delivery, e-mail) that gave up after its retries. The partnership
 * records it on its timeline as `notification.failed`. A signal: the sender needs no answer and
 * the partnership may be closed by then (a signal to a closed workflow is simply refused).
 */
export interface NotificationFailedArgs {
  /** The business key of the notification, e.g. `webhook/<deliveryId>`; recorded once. */
  key: string;
  channel: 'webhook' | 'email';
  /**
   * Where it was going: `webhook:<webhookId>` (never the URL, which may hold a credential; older
   * events hold the URL) or the recipient's e-mail address.
   */
  target: string;
  /** The timeline event it was about, when it was about one. */
  eventSequence: number | null;
  attempts: number;
  error: string;
}
export const notificationFailedSignal =
  defineSignal<[NotificationFailedArgs]>('notificationFailed');

/**
 * A change to one of the partnership's events (its own workflow, workflows/calendar-events/),
 * for the timeline: `calendar_event.<change>`. A signal, like notificationFailed: the event's
 * workflow needs no answer, and an ended partnership simply refuses it. `key` (event id and
 * revision) is recorded once.
 */
export interface CalendarEventNotedArgs {
  key: string;
  change: 'scheduled' | 'updated' | 'cancelled' | 'answered';
  actor: EventActor;
  eventId: string;
  kind: string;
  title: string;
  start: string;
  end: string;
  sequence: number;
  /** For `answered`: who answered what. */
  attendee?: { kind: 'contact' | 'user'; id: string; name: string };
  answer?: 'accepted' | 'declined';
  /** For `updated` that changed who attends: who was invited, and who no longer is. */
  attendeesAdded?: { kind: 'contact' | 'user'; id: string; name: string }[];
  attendeesRemoved?: { kind: 'contact' | 'user'; id: string; name: string }[];
}
export const calendarEventNotedSignal =
  defineSignal<[CalendarEventNotedArgs]>('calendarEventNoted');

/**
 * Waits until the partnership is recorded in the read model. The create endpoint calls it with the
 * request's hash, so a second request with the same Idempotency-Key and another body is refused.
 */
export const awaitRecordedUpdate = defineUpdate<
  PartnershipWorkflowSummary,
  [{ requestHash: string }]
>('awaitRecorded');

/** Failure types the workflow's validators raise; the API maps them to error codes. */
export const PartnershipFailure = {
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
} as const;
// Rejections of coordinator actions use the lifecycle's RejectionCode as the failure type and
// carry `{ blockers }` as their first detail.
