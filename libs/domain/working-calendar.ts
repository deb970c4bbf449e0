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

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DAY_KINDS: readonly CalendarDay['kind'][] = [
  'public_holiday',
  'regional_holiday',
  'closure',
  'adjusted_working_day',
];
/** A snapshot holds at most this many days per organisation (years of holidays and closures). */
export const MAX_CALENDAR_DAYS = 2_000;

/**
 * Problems with working calendars given by organisation id (empty when they are valid): each must
 * belong to one of `organisationIds` and hold well-formed days.
 */
export function workingCalendarsProblems(
  calendars: Record<string, WorkingCalendar>,
  organisationIds: readonly string[],
): string[] {
  if (typeof calendars !== 'object' || calendars === null || Array.isArray(calendars)) {
    return ['calendars must be an object of working calendars by organisation id'];
  }
  const problems: string[] = [];
  for (const [organisationId, calendar] of Object.entries(calendars)) {
    if (!organisationIds.includes(organisationId)) {
      problems.push(`${organisationId} is not an organisation of the partnership`);
      continue;
    }
    const days = [calendar?.offDays, calendar?.workingDays];
    if (!days.every(Array.isArray)) {
      problems.push(`${organisationId}: offDays and workingDays must be lists`);
      continue;
    }
    if (days[0].length + days[1].length > MAX_CALENDAR_DAYS) {
      problems.push(`${organisationId}: at most ${MAX_CALENDAR_DAYS} days`);
    }
    const bad = [...days[0], ...days[1]].find(
      (d) =>
        typeof d?.date !== 'string' ||
        !ISO_DATE.test(d.date) ||
        typeof d.name !== 'string' ||
        !DAY_KINDS.includes(d.kind),
    );
    if (bad) problems.push(`${organisationId}: ${JSON.stringify(bad)} is not a calendar day`);
  }
  return problems;
}
