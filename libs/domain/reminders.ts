/**
 * Reminder timing in the recipient's working time.
 *
 * Pure and deterministic: runs inside Temporal workflow code (no Node built-ins, no packages), so
 * all time-zone math uses only `Intl.DateTimeFormat` and `Date`.
 *
 * Conventions:
 * - A working window is [start, end) in the contact's own zone on each of their working days.
 * - A wall time that does not exist (DST gap) moves forward to the first valid instant, i.e. the
 *   moment the clocks jump; an ambiguous wall time (fall-back hour) takes the earlier instant.
 * - Working time is counted in real elapsed minutes between those instants, so a window that spans
 *   a DST change is an hour shorter or longer than its nominal length.
 */
import { DomainError, ErrorCode } from './errors';
import {
  DEFAULT_WORKING_HOURS,
  isValidTimeZone,
  minutesOfDay,
  WorkingHours,
  workingHoursProblems,
} from './working-hours';
import { EMPTY_CALENDAR, isWorkingDate, WorkingCalendar } from './working-calendar';
import { addDays, isoDate, localParts, zonedInstant } from './zoned-time';

const MINUTE_MS = 60_000;
/** Days to look ahead for a working window; a valid week always has one within 8 days. */
const MAX_DAYS_AHEAD = 15;
/**
 * Days to look ahead when a working calendar may take days off: China's Spring Festival or
 * National Day week with its weekends is ten days, an organisation's summer closure a month or
 * more. Longer than any of those, short enough that a calendar with no working day left fails fast.
 */
export const MAX_CALENDAR_DAYS_AHEAD = 120;

// ---------------------------------------------------------------------------------------------
// Working time
// ---------------------------------------------------------------------------------------------

function assertZoneAndHours(timeZone: string, hours: WorkingHours): void {
  if (!isValidTimeZone(timeZone)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `Unknown time zone: ${timeZone}`, {
      errors: [{ field: 'timeZone', messages: ['must be an IANA time-zone name'] }],
    });
  }
  const problems = workingHoursProblems(hours);
  if (problems.length > 0) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid working hours', {
      errors: [{ field: 'workingHours', messages: problems }],
    });
  }
}

function assertInstant(value: Date, field: string): number {
  const ms = value instanceof Date ? value.getTime() : NaN;
  if (!Number.isFinite(ms)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `${field} must be a valid date`, {
      errors: [{ field, messages: ['must be a valid date'] }],
    });
  }
  return ms;
}

/**
 * The working window containing `fromMs`, or the next one; `start` is clipped to `fromMs`. With a
 * calendar, a day is a working day by `isWorkingDate` (off days skipped, adjusted working days
 * worked with the usual hours); without one, by the weekly hours alone, exactly as before.
 */
function nextWindow(
  fromMs: number,
  timeZone: string,
  hours: WorkingHours,
  calendar?: WorkingCalendar,
): { start: number; end: number } {
  const here = localParts(fromMs, timeZone);
  const startMinute = minutesOfDay(hours.start);
  const endMinute = minutesOfDay(hours.end);
  const daysAhead = calendar ? MAX_CALENDAR_DAYS_AHEAD : MAX_DAYS_AHEAD;
  for (let k = 0; k <= daysAhead; k++) {
    const date = addDays(here, k);
    const working = calendar
      ? isWorkingDate(isoDate(date), date.isoWeekday, hours.days, calendar)
      : hours.days.includes(date.isoWeekday);
    if (!working) continue;
    const start = zonedInstant(date, startMinute, timeZone);
    const end = zonedInstant(date, endMinute, timeZone);
    if (start < end && fromMs < end) return { start: Math.max(start, fromMs), end };
  }
  throw new DomainError(ErrorCode.VALIDATION_FAILED, 'No working window found', {
    errors: [{ field: 'workingHours', messages: ['has no working time in the coming weeks'] }],
  });
}

/**
 * The earliest instant at or after `from` inside the contact's working hours (start inclusive,
 * end exclusive) in `timeZone`, on a working day of `calendar` when one is given.
 */
export function nextWorkingInstant(
  from: Date,
  timeZone: string,
  hours: WorkingHours,
  calendar?: WorkingCalendar,
): Date {
  const fromMs = assertInstant(from, 'from');
  assertZoneAndHours(timeZone, hours);
  return new Date(nextWindow(fromMs, timeZone, hours, calendar).start);
}

/**
 * The instant at which `durationMinutes` of the contact's working time has elapsed after `from`.
 * The result is always inside working hours: landing exactly on end-of-day moves to the next
 * working start. A zero duration gives `nextWorkingInstant(from)`. With a calendar, only its
 * working days count (see `nextWorkingInstant`).
 */
