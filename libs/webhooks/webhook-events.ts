import { TIMELINE_EVENT_TYPES } from '../domain';
import type { EventActor, TimelineEvent, TimelineEventType } from '../domain';

/**
 * The timeline events a webhook may subscribe to: all of them except `notification.failed`,
 * which is what a failed delivery produces (a webhook on it could fail in a loop).
 */
export type WebhookEventType = Exclude<TimelineEventType, 'notification.failed'>;
export const WEBHOOK_EVENT_TYPES = TIMELINE_EVENT_TYPES.filter(
  (t): t is WebhookEventType => t !== 'notification.failed',
);

/** Subscribes a webhook to every event type, including ones added later. */
export const ALL_WEBHOOK_EVENTS = '*';

export function isWebhookEventType(type: string): type is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);
}

/** Whether a webhook subscribed to `eventTypes` receives an event of `type`. */
export function webhookWants(eventTypes: readonly string[], type: string): boolean {
  return (
    isWebhookEventType(type) &&
    (eventTypes.includes(ALL_WEBHOOK_EVENTS) || eventTypes.includes(type))
  );
}

/** The JSON body of a delivery: the timeline entry as the timeline API shows it, and its ids. */
export interface WebhookPayload {
  /** Also in the `X-Entente-Delivery` header; the same on every retry, so receivers dedupe by it. */
  deliveryId: string;
  webhookId: string;
  event: {
    partnershipId: string;
    sequence: number;
    type: WebhookEventType;
    actor: EventActor;
    occurredAt: string;
    payload: Record<string, unknown>;
  };
}

export function webhookPayload(
  deliveryId: string,
  webhookId: string,
  partnershipId: string,
  event: TimelineEvent & { type: WebhookEventType },
): WebhookPayload {
  return {
    deliveryId,
    webhookId,
    event: {
      partnershipId,
      sequence: event.sequence,
      type: event.type,
      actor: event.actor,
      occurredAt: event.occurredAt,
      payload: event.payload,
    },
  };
}
