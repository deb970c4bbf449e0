import type {
  ApprovalRequest,
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
}

export interface ApprovalEmailBatch {
  partnershipId: string;
  approvalId: string;
  kind: 'request';
  contactIds: string[];
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
}