export function addWorkingDuration(
  from: Date,
  durationMinutes: number,
  timeZone: string,
  hours: WorkingHours,
  calendar?: WorkingCalendar,
): Date {
  let cursor = assertInstant(from, 'from');
  if (!Number.isFinite(durationMinutes) || durationMinutes < 0) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'durationMinutes must be >= 0', {
      errors: [{ field: 'durationMinutes', messages: ['must be a finite number >= 0'] }],
    });
  }
  assertZoneAndHours(timeZone, hours);
  let remaining = Math.round(durationMinutes * MINUTE_MS);
  for (;;) {
    const window = nextWindow(cursor, timeZone, hours, calendar);
    const available = window.end - window.start;
    if (remaining < available) return new Date(window.start + remaining);
    remaining -= available;
    cursor = window.end;
  }
}

/** One of a contact's working days: its local date and its working window. */
export interface WorkingDay {
  date: string; // "2026-12-09", in the contact's zone
  /** The window's wall-clock start and end there ("09:00"; a DST gap moves a time forward). */
  localStart: string;
  localEnd: string;
  /** The same window as instants. */
  start: Date;
  end: Date;
  /** True on an adjusted working day (调休) of the calendar, a day the week alone leaves off. */
  adjusted: boolean;
}

/** Days `nextWorkingDays` looks at at most: a year, enough for 31 days of a one-day week. */
export const MAX_WORKING_DAYS_SCAN = 366;

/**
 * The first `count` working days of a contact on or after the local date `fromDate`
 * ("YYYY-MM-DD" in `timeZone`): the days `isWorkingDate` says are working days by their weekly
 * hours and `calendar`, each with its window. Looks at most `MAX_WORKING_DAYS_SCAN` dates ahead,
 * so a calendar with few working days gives fewer.
 */
export function nextWorkingDays(
  fromDate: string,
  count: number,
  timeZone: string,
  hours: WorkingHours,
  calendar: WorkingCalendar = EMPTY_CALENDAR,
): WorkingDay[] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(fromDate);
  const first = match && { year: +match[1], month: +match[2], day: +match[3] };
  if (!first || isoDate(addDays(first, 0)) !== fromDate) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'fromDate must be a date YYYY-MM-DD', {
      errors: [{ field: 'fromDate', messages: ['must be a date YYYY-MM-DD'] }],
    });
  }
  assertZoneAndHours(timeZone, hours);
  const startMinute = minutesOfDay(hours.start);
  const endMinute = minutesOfDay(hours.end);
  const days: WorkingDay[] = [];
  for (let k = 0; k < MAX_WORKING_DAYS_SCAN && days.length < count; k++) {
    const date = addDays(first, k);
    const iso = isoDate(date);
    if (!isWorkingDate(iso, date.isoWeekday, hours.days, calendar)) continue;
    const start = zonedInstant(date, startMinute, timeZone);
    const end = zonedInstant(date, endMinute, timeZone);
    if (start >= end) continue; // a window a DST change swallows, as nextWindow skips it
    days.push({
      date: iso,
      localStart: wallTime(start, timeZone),
      localEnd: wallTime(end, timeZone),
      start: new Date(start),
      end: new Date(end),
      adjusted: !hours.days.includes(date.isoWeekday),
    });
  }
  return days;
}

