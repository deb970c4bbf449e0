import type { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { refreshWorkingCalendars } from '@libs/calendars';
import { calendarRefreshSources, OrganisationsRepository, PartnershipsRepository } from '@libs/db';
import type {
  CalendarRefreshActivities,
  CalendarRefreshOutcome,
} from '@workflows/calendars/calendar-refresh.contract';

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
    async refreshOpenPartnershipCalendars({ only }): Promise<CalendarRefreshOutcome> {
      const { updated, failed } = await refreshWorkingCalendars(
        sources,
        deps.temporal,
        new Date(),
        { callTimeoutMs: deps.callTimeoutMs, ...(only ? { only } : {}) },
      );
      return { updated: updated.length, failed: failed.map((f) => f.partnershipId) };
    },
  };
}
