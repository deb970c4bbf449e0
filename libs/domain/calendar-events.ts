/**
 * Events of a partnership (meetings, seminars, training): what one is, what a valid one looks
 * like, how its attendees' answers change, and when each attendee is reminded of it.
 *
 * Pure and deterministic: the event workflow calls these rules with instants it was given, and the
 * API calls the same ones to refuse a bad request before any workflow sees it.
 */
import type { FieldProblem } from './errors';
import type { Language } from './vocabulary';
import { isWorkingDate, WorkingCalendar } from './working-calendar';
import { minutesOfDay, WorkingHours } from './working-hours';
import { addDays, isoDate, localParts, zonedInstant } from './zoned-time';

export const CALENDAR_EVENT_KINDS = ['meeting', 'seminar', 'training'] as const;
export type CalendarEventKind = (typeof CALENDAR_EVENT_KINDS)[number];

export const CALENDAR_EVENT_STATUSES = ['scheduled', 'cancelled'] as const;
export type CalendarEventStatus = (typeof CALENDAR_EVENT_STATUSES)[number];

export const ATTENDEE_ANSWERS = ['pending', 'accepted', 'declined'] as const;
export type AttendeeAnswer = (typeof ATTENDEE_ANSWERS)[number];
/** What an attendee may answer (`pending` is only where everyone starts). */
export type AttendeeReply = Exclude<AttendeeAnswer, 'pending'>;

/** The longest event: a training day and a half is two events. */
export const MAX_EVENT_DURATION_MINUTES = 12 * 60;
export const MAX_EVENT_TITLE_LENGTH = 200;
export const MAX_EVENT_PLACE_LENGTH = 500;
export const MAX_EVENT_ATTENDEES = 50;
/** How far ahead an event may be scheduled. */
export const MAX_EVENT_DAYS_AHEAD = 400;
/** Each attendee is reminded at the last working moment at least this long before the start. */
export const EVENT_REMINDER_LEAD_HOURS = 24;
/** A reminder lands no later than this before the end of the attendee's working day. */
export const EVENT_REMINDER_DAY_END_MARGIN_MINUTES = 30;
/** How many days back from the lead the reminder looks for a working day (holiday weeks). */
export const EVENT_REMINDER_SCAN_DAYS = 21;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The coordinator's follow-up task after an event, in the organiser's language. */
export const EVENT_FOLLOW_UP_TITLES: Readonly<Record<Language, string>> = {
  en: 'Minutes and next steps: {title}',
  es: 'Acta y próximos pasos: {title}',
  zh: '会议纪要和后续步骤：{title}',
};

export function eventFollowUpTitle(title: string, language: Language): string {
  return EVENT_FOLLOW_UP_TITLES[language].replace('{title}', title.trim());
}

/** What the coordinator says of an event: all of it can be edited until it is cancelled. */
export interface CalendarEventDetails {
  kind: CalendarEventKind;
  title: string;
  /** UTC instants, ISO 8601. */
  start: string;
  end: string;
  /** An https link to join online, or null. */
  onlineUrl: string | null;
  /** Where it takes place, or null. At least one of the two. */
  place: string | null;
  /** The partnership's task the event fulfils (e.g. the introductory meeting), or null. */
  taskId: string | null;
}

/** An attendee as the invitations address them and the reminders plan for them. */
export interface CalendarEventAttendee {
  /** `contact`: a partner contact (answers through a signed link); `user`: a user of the app. */
  kind: 'contact' | 'user';
  id: string;
  name: string;
  email: string;
  language: Language;
  timeZone: string;
  workingHours: WorkingHours;
  /** The contact's organisation's working calendar (a snapshot); none for users. */
  calendar?: WorkingCalendar;
  answer: AttendeeAnswer;
  answeredAt: string | null;
}

