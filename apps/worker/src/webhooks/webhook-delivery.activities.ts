import { ApplicationFailure } from '@temporalio/common';
import { DataSource } from 'typeorm';
import { WebhooksRepository } from '@libs/db';
import { webhookRequestHeaders } from '@libs/webhooks';
import type {
  WebhookDeliveryActivities,
  WebhookDeliveryFailure,
} from '@workflows/webhooks/webhook-delivery.contract';

export interface WebhookDeliveryDeps {
  dataSource: DataSource;
  /** Timeout of one request, response headers and body included. */
  timeoutMs: number;
  /** Node's global fetch; replaceable in tests. */
  fetch?: typeof fetch;
}

/** Failure type of a failed attempt; retryable, so Temporal's backoff applies. */
export const WEBHOOK_ATTEMPT_FAILED = 'WebhookAttemptFailed';

/**
 * Webhook deliveries over HTTP. Each attempt POSTs the body stored with the delivery, signed
 * afresh with its own timestamp, and is recorded (attempt number, status, error, duration) in the
 * same statement that updates the delivery. A delivery already delivered is never sent again.
 * What cannot be excluded is a crash after the receiver's 2xx and before it is recorded: the next
 * attempt sends the same delivery id, by which receivers drop the duplicate.
 */
export function createWebhookDeliveryActivities(
  deps: WebhookDeliveryDeps,
): WebhookDeliveryActivities {
  const send = deps.fetch ?? fetch;
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
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        const res = await send(row.url, {
          method: 'POST',
          headers,
          body,
          // A redirect is an answer we do not follow: the receiver must give its final URL.
          redirect: 'manual',
          signal: AbortSignal.timeout(deps.timeoutMs),
        });
        statusCode = res.status;
        // The response body means nothing to us; do not let it hold the connection.
        await res.body?.cancel().catch(() => undefined);
        if (!res.ok) error = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
      } catch (err) {
        error = describeRequestError(err, deps.timeoutMs);
      }
      const durationMs = Date.now() - attemptedAt.getTime();
      await webhooks.recordAttempt({ deliveryId, attemptedAt, statusCode, error, durationMs });
      if (error !== null) {
        throw ApplicationFailure.retryable(`${row.url}: ${error}`, WEBHOOK_ATTEMPT_FAILED);
      }
      return 'delivered';
    },

    async markWebhookDeliveryFailed(deliveryId: string): Promise<WebhookDeliveryFailure | null> {
      // 'failed' is accepted too, so a retry of this activity answers the same.
      const row = await webhooks.markFailed(deliveryId);
      if (!row) return null;
      return {
        url: row.url,
        eventSequence: row.event_sequence,
        attempts: row.attempts,
        error: row.last_error ?? 'unknown error',
      };
    },
  };
}

/** A person-readable reason for a request that got no HTTP answer. */
function describeRequestError(err: unknown, timeoutMs: number): string {
  // Duck-typed: fetch's errors may come from another realm (undici), where instanceof fails.
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
