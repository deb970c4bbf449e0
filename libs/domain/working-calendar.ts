/**
 * A working calendar: the dates on which a contact's usual working week does not hold, as a
 * snapshot for a span of dates. Pure data, so that workflow code can take it from an activity and
 * stay deterministic when the holiday data behind it changes (libs/calendars builds it).
 *
 * Dates are local calendar dates ("YYYY-MM-DD") in the contact's own time zone.
 */
export interface WorkingCalendar {
  /** Dates off although the working week says otherwise: public holidays, the organisation's closures. */
  offDays: CalendarDay[];
  /** Dates worked although the working week says otherwise: China's adjusted working days (调休). */
  workingDays: CalendarDay[];
}

export interface CalendarDay {
  date: string; // "2026-12-08"
  /** Why, in the words of the data it came from, e.g. "Inmaculada Concepción", "国庆节补班". */
  name: string;
  kind: 'public_holiday' | 'regional_holiday' | 'closure' | 'adjusted_working_day';
}

export const EMPTY_CALENDAR: WorkingCalendar = Object.freeze({
  offDays: [],
  workingDays: [],
}) as unknown as WorkingCalendar;

/**
 * Whether a local date is a working day: an adjusted working day always is, an off day never is,
 * any other date is when its ISO weekday (1 = Monday … 7 = Sunday) is one of `weekdays`.
 */
export function isWorkingDate(
  date: string,
  isoWeekday: number,
  weekdays: readonly number[],
  calendar: WorkingCalendar = EMPTY_CALENDAR,
): boolean {
  if (calendar.workingDays.some((d) => d.date === date)) return true;
  if (calendar.offDays.some((d) => d.date === date)) return false;
  return weekdays.includes(isoWeekday);
}
