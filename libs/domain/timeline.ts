/** Who did something recorded on a partnership's timeline. */
export interface EventActor {
  kind: 'coordinator' | 'contact' | 'user' | 'system';
  id?: string;
  name?: string;
  email?: string;
}

/**
 * A partner contact acting through a signed link (approval or task page): they have no account,
 * so the timeline names them by their contact record.
 */
export interface ContactActor extends EventActor {
  kind: 'contact';
  id: string;
  name: string;
  email: string;
}

export function contactActor(contact: { id: string; name: string; email: string }): ContactActor {
  return { kind: 'contact', id: contact.id, name: contact.name, email: contact.email };
}

export const TIMELINE_EVENT_TYPES = [
  'partnership.created',
  'stage.advanced',
  'stage.sent_back',
  'partnership.paused',
  'partnership.resumed',
  'partnership.closed',
  'partnership.agreed',
  /** An admin reopened a closed partnership: it is active again in the stage it was closed in. */
  'partnership.reopened',
  /** Changes to the partnership's own details (libs/domain/partnership-changes.ts). */
  'partnership.renamed',
  'partnership.areas_changed',
  'partnership.coordinator_changed',
  'contact.updated',
  /** A partner organisation left the partnership; its pending approvals were withdrawn. */
  'organisation.removed',
  /** A partner organisation joined the partnership, with its contacts (partner-changes.ts). */
  'organisation.added',
  /** A new contact of a partner organisation takes part. */
  'contact.added',
  /** A contact no longer takes part: their pending approvals and open tasks went to a colleague. */
  'contact.deactivated',
  /** A deactivated contact takes part again. */
  'contact.reactivated',
  /** A comment on the partnership or one of its tasks, a coordinator's or a partner's (comments.ts). */
  'comment.added',
  /** The partnership moved to a newer version of its stage template (libs/domain/template-move.ts). */
  'partnership.template_changed',
  'task.added',
  'task.assigned',
  'task.due_date_set',
  'task.renamed',
  'task.completed',
  'task.reopened',
  /** The assignee (a partner contact) said what keeps the task from being done. */
  'task.blocked',
  'approval.requested',
  'approval.decided',
  'approval.delegated',
  'approval.approved',
  'approval.rejected',
  'approval.withdrawn',
  'approval.expired',
  'approval.revised',
  'approval.snoozed',
  'approval.escalated',
  'reminder.sent',
  'reminder_policy.changed',
  'task.overdue_reminded',
  'stage.stalled',
  'notification.failed',
  /** A meeting, seminar or training of the partnership (its own workflow tells the partnership). */
  'calendar_event.scheduled',
  'calendar_event.updated',
  'calendar_event.cancelled',
  'calendar_event.answered',
  /** The coordinator added a knowledge-sharing topic. */
  'knowledge.topic_added',
  /** An organisation's contribution to a topic (a new revision each time it is edited). */
  'knowledge.contributed',
  /** The knowledge-sharing gate now asks (or no longer asks) for every contribution. */
  'knowledge.gate_changed',
  /** The coordinator asked partner contacts (by e-mail, with their link) for contributions. */
  'knowledge.requested',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

/** One timeline entry as the workflow emits it; `sequence` is its idempotency key. */
export interface TimelineEvent {
  sequence: number;
  type: TimelineEventType;
  actor: EventActor;
  occurredAt: string;
  payload: Record<string, unknown>;
}