/** "HH:MM" on the wall clock of `timeZone` at instant `ms`. */
function wallTime(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** Minutes in `n` of this contact's nominal working days. */
export function workingDays(n: number, hours: WorkingHours): number {
  return n * (minutesOfDay(hours.end) - minutesOfDay(hours.start));
}

// ---------------------------------------------------------------------------------------------
// Reminder policy
// ---------------------------------------------------------------------------------------------

/** All durations are minutes of the recipient's working time. */
export interface ReminderPolicy {
  firstAfterWorkingMinutes: number;
  repeatEveryWorkingMinutes: number;
  maxReminders: number;
  escalate: boolean;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = Object.freeze({
  firstAfterWorkingMinutes: workingDays(2, DEFAULT_WORKING_HOURS), // 1080
  repeatEveryWorkingMinutes: workingDays(1, DEFAULT_WORKING_HOURS), // 540
  maxReminders: 3,
  escalate: true,
});

export const MAX_REMINDERS = 20;
export const MIN_REPEAT_MINUTES = 30;
/**
 * 100 working days of 9 h. Planning walks working windows one by one, so an unbounded duration
 * could stall a workflow task; nobody waits longer than this for a first reminder.
 */
export const MAX_FOLLOW_UP_WORKING_MINUTES = 54_000;

/** Problems with a reminder policy, empty when it is valid. */
export function reminderPolicyProblems(p: ReminderPolicy): string[] {
  const problems: string[] = [];
  const positiveInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;
  if (!positiveInt(p.firstAfterWorkingMinutes)) {
    problems.push('firstAfterWorkingMinutes must be a positive integer');
  } else if (p.firstAfterWorkingMinutes > MAX_FOLLOW_UP_WORKING_MINUTES) {
    problems.push(`firstAfterWorkingMinutes must be at most ${MAX_FOLLOW_UP_WORKING_MINUTES}`);
  }
  if (!positiveInt(p.repeatEveryWorkingMinutes)) {
    problems.push('repeatEveryWorkingMinutes must be a positive integer');
  } else if (p.repeatEveryWorkingMinutes < MIN_REPEAT_MINUTES) {
    problems.push(`repeatEveryWorkingMinutes must be at least ${MIN_REPEAT_MINUTES}`);
  } else if (p.repeatEveryWorkingMinutes > MAX_FOLLOW_UP_WORKING_MINUTES) {
    problems.push(`repeatEveryWorkingMinutes must be at most ${MAX_FOLLOW_UP_WORKING_MINUTES}`);
  }
  if (!positiveInt(p.maxReminders)) {
    problems.push('maxReminders must be a positive integer');
  } else if (p.maxReminders > MAX_REMINDERS) {
    problems.push(`maxReminders must be at most ${MAX_REMINDERS}`);
  }
  if (typeof p.escalate !== 'boolean') problems.push('escalate must be a boolean');
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Follow-ups: the next reminder or escalation for one recipient, planned incrementally
// ---------------------------------------------------------------------------------------------

/** What has been sent to one recipient so far. */
export interface FollowUpProgress {
  /** Reminders sent. */
  sent: number;
  /** When the last one was sent (ISO), null before the first. */
  lastAt: string | null;
}

/** How late a timer may ring and still count as on time. */
export const TIMER_SLACK_MS = 60_000;

export type FollowUp =
  { kind: 'reminder'; reminderNumber: number; at: Date } | { kind: 'escalation'; at: Date };

export interface FollowUpInput {
  /** When the wait began: the request, the task falling overdue, the stage's last activity. */
  since: Date;
  policy: ReminderPolicy;
  timeZone: string;
  hours: WorkingHours;
  progress: FollowUpProgress;
  /** Snoozed: nothing before this instant. */
  notBefore?: Date | null;
  /** The workflow's clock: a follow-up that fell due while nobody could send it goes out now. */
  now: Date;
  /** The recipient's working calendar; without it, only their weekly hours count. */
  calendar?: WorkingCalendar;
}

/**
 * The next follow-up for one recipient. Reminder 1 comes `firstAfterWorkingMinutes` of the
 * recipient's working time after `since`; each next one `repeatEveryWorkingMinutes` after the
 * previous was sent; after `maxReminders`, the escalation (if the policy escalates) one more
 * interval later. Planned from what was actually sent, so a changed policy re-plans the rest at
 * once. Never before `notBefore` or `now`, and always inside the recipient's working hours (and
 * on a working day of their calendar, when the input has one).
 * Undefined when nothing remains.
 *
 * `firstAfterWorkingMinutes` may be 0 here (an overdue task reminds at the next working instant).
 */
export function nextFollowUp(input: FollowUpInput): FollowUp | undefined {
  const { policy, timeZone, hours, progress, calendar } = input;
  const sinceMs = assertInstant(input.since, 'since');
  const nowMs = assertInstant(input.now, 'now');
  const lastMs = progress.lastAt === null ? null : Date.parse(progress.lastAt);
  if (lastMs !== null && !Number.isFinite(lastMs)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'lastAt must be a valid date', {
      errors: [{ field: 'lastAt', messages: ['must be a valid date'] }],
    });
  }
  const planned =
    progress.sent === 0 || lastMs === null
      ? addWorkingDuration(
          new Date(sinceMs),
          policy.firstAfterWorkingMinutes,
          timeZone,
          hours,
          calendar,
        )
      : addWorkingDuration(
          new Date(lastMs),
          policy.repeatEveryWorkingMinutes,
          timeZone,
          hours,
          calendar,
        );
  // A timer rings a little after its instant: within the slack, the planned instant stands, so
  // the schedule does not drift; beyond it (nobody could send), the follow-up goes out now.
  const plannedMs = planned.getTime();
  let earliest = plannedMs >= nowMs - TIMER_SLACK_MS ? plannedMs : nowMs;
  if (input.notBefore) earliest = Math.max(earliest, assertInstant(input.notBefore, 'notBefore'));
  const at = nextWorkingInstant(new Date(earliest), timeZone, hours, calendar);
  if (progress.sent < policy.maxReminders) {
    return { kind: 'reminder', reminderNumber: progress.sent + 1, at };
  }
  return policy.escalate ? { kind: 'escalation', at } : undefined;
}

/**
 * The instant a task due on `dueDate` (a calendar date, YYYY-MM-DD) becomes overdue for a contact
 * in `timeZone`: the start of the next day there.
 */
export function overdueFrom(dueDate: string, timeZone: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dueDate);
  if (!match || !isValidTimeZone(timeZone)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid due date or time zone', {
      errors: [{ field: 'dueDate', messages: ['must be YYYY-MM-DD in a known time zone'] }],
    });
  }
  const next = addDays({ year: +match[1], month: +match[2], day: +match[3] }, 1);
  return new Date(zonedInstant(next, 0, timeZone));
}
