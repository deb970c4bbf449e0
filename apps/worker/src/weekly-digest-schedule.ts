import {
  Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleOptions,
} from '@temporalio/client';
import { DIGEST_SLOT_MINUTES } from '@libs/domain';
import {
  WEEKLY_DIGEST_SCHEDULE_ID,
  WEEKLY_DIGEST_TASK_QUEUE,
  WEEKLY_DIGEST_WORKFLOW_ID,
  WEEKLY_DIGEST_WORKFLOW_TYPE,
} from '@workflows/digest/weekly-digest.contract';

/** What the worker did with the Schedule at start. */
export type WeeklyDigestScheduleChange = 'created' | 'updated' | 'unchanged' | 'deleted' | 'absent';

const SLOT_MS = DIGEST_SLOT_MINUTES * 60_000;

/**
 * The Schedule's definition: a run every quarter of an hour on the quarter hour (UTC), each
 * sending the digests due in it in their recipients' zones; a run still going when the next is
 * due makes the next one wait (never skipped: its slot's coordinators would get nothing that
 * week); a run missed while the cluster was down is taken within an hour of its time.
 */
export function weeklyDigestSchedule(): ScheduleOptions {
  return {
    scheduleId: WEEKLY_DIGEST_SCHEDULE_ID,
    spec: {
      intervals: [{ every: `${DIGEST_SLOT_MINUTES} minutes` }],
    },
    action: {
      type: 'startWorkflow',
      workflowType: WEEKLY_DIGEST_WORKFLOW_TYPE,
      workflowId: WEEKLY_DIGEST_WORKFLOW_ID,
      taskQueue: WEEKLY_DIGEST_TASK_QUEUE,
      args: [],
      workflowExecutionTimeout: '1 day',
    },
    policies: { overlap: ScheduleOverlapPolicy.BUFFER_ALL, catchupWindow: '1 hour' },
  };
}

/**
 * Makes the Schedule match the configuration (`DIGEST_AT`): creates it, corrects it when it
 * differs, or deletes it for `off`. Safe to run from every worker at every start: two workers
 * starting at once both end with the one Schedule.
 */
export async function ensureWeeklyDigestSchedule(
  client: Client,
  at: string,
): Promise<WeeklyDigestScheduleChange> {
  const handle = client.schedule.getHandle(WEEKLY_DIGEST_SCHEDULE_ID);
  if (at === 'off') {
    try {
      await handle.delete();
      return 'deleted';
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return 'absent';
      throw err;
    }
  }
  const wanted = weeklyDigestSchedule();
  try {
    await client.schedule.create(wanted);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const current = await handle.describe();
  const intervals = current.spec.intervals ?? [];
  const same =
    intervals.length === 1 &&
    Number(intervals[0].every) === SLOT_MS &&
    Number(intervals[0].offset ?? 0) === 0 &&
    (current.spec.calendars ?? []).length === 0 &&
    current.action.type === 'startWorkflow' &&
    current.action.workflowType === WEEKLY_DIGEST_WORKFLOW_TYPE &&
    current.action.taskQueue === WEEKLY_DIGEST_TASK_QUEUE &&
    (current.action.args ?? []).length === 0 &&
    current.policies.overlap === ScheduleOverlapPolicy.BUFFER_ALL;
  if (same) return 'unchanged';
  await handle.update((previous) => ({
    ...previous,
    spec: wanted.spec,
    action: wanted.action,
    policies: { ...previous.policies, ...wanted.policies },
  }));
  return 'updated';
}
