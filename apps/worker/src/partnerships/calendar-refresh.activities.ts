import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { refreshWorkingCalendars } from '@libs/calendars';
import { calendarRefreshSources, OrganisationsRepository, PartnershipsRepository } from '@libs/db';
import type {
  CalendarRefreshActivities,
  CalendarRefreshOutcome,
} from '@workflows/calendars/calendar-refresh.contract';

const HEARTBEAT_MS = 10_000;
/** Under the activity's start-to-close timeout (1 hour) with room for the calls in flight. */
const REFRESH_BUDGET_MS = 45 * 60_000;

/** The daily refresh's activity: the same refresh `npm run calendars:refresh` runs. */
export function createCalendarRefreshActivities(deps: {
  dataSource: DataSource;
  temporal: Client;
  /** How long one partnership's workflow may take to answer before it counts as not reached. */
  callTimeoutMs: number;
}): CalendarRefreshActivities {
  const sources = calendarRefreshSources(
    new PartnershipsRepository(deps.dataSource),
    new OrganisationsRepository(deps.dataSource),
  );
  return {
    async refreshOpenPartnershipCalendars({ day, only }): Promise<CalendarRefreshOutcome> {
      // Alive while it works, so that a worker lost mid-run is noticed within the heartbeat
      // timeout rather than the hour the activity may take.
      const context = Context.current();
      const beat = setInterval(() => context.heartbeat(), HEARTBEAT_MS);
      try {
        const { updated, failed } = await refreshWorkingCalendars(
          sources,
          deps.temporal,
          new Date(`${day}T12:00:00.000Z`),
          {
            callTimeoutMs: deps.callTimeoutMs,
            // Those not tried by then count as not reached: the workflow tries them again.
            budgetMs: REFRESH_BUDGET_MS,
            ...(only ? { only } : {}),
          },
        );
        return { updated: updated.length, failed: failed.map((f) => f.partnershipId) };
      } finally {
        clearInterval(beat);
      }
    },
  };
}
