import { proxyActivities, sleep } from '@temporalio/workflow';
import {
  CALENDAR_REFRESH_RETRIES,
  CALENDAR_REFRESH_RETRY_AFTER,
  type CalendarRefreshActivities,
  type CalendarRefreshResult,
} from './calendar-refresh.contract';

const { refreshOpenPartnershipCalendars } = proxyActivities<CalendarRefreshActivities>({
  // Thousands of partnerships, 8 at a time, each an update answered in milliseconds.
  startToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * One day's refresh (docs/calendars.md): every partnership that has not ended, then, after a
 * pause, those it could not reach, a few times. Each partnership's update id names the day and its
 * organisations' calendar revisions, so a try that reaches a partnership twice applies once.
 */
export async function calendarRefreshWorkflow(): Promise<CalendarRefreshResult> {
  let { updated, failed } = await refreshOpenPartnershipCalendars({});
  let tries = 1;
  while (failed.length > 0 && tries <= CALENDAR_REFRESH_RETRIES) {
    await sleep(CALENDAR_REFRESH_RETRY_AFTER);
    const again = await refreshOpenPartnershipCalendars({ only: failed });
    updated += again.updated;
    failed = again.failed;
    tries += 1;
  }
  return { updated, failed, tries };
}
