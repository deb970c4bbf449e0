import type {
  ApprovalRequest,
  FollowUpPolicy,
  Language,
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
   * language. Keyed per approval, kind and contact in the notifications outbox: nothing twice.
   */
  sendApprovalEmails(input: ApprovalEmailBatch): Promise<void>;

  /**
   * Sends one follow-up e-mail: a reminder, an escalation, a closed request, an overdue task or a
   * stalled stage. Keyed in the notifications outbox by its business id (see `followUpEmailKey`),
   * so nothing is sent twice. A reminder for a request no longer awaiting that contact is dropped.
   * Fails non-retryably when the SMTP server refuses the recipient for good (5xx).
   */
  sendFollowUpEmail(email: FollowUpEmail): Promise<{ sent: boolean }>;
}

export interface ApprovalEmailBatch {
  partnershipId: string;
  approvalId: string;
  kind: 'request';
  contactIds: string[];
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
} & (
  | { kind: 'approval-reminder'; approvalId: string; contactId: string; reminderNumber: number }
  | { kind: 'approval-escalation'; approvalId: string; awaiting: string[] }
  | { kind: 'approval-closed'; approvalId: string; status: 'approved' | 'rejected' | 'expired' }
  | {
      kind: 'task-overdue';
      taskId: string;
      contactId: string;
      dueDate: string;
      reminderNumber: number;
    }
  | { kind: 'stage-stalled'; stage: Stage; since: string; reminderNumber: number }
);

/** The notifications-outbox key of a follow-up e-mail: its business id. */
export function followUpEmailKey(email: FollowUpEmail): string {
  switch (email.kind) {
    case 'approval-reminder':
      return `approval/${email.approvalId}/reminder/${email.reminderNumber}/${email.contactId}`;
    case 'approval-escalation':
      return `approval/${email.approvalId}/escalation/coordinator`;
    case 'approval-closed':
      return `approval/${email.approvalId}/${email.status}/coordinator`;
    case 'task-overdue':
      return `task/${email.partnershipId}/${email.taskId}/${email.dueDate}/overdue/${email.reminderNumber}/${email.contactId}`;
    case 'stage-stalled':
      return `partnership/${email.partnershipId}/stalled/${email.since}/${email.reminderNumber}/coordinator`;
  }
}

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
}
