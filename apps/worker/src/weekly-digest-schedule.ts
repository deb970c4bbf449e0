import { Client, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { DIGEST_SLOT_MINUTES } from '@libs/domain';
import {
  WEEKLY_DIGEST_SCHEDULE_ID,
  WEEKLY_DIGEST_TASK_QUEUE,
  WEEKLY_DIGEST_WORKFLOW_ID,
  WEEKLY_DIGEST_WORKFLOW_TYPE,
} from '@workflows/digest/weekly-digest.contract';
import { ensureSchedule, type ScheduleChange } from './schedules';

/** What the worker did with the Schedule at start. */
export type WeeklyDigestScheduleChange = ScheduleChange;

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

/** Makes the Schedule match the configuration (`DIGEST_AT`; see `ensureSchedule`). */
export function ensureWeeklyDigestSchedule(
  client: Client,
  at: string,
): Promise<WeeklyDigestScheduleChange> {
  return ensureSchedule(
    client,
    WEEKLY_DIGEST_SCHEDULE_ID,
    at === 'off' ? 'off' : weeklyDigestSchedule(),
    (current) => {
      const intervals = current.spec.intervals ?? [];
      return (
        intervals.length === 1 &&
        Number(intervals[0].every) === SLOT_MS &&
        Number(intervals[0].offset ?? 0) === 0 &&
        (current.spec.calendars ?? []).length === 0 &&
        current.action.type === 'startWorkflow' &&
        current.action.workflowType === WEEKLY_DIGEST_WORKFLOW_TYPE &&
        current.action.taskQueue === WEEKLY_DIGEST_TASK_QUEUE &&
        (current.action.args ?? []).length === 0 &&
        current.policies.overlap === ScheduleOverlapPolicy.BUFFER_ALL
      );
    },
  );
}
