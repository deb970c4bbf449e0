import { Client, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import {
  CALENDAR_REFRESH_SCHEDULE_ID,
  CALENDAR_REFRESH_TASK_QUEUE,
  CALENDAR_REFRESH_WORKFLOW_ID,
  CALENDAR_REFRESH_WORKFLOW_TYPE,
} from '@workflows/calendars/calendar-refresh.contract';
import { ensureSchedule, type ScheduleChange } from './schedules';

/** What the worker did with the Schedule at start. */
export type CalendarRefreshScheduleChange = ScheduleChange;

/**
 * The Schedule's definition for a time of day `HH:MM` in UTC: one run a day; a run still going
 * when the next is due makes the next one skip; a run missed while the cluster was down is taken
 * within a day of its time, never a backlog of several.
 */
export function calendarRefreshSchedule(at: string): ScheduleOptions {
  const [hour, minute] = at.split(':').map(Number);
  return {
    scheduleId: CALENDAR_REFRESH_SCHEDULE_ID,
    spec: { calendars: [{ hour, minute, comment: `every day at ${at} UTC` }] },
    action: {
      type: 'startWorkflow',
      workflowType: CALENDAR_REFRESH_WORKFLOW_TYPE,
      workflowId: CALENDAR_REFRESH_WORKFLOW_ID,
      taskQueue: CALENDAR_REFRESH_TASK_QUEUE,
      args: [],
      workflowExecutionTimeout: '1 day',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  };
}

/** Makes the Schedule match the configuration (`CALENDAR_REFRESH_AT`; see `ensureSchedule`). */
export function ensureCalendarRefreshSchedule(
  client: Client,
  at: string,
): Promise<CalendarRefreshScheduleChange> {
  if (at === 'off') return ensureSchedule(client, CALENDAR_REFRESH_SCHEDULE_ID, 'off', () => true);
  const [hour, minute] = at.split(':').map(Number);
  return ensureSchedule(
    client,
    CALENDAR_REFRESH_SCHEDULE_ID,
    calendarRefreshSchedule(at),
    (current) => {
      const calendars = current.spec.calendars ?? [];
      return (
        calendars.length === 1 &&
        sameRange(calendars[0].hour, hour) &&
        sameRange(calendars[0].minute, minute) &&
        current.action.type === 'startWorkflow' &&
        current.action.workflowType === CALENDAR_REFRESH_WORKFLOW_TYPE &&
        current.action.taskQueue === CALENDAR_REFRESH_TASK_QUEUE &&
        (current.action.args ?? []).length === 0
      );
    },
  );
}

/** A described calendar field (a list of ranges) that is exactly the one value `n`. */
function sameRange(ranges: readonly { start: number; end: number }[], n: number): boolean {
  return ranges.length === 1 && ranges[0].start === n && ranges[0].end === n;
}
