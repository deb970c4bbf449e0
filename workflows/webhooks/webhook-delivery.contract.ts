/**
 * The webhook delivery workflow's contract: id, input and the activities it calls. One workflow
 * per delivery (`webhook-delivery-<deliveryId>`), started by the worker after the projection that
 * wrote the delivery has committed. Its input and its activities carry the delivery id only; the
 * activities read the webhook's URL and secret from PostgreSQL.
 */
/**
 * The webhook deliveries' own task queue, polled by a Worker of its own (with its own slots), so
 * that slow receivers cannot take the slots of the partnerships' recording and e-mail. Deliveries
 * started before it existed run on the partnerships task queue, whose Worker still has the delivery
 * activities.
 */
export const WEBHOOK_DELIVERY_TASK_QUEUE = 'webhook-deliveries';

export function webhookDeliveryWorkflowId(deliveryId: string): string {
  return `webhook-delivery-${deliveryId}`;
}

/** Retry policy of the HTTP attempts (backoff coefficient 2); from config, fixed at start. */
export interface WebhookDeliveryRetry {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  /** Attempts in all, the first one included. */
  maximumAttempts: number;
}

export interface WebhookDeliveryInput {
  deliveryId: string;
  partnershipId: string;
  retry: WebhookDeliveryRetry;
}

/** `skipped`: the webhook was deactivated or deleted before the delivery went out. */
export type WebhookDeliveryOutcome = 'delivered' | 'failed' | 'skipped';

/**
 * What the partnership's timeline is told about a delivery that gave up. It names the webhook by
 * id: its URL (often itself a credential) stays in PostgreSQL, out of histories and timelines.
 */
export interface WebhookDeliveryFailure {
  webhookId?: string;
  /** Only in the results that histories recorded before the webhook id replaced it. */
  url?: string;
  eventSequence: number;
  attempts: number;
  error: string;
}

/**
 * Implemented by the worker (apps/worker/src/webhooks/webhook-delivery.activities.ts); each is
 * keyed by the delivery id and idempotent.
 */
export interface WebhookDeliveryActivities {
  /**
   * One signed POST of the delivery's stored body; records the attempt. Resolves when the receiver
   * answered 2xx (or the delivery needs nothing: already delivered, webhook gone or inactive);
   * throws a retryable failure otherwise.
   */
  deliverWebhook(deliveryId: string): Promise<'delivered' | 'skipped'>;

  /** Marks the delivery failed after its last attempt; null when it is not a failure (any more). */
  markWebhookDeliveryFailed(deliveryId: string): Promise<WebhookDeliveryFailure | null>;
}
