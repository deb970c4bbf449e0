import { ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { digestSlotStart } from '../../libs/domain/digest';
import {
  SCHEDULED_START_TIME,
  type WeeklyDigestActivities,
  type WeeklyDigestInput,
  type WeeklyDigestResult,
} from './weekly-digest.contract';

const { sendWeeklyDigests } = proxyActivities<WeeklyDigestActivities>({
  // Every coordinator due in the slot, one e-mail each through the outbox; the activity heartbeats
  // after each, so a lost worker shows within a minute and the retry skips what went out.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * One quarter hour's digests (docs/digest.md): the coordinators whose digest time falls in it, in
 * their zones. The slot is `at`'s for a run started by hand; else the time the Schedule meant the
 * run for, not when it began (a run waiting behind a slow one, or caught up after an outage,
 * still covers its own quarter hour); else the workflow's clock. All three are the same on replay.
 */
export async function weeklyDigestWorkflow(
  input: WeeklyDigestInput = {},
): Promise<WeeklyDigestResult> {
  const at =
    input.at !== undefined
      ? Date.parse(input.at)
      : (workflowInfo().typedSearchAttributes.get(SCHEDULED_START_TIME)?.getTime() ?? Date.now());
  // A failure of the run, not of its task (which Temporal would retry for ever).
  if (Number.isNaN(at))
    throw ApplicationFailure.nonRetryable(`at must be an ISO 8601 instant, got ${input.at}`);
  const slot = new Date(digestSlotStart(at)).toISOString();
  return sendWeeklyDigests({ slot });
}
