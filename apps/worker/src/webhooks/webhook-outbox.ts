import { DataSource } from 'typeorm';
import { Query, WebhooksRepository } from '@libs/db';
import type { TimelineEvent } from '@libs/domain';
import {
  isWebhookEventType,
  startDeliveries,
  webhookDeliveryId,
  webhookPayload,
  webhookWants,
} from '@libs/webhooks';
import type { StartDelivery, WebhookEventType } from '@libs/webhooks';

export type { Query, StartDelivery };

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
  /**
   * Starts the workflows of every pending delivery of an active webhook (the worker calls it at
   * start-up): a delivery whose workflow was terminated, or whose dispatch never happened, is
   * picked up again; one whose workflow runs is left alone (its start is a no-op). Answers how
   * many it started or found running.
   */
  redispatchPending(): Promise<number>;
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

    async redispatchPending() {
      let count = 0;
      for (let after: string | undefined; ;) {
        const batch = await webhooksTable.pendingDeliveriesOfActiveWebhooks(after, 500);
        if (batch.length === 0) return count;
        await startDeliveries(deps.startDelivery, batch);
        count += batch.length;
        after = batch[batch.length - 1].deliveryId;
      }
    },
  };
}
