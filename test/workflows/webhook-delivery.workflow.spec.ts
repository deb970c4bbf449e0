import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { partnershipWorkflowId } from '@workflows/partnership/partnership.contract';
import {
  WebhookDeliveryActivities,
  WebhookDeliveryInput,
  webhookDeliveryWorkflowId,
} from '@workflows/webhooks/webhook-delivery.contract';
import { useDevServerWorkflows } from '../support/workers';

/** The delivery workflow on the real dev server, with its activities mocked. */
describe('webhookDeliveryWorkflow', () => {
  const { client, withWorker } = useDevServerWorkflows(
    require.resolve('./webhook-delivery.workflows'),
  );

  const input = (maximumAttempts: number): WebhookDeliveryInput => ({
    deliveryId: randomUUID(),
    partnershipId: randomUUID(),
    retry: { initialIntervalMs: 20, maximumIntervalMs: 40, maximumAttempts },
  });
  const refused = (): never => {
    throw ApplicationFailure.retryable('HTTP 500', 'WebhookAttemptFailed');
  };

  it('retries the attempt with backoff until the receiver accepts it', async () => {
    let calls = 0;
    const failed = jest.fn();
    const activities: WebhookDeliveryActivities = {
      async deliverWebhook() {
        calls += 1;
        return calls < 3 ? refused() : 'delivered';
      },
      markWebhookDeliveryFailed: failed,
    };
    await withWorker(activities, async (taskQueue) => {
      const args = input(5);
      const outcome = await client().workflow.execute('webhookDeliveryWorkflow', {
        taskQueue,
        workflowId: webhookDeliveryWorkflowId(args.deliveryId),
        args: [args],
      });
      expect(outcome).toBe('delivered');
    });
    expect(calls).toBe(3);
    expect(failed).not.toHaveBeenCalled();
  });

  it('after the last attempt marks the delivery failed and tells the partnership', async () => {
    let calls = 0;
    const marked: string[] = [];
    const args = input(3);
    const activities: WebhookDeliveryActivities = {
      async deliverWebhook() {
        calls += 1;
        return refused();
      },
      async markWebhookDeliveryFailed(deliveryId) {
        marked.push(deliveryId);
        return {
          webhookId: 'f3b1c2d4-0000-4000-8000-000000000001',
          eventSequence: 4,
          attempts: 3,
          error: 'HTTP 500',
        };
      },
    };
    await withWorker(activities, async (taskQueue) => {
      const partnership = await client().workflow.start('notificationSink', {
        taskQueue,
        workflowId: partnershipWorkflowId(args.partnershipId),
      });
      const outcome = await client().workflow.execute('webhookDeliveryWorkflow', {
        taskQueue,
        workflowId: webhookDeliveryWorkflowId(args.deliveryId),
        args: [args],
      });
      expect(outcome).toBe('failed');
      expect(await partnership.result()).toEqual({
        key: `webhook/${args.deliveryId}`,
        channel: 'webhook',
        target: 'webhook:f3b1c2d4-0000-4000-8000-000000000001',
        eventSequence: 4,
        attempts: 3,
        error: 'HTTP 500',
      });
    });
    expect(calls).toBe(3);
    expect(marked).toEqual([args.deliveryId]);
  });

  it('ends failed, without an error, when there is no partnership workflow to tell', async () => {
    const args = input(1);
    const activities: WebhookDeliveryActivities = {
      deliverWebhook: async () => refused(),
      markWebhookDeliveryFailed: async () => ({
        webhookId: 'f3b1c2d4-0000-4000-8000-000000000001',
        eventSequence: 2,
        attempts: 1,
        error: 'HTTP 500',
      }),
    };
    await withWorker(activities, async (taskQueue) => {
      const outcome = await client().workflow.execute('webhookDeliveryWorkflow', {
        taskQueue,
        workflowId: webhookDeliveryWorkflowId(args.deliveryId),
        args: [args],
      });
      expect(outcome).toBe('failed');
    });
  });
});
