import {
  ActivityFailure,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  proxyActivities,
} from '@temporalio/workflow';
import {
  notificationFailedSignal,
  partnershipWorkflowId,
} from '../partnership/partnership.contract';
import { notificationKey } from '../../libs/domain';
import type {
  WebhookDeliveryActivities,
  WebhookDeliveryInput,
  WebhookDeliveryOutcome,
} from './webhook-delivery.contract';

/** Bookkeeping in PostgreSQL: retried until it succeeds, like the partnership's activities. */
const { markWebhookDeliveryFailed } = proxyActivities<WebhookDeliveryActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Sends one webhook delivery: Temporal retries the HTTP attempt with backoff, so a worker crash
 * between attempts loses nothing. When every attempt has failed, the delivery is marked failed and
 * the partnership is told, which records `notification.failed` on its timeline.
 */
export async function webhookDeliveryWorkflow(
  input: WebhookDeliveryInput,
): Promise<WebhookDeliveryOutcome> {
  const { deliverWebhook } = proxyActivities<WebhookDeliveryActivities>({
    // Above the HTTP request's own timeout (WEBHOOK_TIMEOUT_MS, at most 25 s).
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: input.retry.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: input.retry.maximumIntervalMs,
      maximumAttempts: input.retry.maximumAttempts,
    },
  });
  try {
    return await deliverWebhook(input.deliveryId);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
  }
  const failure = await markWebhookDeliveryFailed(input.deliveryId);
  if (!failure) return 'skipped';
  // Histories recorded before the patch hold a failure with the URL and signalled it as the
  // target; new runs name the webhook by id, so the URL never reaches the timeline.
  const target = patched('webhook-failure-names-webhook-id')
    ? `webhook:${failure.webhookId ?? 'unknown'}`
    : (failure.url ?? `webhook:${failure.webhookId ?? 'unknown'}`);
  try {
    await getExternalWorkflowHandle(partnershipWorkflowId(input.partnershipId)).signal(
      notificationFailedSignal,
      {
        key: notificationKey({ kind: 'webhook', deliveryId: input.deliveryId }),
        channel: 'webhook',
        target,
        eventSequence: failure.eventSequence,
        attempts: failure.attempts,
        error: failure.error,
      },
    );
  } catch (err) {
    if (isCancellation(err)) throw err;
    // The partnership's workflow has closed (agreed or closed): there is no timeline to extend;
    // the delivery log still shows the failure.
    log.warn('partnership workflow not signalled about a failed webhook delivery', {
      deliveryId: input.deliveryId,
      error: err instanceof Error ? err.message : String(err),
    });
  }
  return 'failed';
}
