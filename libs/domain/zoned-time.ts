/**
 * Time-zone math for libs/domain: wall-clock fields of an instant, and the instant of a wall time,
 * in an IANA zone.
 *
 * Pure and deterministic (it runs inside Temporal workflow code): only `Intl.DateTimeFormat` and
 * `Date`. A wall time that does not exist (DST gap) moves forward to the first valid instant, the
 * moment the clocks jump; an ambiguous wall time (fall-back hour) takes the earlier instant.
 *
 * Internal to libs/domain: not exported from its index.
 */

const DAY_MS = 86_400_000;

export interface LocalDate {
  year: number;
  month: number; // 1..12
  day: number;
}

export interface LocalParts extends LocalDate {
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Wall-clock fields of instant `ms` in `timeZone`. */
export function localParts(ms: number, timeZone: string): LocalParts {
  const parts: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    switch (part.type) {
      case 'year':
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second':
        parts[part.type] = Number(part.value);
        break;
    }
  }
  if (parts.hour === 24) parts.hour = 0; // defensive: engines that ignore hourCycle
  return parts;
}

/** Wall-clock time of instant `ms` in `timeZone`, expressed as if that wall time were UTC. */
function wallMs(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const p = localParts(whole, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) + (ms - whole);
}

/** UTC offset (ms) of `timeZone` at instant `ms`. */
function offsetMs(ms: number, timeZone: string): number {
  return wallMs(ms, timeZone) - ms;
}

/**
 * The instant at which the wall clock in `timeZone` shows `minuteOfDay` on `date`.
 * DST gap → the first valid instant after it; fall-back overlap → the earlier instant.
 */
export function zonedInstant(date: LocalDate, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  // Every offset in force around that wall time (zones change offset at most once a day or so).
  const offsets = new Set<number>();
  for (const probe of [wall - DAY_MS, wall, wall + DAY_MS]) {
    const o = offsetMs(probe, timeZone);
    offsets.add(o);
    offsets.add(offsetMs(wall - o, timeZone));
  }
  let earliest: number | undefined;
  for (const o of offsets) {
    const candidate = wall - o;
    if (wallMs(candidate, timeZone) === wall && (earliest === undefined || candidate < earliest)) {
      earliest = candidate;
    }
  }
  if (earliest !== undefined) return earliest;

  // Gap: the wall time was skipped. Find the first instant whose wall time is at or after it.
  let lo = wall - Math.max(...offsets); // wall time before the requested one
  let hi = wall - Math.min(...offsets); // wall time after it
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (wallMs(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The calendar date `days` after `date` (negative: before), with its ISO weekday (1 = Monday). */
export function addDays(date: LocalDate, days: number): LocalDate & { isoWeekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    isoWeekday: d.getUTCDay() === 0 ? 7 : d.getUTCDay(),
  };
}

/** "YYYY-MM-DD" for a local date. */
export function isoDate(date: LocalDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}
