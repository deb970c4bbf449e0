/**
 * Entente's shared vocabulary: the languages it speaks, the kinds of follow-up it sends and the
 * business keys of its notifications. Each is defined here once; the rule book, the workflows, the
 * worker, the API and the web app import it rather than spell it again.
 *
 * Pure (the workflow bundle and the web app import it): no Node built-ins, no packages.
 */
import type { Stage } from './partnership';

/** The languages of the product: its pages, its e-mails, a contact's and a user's language. */
export const LANGUAGES = ['en', 'es', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * What each kind of follow-up is about: the follow-ups the workflow plans from the rule book
 * (`planFollowUps`), answers in its plan (`getFollowUps`) and sends as e-mails.
 */
export interface FollowUpSubjects {
  /** To an approver who has not answered. */
  'approval-reminder': { approvalId: string; contactId: string; reminderNumber: number };
  /** To the coordinator, when the reminders ran out. */
  'approval-escalation': { approvalId: string; awaiting: string[] };
  /** To the assignee of an open task past its due date. */
  'task-overdue': { taskId: string; contactId: string; dueDate: string; reminderNumber: number };
  /** To the coordinator, when a stage has had no activity for a while. */
  'stage-stalled': { stage: Stage; since: string; reminderNumber: number };
}
export type FollowUpKind = keyof FollowUpSubjects;

/** Every follow-up kind, in the order the API documents them. */
export const FOLLOW_UP_KINDS = [
  'approval-reminder',
  'approval-escalation',
  'task-overdue',
  'stage-stalled',
] as const satisfies readonly FollowUpKind[];
// A kind added to FollowUpSubjects but not to the list above fails to compile here.
const everyFollowUpKind: Record<
  Exclude<FollowUpKind, (typeof FOLLOW_UP_KINDS)[number]>,
  never
> = {};
void everyFollowUpKind;

/** What can wait on a coordinator. */
export const WORK_ITEM_KINDS = [
  'gate-ready',
  'approval-approved',
  'approval-rejected',
  'approval-expired',
  'approval-escalated',
  'task-overdue',
  'stage-stalled',
] as const;
export type WorkItemKind = (typeof WORK_ITEM_KINDS)[number];

/** A follow-up of one of the kinds `K`: its `kind` and what it is about. */
export type FollowUpOf<K extends FollowUpKind = FollowUpKind> = {
  [P in K]: { kind: P } & FollowUpSubjects[P];
}[K];

/** A closed approval request, told to the coordinator (an e-mail, never planned). */
export interface ApprovalClosedNotice {
  kind: 'approval-closed';
  approvalId: string;
  status: 'approved' | 'rejected' | 'expired';
}

/**
 * A comment, told to one partner contact (a coordinator's), or to the coordinator (`contactId`
 * absent: a partner contact's); an e-mail, never planned.
 */
export interface CommentNotice {
  kind: 'comment';
  commentId: string;
  contactId?: string;
  /** What the e-mail quotes: the comment, its author, the task it is on. */
  text: string;
  authorName: string;
  taskId?: string;
}

/** What a notification (an e-mail, a webhook delivery) is about: its business identity. */
export type NotificationSubject =
  /** An approval request's e-mail to one approver, or (no contact) the batch of them. */
  | { kind: 'approval-request'; approvalId: string; contactId?: string }
  | ({ partnershipId: string } & (FollowUpOf | ApprovalClosedNotice | CommentNotice))
  | { kind: 'webhook'; deliveryId: string }
  /** A coordinator's weekly digest, for one ISO week (`2026-W50`) in their zone. */
  | { kind: 'weekly-digest'; userId: string; week: string };

/**
 * The notification's business key: the notifications outbox's key (so nothing is sent twice),
 * the e-mail's Message-ID seed and the key a `notification.failed` event records once.
 */
export function notificationKey(subject: NotificationSubject): string {
  switch (subject.kind) {
    case 'approval-request':
      return subject.contactId === undefined
        ? `approval/${subject.approvalId}/request`
        : `approval/${subject.approvalId}/request/${subject.contactId}`;
    case 'approval-reminder':
      return `approval/${subject.approvalId}/reminder/${subject.reminderNumber}/${subject.contactId}`;
    case 'approval-escalation':
      return `approval/${subject.approvalId}/escalation/coordinator`;
    case 'approval-closed':
      return `approval/${subject.approvalId}/${subject.status}/coordinator`;
    case 'task-overdue':
      return `task/${subject.partnershipId}/${subject.taskId}/${subject.dueDate}/overdue/${subject.reminderNumber}/${subject.contactId}`;
    case 'stage-stalled':
      return `partnership/${subject.partnershipId}/stalled/${subject.since}/${subject.reminderNumber}/coordinator`;
    case 'comment':
      return `comment/${subject.commentId}/${subject.contactId ?? 'coordinator'}`;
    case 'webhook':
      return `webhook/${subject.deliveryId}`;
    case 'weekly-digest':
      return `weekly-digest/${subject.userId}/${subject.week}`;
    default: {
      const unknown: never = subject;
      throw new Error(`unknown notification ${String(unknown)}`);
    }
  }
}
