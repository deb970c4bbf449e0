import { workingCalendarFor } from '@libs/calendars';
import type { WorkingCalendar } from '@libs/domain';

/**
 * Dates for the events tests, relative to now (never a fixed date that passes), worked out from
 * first principles: calendar arithmetic on ISO dates and the zones' offsets as `Intl` has them.
 */

export const DAY_MS = 86_400_000;

/** The founding case's organisations, as the calendars know them. */
export const VALENCIA = { country: 'ES', region: 'Valencian Community' } as const;
export const CHENGDU = { country: 'CN', region: 'Sichuan' } as const;

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(ms));
}

/** The local wall clock (HH:MM, 24 h) of an instant in a zone. */
export function localTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
}

/** The ISO date `days` after `date`. */
export function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a date: 1 Monday … 7 Sunday. */
export function isoWeekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}

/** The instant at which a zone's wall clock shows `hh:mm` on `date` (not in a DST gap). */
export function zonedWallClock(date: string, hh: number, mm: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const asUtc = Date.UTC(y, m - 1, d, hh, mm);
  // The zone's offset near that moment, read back from Intl; twice, for a change of offset.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const shown = new Date(guess).toLocaleString('sv-SE', { timeZone }).replace(' ', 'T');
    guess += asUtc - Date.parse(`${shown}Z`);
  }
  return guess;
}

/** `2027-03-22 09:00–10:00 UTC`, as the e-mails give the UTC time. */
export function utcSpan(startMs: number, endMs: number): string {
  const start = new Date(startMs).toISOString();
  return `${start.slice(0, 10)} ${start.slice(11, 16)}–${new Date(endMs).toISOString().slice(11, 16)} UTC`;
}

/** The calendar of an organisation from today for a year and a half (the API's data). */
export function calendarAhead(source: typeof VALENCIA | typeof CHENGDU): WorkingCalendar {
  const today = localDate(Date.now(), 'UTC');
  return workingCalendarFor(source, plusDays(today, -1), plusDays(today, 500));
}

export interface HolidaySeminar {
  /** The Valencian public holiday, a weekday at least `minDaysAhead` days ahead. */
  holiday: string;
  /** The next weekday after it, the seminar's day; the seminar at 10:00 in Madrid. */
  day: string;
  start: number;
  /** The last working weekday before the holiday in Valencia: the reminder's day, at 17:30. */
  reminderDay: string;
  /** 17:30 in Madrid on `reminderDay`: half an hour before the end of Raquel's working day. */
  raquelReminder: number;
}

/**
 * A seminar the Valencian reminder must skip a holiday for: the next public holiday of the
 * Valencian Community on a weekday, at least `minDaysAhead` days ahead, and the seminar at 10:00
 * in Madrid on the next weekday after it. 24 hours before lies on the holiday (or on the weekend
 * after a Friday holiday), so a reminder 09:00–18:00 in Valencia, 30 minutes before the day's
 * end, falls at 17:30 on the last working day before the holiday.
 */
export function holidaySeminar(minDaysAhead = 10): HolidaySeminar {
  const today = localDate(Date.now(), 'Europe/Madrid');
  const valencia = calendarAhead(VALENCIA);
  const off = new Set(valencia.offDays.map((d) => d.date));
  const earliest = plusDays(today, minDaysAhead);
  const holiday = valencia.offDays
    .map((d) => d.date)
    .filter((date) => date >= earliest && date <= plusDays(today, 330) && isoWeekday(date) <= 5)
    .sort()[0];
  if (!holiday) throw new Error(`no Valencian weekday holiday within 330 days of ${today}`);
  let day = plusDays(holiday, 1);
  while (isoWeekday(day) > 5) day = plusDays(day, 1);
  let reminderDay = plusDays(holiday, -1);
  while (isoWeekday(reminderDay) > 5 || off.has(reminderDay)) {
    reminderDay = plusDays(reminderDay, -1);
  }
  return {
    holiday,
    day,
    start: zonedWallClock(day, 10, 0, 'Europe/Madrid'),
    reminderDay,
    raquelReminder: zonedWallClock(reminderDay, 17, 30, 'Europe/Madrid'),
  };
}

/**
 * The first Monday at least `minDaysAhead` days ahead whose week (Monday to Friday) has no day
 * off in Valencia or in Sichuan (holidays, China's adjusted days): a week where the meeting-time
 * finder's first slot is Monday's first shared working hour.
 */
export function plainWorkingWeek(minDaysAhead = 14): { monday: string; friday: string } {
  const valencia = calendarAhead(VALENCIA);
  const chengdu = calendarAhead(CHENGDU);
  const special = new Set(
    [...valencia.offDays, ...chengdu.offDays, ...chengdu.workingDays].map((d) => d.date),
  );
  let monday = plusDays(localDate(Date.now(), 'UTC'), minDaysAhead);
  while (isoWeekday(monday) !== 1) monday = plusDays(monday, 1);
  for (let week = 0; week < 52; week++, monday = plusDays(monday, 7)) {
    const days = [0, 1, 2, 3, 4].map((k) => plusDays(monday, k));
    if (days.every((d) => !special.has(d))) return { monday, friday: days[4] };
  }
  throw new Error('no plain working week within a year');
}
