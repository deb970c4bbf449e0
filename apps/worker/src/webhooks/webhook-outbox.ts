import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { Query, WebhooksRepository } from '@libs/db';
import type { TimelineEvent } from '@libs/domain';
import {
  isWebhookEventType,
  webhookDeliveryId,
  webhookPayload,
  webhookWants,
} from '@libs/webhooks';
import type { WebhookEventType } from '@libs/webhooks';
import { PARTNERSHIP_TASK_QUEUE } from '@workflows/partnership/partnership.contract';
import {
  webhookDeliveryWorkflowId,
  WebhookDeliveryRetry,
} from '@workflows/webhooks/webhook-delivery.contract';
import type { webhookDeliveryWorkflow } from '@workflows/webhooks/webhook-delivery.workflow';

export type { Query };

/** Starts the delivery workflow of one delivery; starting one that runs already is a no-op. */
export type StartDelivery = (delivery: {
  deliveryId: string;
  partnershipId: string;
}) => Promise<void>;

/**
 * Transactional outbox of webhook deliveries, used by the projection activities:
 * `enqueue` runs inside the transaction that appends timeline events and writes one delivery per
 * subscribed webhook and event; `dispatch` runs after the commit and starts a workflow for every
 * pending delivery of those events. A retry after a crash between the two finds the deliveries
 * already written (same ids) and starts the workflows that are missing.
 */
export interface WebhookOutbox {
  /** True when some active webhook wants one of the events, i.e. `dispatch` has work to do. */
  enqueue(query: Query, partnershipId: string, events: TimelineEvent[]): Promise<boolean>;
  dispatch(partnershipId: string, sequences: number[]): Promise<void>;
}

export function createWebhookOutbox(deps: {
  dataSource: DataSource;
  startDelivery: StartDelivery;
}): WebhookOutbox {
  const webhooksTable = new WebhooksRepository(deps.dataSource);
  return {
    async enqueue(query, partnershipId, events) {
      const candidates = events.filter((e): e is TimelineEvent & { type: WebhookEventType } =>
        isWebhookEventType(e.type),
      );
      if (candidates.length === 0) return false;
      // The one query a batch costs when no webhook wants it (the table is small).
      const webhooks = await webhooksTable.subscribersOf({ query }, partnershipId, [
        ...new Set(candidates.map((e) => e.type)),
      ]);
      if (webhooks.length === 0) return false;
      const deliveries = candidates.flatMap((event) =>
        webhooks
          .filter((w) => webhookWants(w.event_types, event.type))
          .map((w) => {
            const id = webhookDeliveryId(w.id, partnershipId, event.sequence);
            return {
              id,
              webhook_id: w.id,
              event_sequence: event.sequence,
              event_type: event.type,
              payload: webhookPayload(id, w.id, partnershipId, event),
            };
          }),
      );
      await webhooksTable.insertDeliveries({ query }, partnershipId, deliveries);
      return true;
    },

    async dispatch(partnershipId, sequences) {
      const pending = await webhooksTable.pendingDeliveryIds(partnershipId, sequences);
      await Promise.all(
        pending.map((deliveryId) => deps.startDelivery({ deliveryId, partnershipId })),
      );
    },
  };
}

/** Starts delivery workflows through the Temporal client, idempotently by workflow id. */
export function temporalDeliveryStarter(
  client: Client,
  retry: WebhookDeliveryRetry,
): StartDelivery {
  return async ({ deliveryId, partnershipId }) => {
    try {
      await client.workflow.start<typeof webhookDeliveryWorkflow>('webhookDeliveryWorkflow', {
        workflowId: webhookDeliveryWorkflowId(deliveryId),
        taskQueue: PARTNERSHIP_TASK_QUEUE,
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
