import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  WEBHOOK_DELIVERY_TASK_QUEUE,
  webhookDeliveryWorkflowId,
} from '../../workflows/webhooks/webhook-delivery.contract';
import type { WebhookDeliveryRetry } from '../../workflows/webhooks/webhook-delivery.contract';
import type { webhookDeliveryWorkflow } from '../../workflows/webhooks/webhook-delivery.workflow';

/** Starts the delivery workflow of one delivery; starting one that runs already is a no-op. */
export type StartDelivery = (delivery: {
  deliveryId: string;
  partnershipId: string;
}) => Promise<void>;

/**
 * Starts delivery workflows through the Temporal client, idempotently by workflow id, on the
 * webhook deliveries' own task queue. Used by the worker's outbox (after a projection commits, and
 * at start-up for deliveries left pending) and by the API when a webhook is resumed.
 */
export function temporalDeliveryStarter(
  client: Client,
  retry: WebhookDeliveryRetry,
): StartDelivery {
  return async ({ deliveryId, partnershipId }) => {
    try {
      await client.workflow.start<typeof webhookDeliveryWorkflow>('webhookDeliveryWorkflow', {
        workflowId: webhookDeliveryWorkflowId(deliveryId),
        taskQueue: WEBHOOK_DELIVERY_TASK_QUEUE,
        args: [{ deliveryId, partnershipId, retry }],
        // Running, or completed: nothing to start. A run that failed or was terminated leaves
        // its delivery pending, and may be started again.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };
}

/** Starts these deliveries' workflows, a few at a time. */
export async function startDeliveries(
  start: StartDelivery,
  deliveries: readonly { deliveryId: string; partnershipId: string }[],
  concurrency = 20,
): Promise<void> {
  for (let i = 0; i < deliveries.length; i += concurrency) {
    await Promise.all(deliveries.slice(i, i + concurrency).map((d) => start(d)));
  }
}
