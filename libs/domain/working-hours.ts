/** A contact's working week in their own IANA time zone. Days: 1 = Monday … 7 = Sunday (ISO). */
export interface WorkingHours {
  start: string; // "09:00"
  end: string; // "18:00"
  days: number[];
}

export const DEFAULT_WORKING_HOURS: WorkingHours = Object.freeze({
  start: '09:00',
  end: '18:00',
  days: [1, 2, 3, 4, 5],
}) as WorkingHours;

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Minutes after midnight for "HH:MM". */
export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Problems with a working-hours value, empty when it is valid. */
export function workingHoursProblems(value: WorkingHours): string[] {
  const problems: string[] = [];
  if (!HH_MM.test(value.start)) problems.push('start must be HH:MM (24h)');
  if (!HH_MM.test(value.end)) problems.push('end must be HH:MM (24h)');
  if (problems.length === 0 && minutesOfDay(value.start) >= minutesOfDay(value.end)) {
    problems.push('start must be before end');
  }
  if (!Array.isArray(value.days) || value.days.length === 0) {
    problems.push('days must list at least one ISO weekday (1 = Monday … 7 = Sunday)');
  } else if (value.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    problems.push('days must be ISO weekdays 1..7');
  } else if (new Set(value.days).size !== value.days.length) {
    problems.push('days must not repeat');
  }
  return problems;
}

/** True when `zone` is an IANA time-zone name this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  if (!zone || !zone.includes('/')) return zone === 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
