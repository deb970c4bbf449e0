import { proxyActivities, sleep } from '@temporalio/workflow';
import {
  CALENDAR_REFRESH_RETRIES,
  CALENDAR_REFRESH_RETRY_AFTER,
  type CalendarRefreshActivities,
  type CalendarRefreshInput,
  type CalendarRefreshResult,
} from './calendar-refresh.contract';

const { refreshOpenPartnershipCalendars } = proxyActivities<CalendarRefreshActivities>({
  // Thousands of partnerships, 8 at a time, each an update answered in milliseconds; the
  // activity stops trying new ones well before this (and heartbeats, so a lost worker shows soon).
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * One day's refresh (docs/calendars.md): every partnership that has not ended, then, after a
 * pause, those it could not reach, a few times. Each partnership's update id names the day and its
 * organisations' calendar revisions, so a try that reaches a partnership twice applies once.
 */
export async function calendarRefreshWorkflow(
  input: CalendarRefreshInput = {},
): Promise<CalendarRefreshResult> {
  // Workflow time: the same on replay, and the day the Schedule started the run.
  const day = new Date().toISOString().slice(0, 10);
  let { updated, failed } = await refreshOpenPartnershipCalendars({
    day,
    ...(input.only ? { only: input.only } : {}),
  });
  let tries = 1;
  while (failed.length > 0 && tries <= CALENDAR_REFRESH_RETRIES) {
    await sleep(CALENDAR_REFRESH_RETRY_AFTER);
    const again = await refreshOpenPartnershipCalendars({ day, only: failed });
    updated += again.updated;
    failed = again.failed;
    tries += 1;
  }
  return { updated, failed, tries };
}
