/** Who did something recorded on a partnership's timeline. */
export interface EventActor {
  kind: 'coordinator' | 'contact' | 'user' | 'system';
  id?: string;
  name?: string;
  email?: string;
}
/** Alias used by workflow inputs. */
export type EventActorInput = EventActor;

export const TIMELINE_EVENT_TYPES = ['partnership.created'] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

/** One timeline entry as the workflow emits it; `sequence` is its idempotency key. */
export interface TimelineEvent {
  sequence: number;
  type: TimelineEventType;
  actor: EventActor;
  occurredAt: string;
  payload: Record<string, unknown>;
}
