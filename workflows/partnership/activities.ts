import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { PartnershipActivities } from './partnership.activities.contract';

/** Regular activities: e-mail, and recording/projecting in runs from before local activities. */
export const activities = proxyActivities<PartnershipActivities>({
  // Short: a worker that dies mid-activity is noticed and the activity retried within this time.
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The same activities run as local activities: recording and projecting are one short database
 * transaction each, so running them inside the workflow task saves a Temporal round trip per
 * create and per coordinator action. Idempotent as before, so a retry after a crash is harmless.
 */
export const localActivities = proxyLocalActivities<PartnershipActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
