import { ApplicationFailure } from '@temporalio/common';
import { DataSource } from 'typeorm';
import { webhookRequestHeaders } from '../../../../libs/webhooks';
import type {
  WebhookDeliveryActivities,
  WebhookDeliveryFailure,
} from '../../../../workflows/webhooks/webhook-delivery.contract';

export interface WebhookDeliveryDeps {
  dataSource: DataSource;
  /** Timeout of one request, response headers and body included. */
  timeoutMs: number;
  /** Node's global fetch; replaceable in tests. */
  fetch?: typeof fetch;
}

interface DeliveryRow {
  status: string;
  event_type: string;
  payload: Record<string, unknown>;
  url: string;
  secret: string;
  active: boolean;
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
  return {
    async deliverWebhook(deliveryId: string): Promise<'delivered' | 'skipped'> {
      const [row] = (await deps.dataSource.query(
        `SELECT d.status, d.event_type, d.payload, w.url, w.secret, w.active
           FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
          WHERE d.id = $1`,
        [deliveryId],
      )) as DeliveryRow[];
      // Deleting a webhook deletes its deliveries: nothing left to send.
      if (!row) return 'skipped';
      if (row.status === 'delivered') return 'delivered';
      if (row.status !== 'pending') return 'skipped';
      if (!row.active) {
        await deps.dataSource.query(
          `UPDATE webhook_deliveries SET status = 'skipped', last_error = 'webhook deactivated'
            WHERE id = $1 AND status = 'pending'`,
          [deliveryId],
        );
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
      await deps.dataSource.query(
        `WITH d AS (
           UPDATE webhook_deliveries
              SET attempts = attempts + 1, last_attempt_at = $2, last_status_code = $3, last_error = $4,
                  status = CASE WHEN $4::text IS NULL THEN 'delivered' ELSE status END,
                  delivered_at = CASE WHEN $4::text IS NULL THEN now() ELSE delivered_at END
            WHERE id = $1
        RETURNING id, attempts)
         INSERT INTO webhook_delivery_attempts (delivery_id, attempt, attempted_at, status_code, error, duration_ms)
         SELECT id, attempts, $2, $3, $4, $5 FROM d`,
        [deliveryId, attemptedAt, statusCode, error, durationMs],
      );
      if (error !== null) {
        throw ApplicationFailure.retryable(`${row.url}: ${error}`, WEBHOOK_ATTEMPT_FAILED);
      }
      return 'delivered';
    },

    async markWebhookDeliveryFailed(deliveryId: string): Promise<WebhookDeliveryFailure | null> {
      // 'failed' is accepted too, so a retry of this activity answers the same.
      // Wrapped in a SELECT: TypeORM answers [rows, count] for a bare UPDATE.
      const [row] = (await deps.dataSource.query(
        `WITH failed AS (
           UPDATE webhook_deliveries d SET status = 'failed'
             FROM webhooks w
            WHERE d.id = $1 AND w.id = d.webhook_id AND d.status IN ('pending', 'failed')
        RETURNING w.url, d.event_sequence, d.attempts, d.last_error)
         SELECT * FROM failed`,
        [deliveryId],
      )) as { url: string; event_sequence: number; attempts: number; last_error: string | null }[];
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
