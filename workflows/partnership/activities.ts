import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { PartnershipActivities } from './partnership.activities.contract';

/** Regular activities: e-mail, and recording/projecting in runs from before local activities. */
export const activities = proxyActivities<PartnershipActivities>({
  // Short: a worker that dies mid-activity is noticed and the activity retried within this time.
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * How long an e-mail activity may take: above the SMTP client's worst case (libs/notifications
 * SMTP_WORST_CASE_MS, a test holds the two together), so a slow SMTP server is waited for rather
 * than raced by a retry. The activity heartbeats while it talks to the server, so a worker that
 * died is noticed within the heartbeat timeout instead.
 */
export const EMAIL_ACTIVITY_TIMEOUTS = {
  startToCloseMs: 6 * 60_000,
  heartbeatMs: 20_000,
} as const;

/**
 * E-mail activities in runs with EMAIL_PER_RECIPIENT_PATCH: one recipient each, heartbeating.
 * Retried without end on transient failures (SMTP down); an SMTP 5xx is not retried.
 */
export const emailActivities = proxyActivities<PartnershipActivities>({
  startToCloseTimeout: EMAIL_ACTIVITY_TIMEOUTS.startToCloseMs,
  heartbeatTimeout: EMAIL_ACTIVITY_TIMEOUTS.heartbeatMs,
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