/** An attendee as the event shows them (no calendar), with their reminder. */
export type CalendarEventAttendeeView = Omit<CalendarEventAttendee, 'calendar' | 'workingHours'> & {
  /** When their reminder is planned (UTC), or null: none (too late, or cancelled). */
  reminderAt: string | null;
  reminderSent: boolean;
};

/** The key an attendee is known by in an event: `contact:<id>` or `user:<id>`. */
export function attendeeKey(a: Pick<CalendarEventAttendee, 'kind' | 'id'>): string {
  return `${a.kind}:${a.id}`;
}

/**
 * What is wrong with an event's details, field by field (empty: nothing). `now` is the moment the
 * request is judged at: an event may not start in the past.
 */
export function calendarEventProblems(d: CalendarEventDetails, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) => {
    const found = problems.find((p) => p.field === field);
    if (found) found.messages.push(message);
    else problems.push({ field, messages: [message] });
  };
  if (!(CALENDAR_EVENT_KINDS as readonly string[]).includes(d.kind)) {
    add('kind', `must be one of ${CALENDAR_EVENT_KINDS.join(', ')}`);
  }
  const title = d.title.trim();
  if (title.length === 0) add('title', 'must not be empty');
  if (title.length > MAX_EVENT_TITLE_LENGTH) {
    add('title', `must be at most ${MAX_EVENT_TITLE_LENGTH} characters`);
  }
  const start = Date.parse(d.start);
  const end = Date.parse(d.end);
  if (Number.isNaN(start)) add('start', 'must be an ISO 8601 instant');
  if (Number.isNaN(end)) add('end', 'must be an ISO 8601 instant');
  if (!Number.isNaN(start) && !Number.isNaN(end)) {
    if (end <= start) add('end', 'must be after start');
    else if (end - start > MAX_EVENT_DURATION_MINUTES * MINUTE_MS) {
      add('end', `must be at most ${MAX_EVENT_DURATION_MINUTES / 60} hours after start`);
    }
    if (start < now.getTime()) add('start', 'must not be in the past');
    if (start > now.getTime() + MAX_EVENT_DAYS_AHEAD * DAY_MS) {
      add('start', `must be within ${MAX_EVENT_DAYS_AHEAD} days`);
    }
  }
  if (d.onlineUrl === null && (d.place === null || d.place.trim() === '')) {
    add('place', 'give a place or an onlineUrl');
  }
  if (d.onlineUrl !== null && !isHttpsUrl(d.onlineUrl)) add('onlineUrl', 'must be an https URL');
  if (d.place !== null && d.place.length > MAX_EVENT_PLACE_LENGTH) {
    add('place', `must be at most ${MAX_EVENT_PLACE_LENGTH} characters`);
  }
  return problems;
}

