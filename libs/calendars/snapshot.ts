import type { FollowUpPolicy, WorkingCalendar } from '../domain';
import { OrganisationCalendarSource, workingCalendarFor } from './working-calendar-for';

/**
 * Days of holiday data a partnership's workflow is given, from the day before `today` (a zone
 * behind UTC is still there): about thirteen months, so a year's data update (see
 * docs/calendars.md) always comes before the snapshot runs out; later dates count by the weekly
 * hours alone.
 */
export const SNAPSHOT_DAYS = 400;

const DAY_MS = 86_400_000;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The working calendar a workflow plans in, for an organisation, from `today`. */
export function calendarSnapshot(source: OrganisationCalendarSource, today: Date): WorkingCalendar {
  const from = today.getTime() - DAY_MS;
  return workingCalendarFor(source, isoDay(from), isoDay(from + SNAPSHOT_DAYS * DAY_MS));
}

/** The snapshots of these organisations, by id: what the workflow's input and update carry. */
export function calendarSnapshots(
  organisations: readonly (OrganisationCalendarSource & { id: string })[],
  today: Date,
): Record<string, WorkingCalendar> {
  return Object.fromEntries(organisations.map((o) => [o.id, calendarSnapshot(o, today)]));
}

/**
 * The coordinator's working calendar from `today`, where the follow-up policy says they work
 * (`coordinator.country`, `coordinator.region`); undefined when it names no country.
 */
export function coordinatorCalendarSnapshot(
  coordinator: Pick<FollowUpPolicy['coordinator'], 'country' | 'region'> | null | undefined,
  today: Date,
): WorkingCalendar | undefined {
  const country = coordinator?.country;
  if (typeof country !== 'string' || !/^[A-Z]{2}$/.test(country)) return undefined;
  return calendarSnapshot({ country, region: coordinator?.region?.trim() || null }, today);
}
