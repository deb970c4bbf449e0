import { ApplicationFailure } from '@temporalio/common';
import { DataSource } from 'typeorm';
import { WebhooksRepository } from '@libs/db';
import { checkWebhookDestination, webhookRequestHeaders } from '@libs/webhooks';
import type { AllowedNetwork, ResolveHost } from '@libs/webhooks';
import type {
  WebhookDeliveryActivities,
  WebhookDeliveryFailure,
} from '@workflows/webhooks/webhook-delivery.contract';
import { postPinned } from './webhook-request';

export interface WebhookDeliveryDeps {
  dataSource: DataSource;
  /** Timeout of one request, response headers and body included. */
  timeoutMs: number;
  /** Networks the address rule would refuse that receivers may nevertheless be in. */
  allowedNetworks: readonly AllowedNetwork[];
  /** The system resolver unless a test maps names itself. */
  resolve?: ResolveHost;
}

/** Failure type of a failed attempt; retryable, so Temporal's backoff applies. */
export const WEBHOOK_ATTEMPT_FAILED = 'WebhookAttemptFailed';
/** Failure type of an attempt the address rule refused; not retried (the delivery fails). */
export const WEBHOOK_DESTINATION_REFUSED = 'WebhookDestinationRefused';

/**
 * Webhook deliveries over HTTP. Each attempt resolves the webhook's host, checks every address
 * against the address rule (libs/webhooks/webhook-destination.ts) and connects only to the checked
 * one; a refused address sends nothing, is recorded as an attempt without a status and fails the
 * delivery at once. The attempt POSTs the body stored with the delivery, signed afresh with its own
 * timestamp, and is recorded (attempt number, status, error, duration) in the
 * same statement that updates the delivery. A delivery already delivered is never sent again.
 * What cannot be excluded is a crash after the receiver's 2xx and before it is recorded: the next
 * attempt sends the same delivery id, by which receivers drop the duplicate.
 */
export function createWebhookDeliveryActivities(
  deps: WebhookDeliveryDeps,
): WebhookDeliveryActivities {
  const webhooks = new WebhooksRepository(deps.dataSource);
  return {
    async deliverWebhook(deliveryId: string): Promise<'delivered' | 'skipped'> {
      const row = await webhooks.deliveryToSend(deliveryId);
      // Deleting a webhook deletes its deliveries: nothing left to send.
      if (!row) return 'skipped';
      if (row.status === 'delivered') return 'delivered';
      if (row.status !== 'pending') return 'skipped';
      if (!row.active) {
        await webhooks.skipDeactivated(deliveryId);
        return 'skipped';
      }

      const body = JSON.stringify(row.payload);
      const headers = webhookRequestHeaders({
        secret: row.secret,
        deliveryId,
        eventType: row.event_type,
        body,
      });
      const attemptedAt = new Date();
      const destination = await checkWebhookDestination(row.url, {
        allowed: deps.allowedNetworks,
        resolve: deps.resolve,
      });
      if (destination.kind !== 'allowed') {
        const error = `not sent: the webhook's host ${destination.reason}`;
        const durationMs = Date.now() - attemptedAt.getTime();
        await webhooks.recordAttempt({
          deliveryId,
          attemptedAt,
          statusCode: null,
          error,
          durationMs,
        });
        // A refusal is the rule's answer, not a receiver's: retrying would only ask again. A name
        // that does not resolve now may resolve later, and is retried like a refused connection.
        if (destination.kind === 'refused') {
          throw ApplicationFailure.nonRetryable(error, WEBHOOK_DESTINATION_REFUSED);
        }
        throw ApplicationFailure.retryable(error, WEBHOOK_ATTEMPT_FAILED);
      }

      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        const res = await postPinned({
          url: row.url,
          address: destination.address,
          family: destination.family,
          headers,
          body,
          timeoutMs: deps.timeoutMs,
        });
        statusCode = res.status;
        if (res.status < 200 || res.status > 299) {
          error = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
        }
      } catch (err) {
        error = describeRequestError(err, deps.timeoutMs);
      }
      const durationMs = Date.now() - attemptedAt.getTime();
      await webhooks.recordAttempt({ deliveryId, attemptedAt, statusCode, error, durationMs });
      if (error !== null) {
        // The URL stays out of the failure: Temporal keeps the message in the workflow's history.
        throw ApplicationFailure.retryable(error, WEBHOOK_ATTEMPT_FAILED);
      }
      return 'delivered';
    },

    async markWebhookDeliveryFailed(deliveryId: string): Promise<WebhookDeliveryFailure | null> {
      // 'failed' is accepted too, so a retry of this activity answers the same.
      const row = await webhooks.markFailed(deliveryId);
      if (!row) return null;
      // The webhook's id, never its URL: the result goes into the workflow's history.
      return {
        webhookId: row.webhook_id,
        eventSequence: row.event_sequence,
        attempts: row.attempts,
        error: row.last_error ?? 'unknown error',
      };
    },
  };
}

/** A person-readable reason for a request that got no HTTP answer. */
function describeRequestError(err: unknown, timeoutMs: number): string {
  // Duck-typed: node:http's errors carry a code (ECONNREFUSED, ECONNRESET …) in their message.
  const e = err as { name?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== 'object' || typeof e.message !== 'string') return String(err);
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return `no response within ${timeoutMs} ms`;
  }
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause && typeof cause === 'object' && typeof cause.message === 'string') {
    const code =
      typeof cause.code === 'string' && !cause.message.includes(cause.code) ? `${cause.code} ` : '';
    return `${e.message}: ${code}${cause.message}`;
  }
  return e.message;
}
