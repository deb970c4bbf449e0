import { Injectable } from '@nestjs/common';
import { holidayDataThrough, holidayStateCode, workingCalendarFor } from '@libs/calendars';
import { CalendarDay, MAX_WORKING_DAYS_SCAN, nextWorkingDays } from '@libs/domain';
import { PartnershipReadService } from './partnership-read.service';
import {
  DEFAULT_WORKING_DAYS,
  OrganisationWorkingCalendarView,
  WorkingCalendarsQuery,
  WorkingCalendarsView,
} from './working-calendars.dto';

const DAY_MS = 86_400_000;

/**
 * Each partner's working calendar as its people live it: the organisation's off days and adjusted
 * working days, and each contact's next working days in their own zone, from the same rule
 * (libs/domain `nextWorkingDays`, over the libs/calendars snapshot) the reminders follow.
 */
@Injectable()
export class WorkingCalendarsService {
  constructor(private readonly read: PartnershipReadService) {}

  async ofPartnership(id: string, query: WorkingCalendarsQuery): Promise<WorkingCalendarsView> {
    const row = await this.read.require(id);
    const from = query.from ?? new Date().toISOString().slice(0, 10);
    const days = query.days ?? DEFAULT_WORKING_DAYS;
    // The snapshot covers every date a contact's list can reach.
    const until = plusDays(from, MAX_WORKING_DAYS_SCAN - 1);
    const organisations = (await this.read.calendarSources(row)).map((o) => {
      const calendar = workingCalendarFor(o, from, until);
      const state = holidayStateCode(o.country, o.region) ?? null;
      const through = holidayDataThrough(o.country);
      return {
        calendar,
        view: {
          id: o.id,
          name: o.name,
          country: o.country,
          region: o.region,
          holidayStateCode: state,
          regionNotRecognised:
            state === null && !!o.region?.trim() && o.country.trim().toUpperCase() !== 'CN',
          holidayDataMissingFrom: missingFrom(through, from, until),
          offDays: [] as CalendarDay[],
          workingDays: [] as CalendarDay[],
          contacts: (o.contacts ?? []).map((c) => ({
            id: c.id,
            name: c.name,
            timeZone: c.timeZone,
            workingHours: c.workingHours,
            nextWorkingDays: nextWorkingDays(from, days, c.timeZone, c.workingHours, calendar).map(
              (d) => ({
                date: d.date,
                localStart: d.localStart,
                localEnd: d.localEnd,
                start: d.start.toISOString(),
                end: d.end.toISOString(),
                adjusted: d.adjusted,
              }),
            ),
          })),
        } satisfies OrganisationWorkingCalendarView,
      };
    });
    // One span for every organisation, so that their days off read side by side.
    const lastListed = organisations
      .flatMap((o) => o.view.contacts.flatMap((c) => c.nextWorkingDays.map((d) => d.date)))
      .reduce((a, b) => (b > a ? b : a), plusDays(from, days - 1));
    const inSpan = (d: CalendarDay) => d.date >= from && d.date <= lastListed;
    return {
      from,
      to: lastListed,
      days,
      organisations: organisations.map(({ calendar, view }) => ({
        ...view,
        offDays: calendar.offDays.filter(inSpan),
        workingDays: calendar.workingDays.filter(inSpan),
      })),
    };
  }
}

/** The first date from `from` to `until` after the data's last date, or null when it covers them. */
function missingFrom(through: string | null, from: string, until: string): string | null {
  if (through === null || through >= until) return null;
  const next = plusDays(through, 1);
  return next > from ? next : from;
}

function plusDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}