function isHttpsUrl(value: string): boolean {
  if (value.length > 2000 || !/^https:\/\/[^\s/?#]+\S*$/i.test(value)) return false;
  // No control characters: the link goes into an ICS line and an e-mail as it is.
  return [...value].every((c) => c.charCodeAt(0) > 0x20 && c.charCodeAt(0) !== 0x7f);
}

/**
 * The attendees after `key` answered `reply` at `at`; null when that changes nothing (the same
 * answer again: answering twice is idempotent). Changing one's answer is allowed.
 */
export function withAnswer(
  attendees: readonly CalendarEventAttendee[],
  key: string,
  reply: AttendeeReply,
  at: string,
): CalendarEventAttendee[] | null {
  const attendee = attendees.find((a) => attendeeKey(a) === key);
  if (!attendee || attendee.answer === reply) return null;
  return attendees.map((a) => (a === attendee ? { ...a, answer: reply, answeredAt: at } : a));
}

/**
 * When to remind an attendee of an event starting at `start`: the last moment inside their
 * working hours, on a working day of their calendar, at least `leadHours` before the start, and at
 * least EVENT_REMINDER_DAY_END_MARGIN_MINUTES before that day's working end (so the reminder is
 * read the same day). Undefined when that moment is not after `now` (too late to remind) or no
 * working day lies in the EVENT_REMINDER_SCAN_DAYS before the lead.
 */
export function eventReminderAt(input: {
  start: Date;
  now: Date;
  timeZone: string;
  workingHours: WorkingHours;
  calendar?: WorkingCalendar;
  leadHours?: number;
}): Date | undefined {
  const lead = (input.leadHours ?? EVENT_REMINDER_LEAD_HOURS) * 60 * MINUTE_MS;
  const latest = input.start.getTime() - lead;
  const { timeZone, workingHours: hours } = input;
  const startMinute = minutesOfDay(hours.start);
  const endMinute = minutesOfDay(hours.end);
  const local = localParts(latest, timeZone);
  for (let back = 0; back <= EVENT_REMINDER_SCAN_DAYS; back++) {
    const date = addDays(local, -back);
    if (!isWorkingDate(isoDate(date), date.isoWeekday, hours.days, input.calendar)) continue;
    const open = zonedInstant(date, startMinute, timeZone);
    const close = zonedInstant(date, endMinute, timeZone);
    const candidate = Math.min(latest, close - EVENT_REMINDER_DAY_END_MARGIN_MINUTES * MINUTE_MS);
    if (candidate < open) continue;
    return candidate > input.now.getTime() ? new Date(candidate) : undefined;
  }
  return undefined;
}

/** Who an event's attendees become after an edit, and who that adds and removes. */
export interface AttendeeChange {
  /** The new list, in the order named; those who stay keep their own record (their answer). */
  attendees: CalendarEventAttendee[];
  added: CalendarEventAttendee[];
  removed: CalendarEventAttendee[];
}

/**
 * The attendees after the coordinator named `wanted` (every attendee from now on, the organiser
 * included): an attendee who stays keeps their record as the event has it, answer and calendar
 * snapshot included (`wanted`'s copy is ignored); one newly named joins as `wanted` has them. Null
 * when that is the same people (the order aside): nothing to change.
 */
export function withAttendees(
  current: readonly CalendarEventAttendee[],
  wanted: readonly CalendarEventAttendee[],
): AttendeeChange | null {
  const byKey = new Map(current.map((a) => [attendeeKey(a), a]));
  const wantedKeys = new Set(wanted.map(attendeeKey));
  const attendees = wanted.map((a) => byKey.get(attendeeKey(a)) ?? a);
  const added = wanted.filter((a) => !byKey.has(attendeeKey(a)));
  const removed = current.filter((a) => !wantedKeys.has(attendeeKey(a)));
  return added.length === 0 && removed.length === 0 ? null : { attendees, added, removed };
}

/**
 * What is wrong with `wanted` as an event's attendees from now on (empty: nothing): a person named
 * twice, the organiser left out (they organise, and attend until the event is cancelled), or no
 * one but the organiser left (uninviting everyone is cancelling the event: cancel it instead).
 * Problems name the request's fields: `contactIds` and `userIds`.
 */
export function attendeeListProblems(
  wanted: readonly Pick<CalendarEventAttendee, 'kind' | 'id'>[],
  organiserUserId: string,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) => {
    const found = problems.find((p) => p.field === field);
    if (found) found.messages.push(message);
    else problems.push({ field, messages: [message] });
  };
  const fieldOf = (kind: CalendarEventAttendee['kind']) =>
    kind === 'contact' ? 'contactIds' : 'userIds';
  const seen = new Set<string>();
  for (const a of wanted) {
    const key = attendeeKey(a);
    if (seen.has(key)) add(fieldOf(a.kind), `${a.id} is named twice`);
    seen.add(key);
  }
  const organiser = attendeeKey({ kind: 'user', id: organiserUserId });
  if (!seen.has(organiser)) add('userIds', 'the organiser always attends');
  if ([...seen].every((k) => k === organiser)) {
    add(
      'contactIds',
      'must leave at least one attendee besides the organiser: cancel the event instead',
    );
  }
  return problems;
}
