// Workflow bundle of the webhook delivery workflow test: the workflow under test and a stand-in
// for the partnership workflow that only records the notificationFailed signal.
import { condition, setHandler } from '@temporalio/workflow';
import {
  NotificationFailedArgs,
  notificationFailedSignal,
} from '../../workflows/partnership/partnership.contract';

export { webhookDeliveryWorkflow } from '../../workflows/webhooks/webhook-delivery.workflow';

export async function notificationSink(): Promise<NotificationFailedArgs> {
  let received: NotificationFailedArgs | undefined;
  setHandler(notificationFailedSignal, (args) => {
    received = args;
  });
  await condition(() => received !== undefined);
  return received!;
}
