/** Who did something recorded on a partnership's timeline. */
export interface EventActor {
  kind: 'coordinator' | 'contact' | 'user' | 'system';
  id?: string;
  name?: string;
  email?: string;
}
/** Alias used by workflow inputs. */
export type EventActorInput = EventActor;

export const TIMELINE_EVENT_TYPES = [
  'partnership.created',
  'stage.advanced',
  'stage.sent_back',
  'partnership.paused',
  'partnership.resumed',
  'partnership.closed',
  'partnership.agreed',
  'task.added',
  'task.assigned',
  'task.due_date_set',
  'task.renamed',
  'task.completed',
  'task.reopened',
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
