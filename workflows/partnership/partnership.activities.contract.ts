import type {
  ApprovalClosedNotice,
  ApprovalRequest,
  CommentNotice,
  ContactChanges,
  FollowUpOf,
  FollowUpPolicy,
  Language,
  PartnerContactInput,
  PartnerOrganisationInput,
  PartnershipStatus,
  Stage,
  Task,
  TimelineEvent,
} from '../../libs/domain';
import type { PartnershipWorkflowInput } from './partnership.contract';

/**
 * Activities the partnership workflow calls. The worker implements them over the database
 * (apps/worker/src/partnerships/partnership.activities.ts); each is idempotent by a business key.
 */
export interface PartnershipActivities {
  /** Records organisations given inline, the partnership row and its `partnership.created` event. */
  recordPartnership(input: PartnershipWorkflowInput, event: TimelineEvent): Promise<void>;

  /**
   * Applies a batch of changes to the read model in one transaction: the partnership row, its
   * tasks and the timeline events. Guarded by sequence numbers, so a retry writes nothing twice
   * and an older snapshot never overwrites a newer one. Notifies live timeline listeners.
   */
  projectChanges(snapshot: ProjectionSnapshot, events: TimelineEvent[]): Promise<void>;

  /**
   * Sends approval e-mails (each with its own signed link) to the given approvers, in their
   * language, one after the other; runs from before EMAIL_PER_RECIPIENT_PATCH call it. A
   * recipient the SMTP server refuses for good (5xx) does not stop the others: the activity
   * fails non-retryably at the end, naming the refused keys.
   */
  sendApprovalEmails(input: ApprovalEmailBatch): Promise<void>;

  /**
   * Sends one approver their approval e-mail. Keyed per approval, kind and contact in the
   * notifications outbox, under a lease (see sendOnce in the worker): one attempt at a time,
   * nothing after `sent`. Heartbeats while the SMTP server answers. Fails non-retryably when the
   * SMTP server refuses the recipient for good (5xx). `sent` is false when it went out before.
   */
  sendApprovalEmail(input: ApprovalEmail): Promise<{ sent: boolean }>;

  /**
   * Sends one follow-up e-mail: a reminder, an escalation, a closed request, an overdue task or a
   * stalled stage. Keyed in the notifications outbox by its business id (see `notificationKey` in libs/domain/vocabulary.ts),
   * under the same lease as sendApprovalEmail. A reminder for a request no longer awaiting that contact is dropped.
   * Fails non-retryably when the SMTP server refuses the recipient for good (5xx).
   */
  sendFollowUpEmail(email: FollowUpEmail): Promise<{ sent: boolean }>;

  /**
   * Sends a partner contact the "please share your knowledge" e-mail with their signed knowledge
   * link (/k/). Keyed in the outbox per request and contact (`knowledge-request/<id>/<contact>`),
   * so a retry never sends it twice. Fails non-retryably on an SMTP 5xx.
   */
  sendKnowledgeRequestEmail(email: KnowledgeRequestEmail): Promise<{ sent: boolean }>;
}

export interface KnowledgeRequestEmail {
  partnershipId: string;
  /** Chosen by the workflow, one per request. */
  requestId: string;
  contactId: string;
  coordinatorName: string;
  bilingual: boolean;
}

export interface ApprovalEmailBatch {
  partnershipId: string;
  approvalId: string;
  kind: 'request';
  contactIds: string[];
  /** The recipient's language followed by an English copy. */
  bilingual?: boolean;
}

/** One approver's approval request e-mail. */
export interface ApprovalEmail {
  partnershipId: string;
  approvalId: string;
  kind: 'request';
  contactId: string;
  /** The recipient's language followed by an English copy. */
  bilingual?: boolean;
}

export interface CoordinatorAddress {
  name: string;
  email: string;
  timeZone: string;
  language: Language;
}

export type FollowUpEmail = {
  partnershipId: string;
  bilingual: boolean;
  coordinator: CoordinatorAddress;
} & (FollowUpOf | ApprovalClosedNotice | CommentNotice);

export interface ProjectionSnapshot {
  partnershipId: string;
  stage: Stage;
  status: PartnershipStatus;
  /** Sequence of the last event in the batch. */
  sequence: number;
  occurredAt: string;
  tasks: Task[];
  /** Approval requests changed by the batch (absent before approvals existed). */
  approvals?: ApprovalRequest[];
  /** The partnership's follow-up policy (absent before follow-ups existed). */
  followUpPolicy?: FollowUpPolicy;
  /** When the current stage was entered (absent in runs from before GATE_CONSENT_PATCH). */
  stageEnteredAt?: string;
  /** The partnership's details, when a change in the batch set them (PARTNERSHIP_CHANGES_PATCH). */
  details?: PartnershipDetails;
  /** Contacts' changed details, in the order they changed. */
  contacts?: ContactUpdate[];
  /** A move to a newer template version in the batch (moveTemplate). */
  template?: TemplateMoveProjection;
  /** Organisations that joined in the batch: new ones are written, all are linked. */
  addedOrganisations?: PartnerOrganisationInput[];
  /** Contacts who joined a partner organisation in the batch (written, once, by id). */
  addedContacts?: AddedContact[];
}

/** A new contact of a partner organisation. */
export type AddedContact = { organisationId: string } & PartnerContactInput;

export interface TemplateMoveProjection {
  version: number;
  /** Template tasks the move dropped (open ones): their rows go. */
  removedTaskIds: string[];
}

export interface PartnershipDetails {
  title: string;
  /** Absent: unchanged since the partnership was created. */
  areas?: string[];
  coordinator: { name: string; email: string };
  organisationIds: string[];
  /** Contacts who no longer take part (absent: none deactivated in this run's history). */
  inactiveContactIds?: string[];
  /** The contacts who take part: the valid approvers and assignees. */
  contactIds?: string[];
}

/** A contact's new details: only the fields that changed. */
export type ContactUpdate = { id: string } & ContactChanges;
