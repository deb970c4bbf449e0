/**
 * The meeting-time finder: candidate slots for a meeting of attendees in different time zones,
 * working hours and working calendars.
 *
 * Pure and deterministic (no clock, no randomness): the same query always gives the same answer,
 * and the answer is plain JSON, so an endpoint can return it as it is.
 */
import { DomainError, ErrorCode, FieldProblem } from './errors';
import { isWorkingDate, WorkingCalendar } from './working-calendar';
import { isValidTimeZone, minutesOfDay, WorkingHours, workingHoursProblems } from './working-hours';
import { addDays, isoDate, LocalDate, localParts, zonedInstant } from './zoned-time';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The longest range searched: a month. */
export const MAX_MEETING_RANGE_DAYS = 31;
export const MAX_MEETING_ATTENDEES = 50;
export const MAX_MEETING_DURATION_MINUTES = 1440;
export const DEFAULT_MEETING_STEP_MINUTES = 30;
export const MIN_MEETING_STEP_MINUTES = 5;
export const DEFAULT_MEETING_RESULTS = 20;
export const MAX_MEETING_RESULTS = 100;

/** Night, in each attendee's own wall time: from 22:00 to 07:00. */
export const NIGHT_STARTS_AT = '22:00';
export const NIGHT_ENDS_AT = '07:00';
/**
 * In the fair ranking, a proposal may cost its worst-off attendee up to this factor more than the
 * cheapest slot left, when that spares someone who has already carried more.
 */
export const FAIRNESS_SLACK = 1.25;

export interface MeetingAttendee {
  id: string;
  /** IANA time zone, e.g. "Europe/Madrid". */
  timeZone: string;
  workingHours: WorkingHours;
  /** Holidays, closures and adjusted working days; none when absent. */
  calendar?: WorkingCalendar;
}

export interface MeetingSlotQuery {
  attendees: MeetingAttendee[];
  /** The range [from, to): every proposed meeting starts at or after `from` and ends by `to`. */
  from: Date;
  to: Date;
  /** 1 … 1440. */
  durationMinutes: number;
  /**
   * Slot starts are the multiples of this many minutes since the Unix epoch (so aligned in UTC):
   * 5 … 1440, dividing a day evenly. Default 30.
   */
  stepMinutes?: number;
  /** 1 … 100. Default 20. */
  maxResults?: number;
}

/** A wall time in one attendee's zone. */
export interface LocalWallTime {
  date: string; // "2027-01-11"
  time: string; // "09:00"
}

export interface MeetingSlotAttendee {
  id: string;
  timeZone: string;
  start: LocalWallTime;
  end: LocalWallTime;
  /** outsideMinutes + 2 × nightMinutes + offDayMinutes; 0 when the slot is inside working time. */
  inconvenience: number;
  /** Minutes of the meeting outside this attendee's working time. */
  outsideMinutes: number;
  /** Of those, minutes between 22:00 and 07:00 in their zone. */
  nightMinutes: number;
  /** Of those, minutes on a date that is not a working day for them (weekend, holiday, closure). */
  offDayMinutes: number;
}

export interface MeetingSlot {
  start: string; // ISO instant, UTC
  end: string;
  /** Inside every attendee's working time. */
  fitsEveryone: boolean;
  /** The largest inconvenience of any attendee. */
  worstInconvenience: number;
  totalInconvenience: number;
  /** In the order of the query's attendees. */
  attendees: MeetingSlotAttendee[];
}

export interface MeetingSlotProposals {
  /**
   * `common`: slots inside everyone's working time, earliest first. `fair`: no slot in the range
   * fits everyone; the least inconvenient, ranked so that the inconvenience is shared.
   */
  mode: 'common' | 'fair';
  /** How many slots in the whole range fit everyone. */
  commonSlotCount: number;
  /** How many slots the range holds (every aligned start whose meeting ends by `to`). */
  candidateCount: number;
  /** True when more slots could have been proposed than `maxResults`. */
  truncated: boolean;
  /**
   * In the order of the ranking (earliest first for `common`). Empty only when no start on the
   * step leaves the meeting inside the range.
   */
  slots: MeetingSlot[];
}

/**
 * Candidate slots for a meeting of `durationMinutes`, starting on multiples of `stepMinutes` in
 * UTC, inside [from, to).
 *
 * An attendee's working time is their working hours' window [start, end) in their own zone on
 * each of their working dates; a date is a working date by `isWorkingDate` over their calendar (a
 * holiday is not, an adjusted working Saturday is). The inconvenience of a slot for an attendee
 * counts each minute of it outside their working time as 1, plus 2 more when it falls at night
 * (22:00–07:00 in their zone) and 1 more when it falls on a date that is not a working day for
 * them: an evening hour on a working day costs 60, an hour on a Saturday afternoon 120, an hour
 * at 23:00 on a working day 180, at 23:00 on a holiday 240. Minutes are real elapsed minutes, so
 * across a DST change the wall clock shows an hour more or less.
 *
 * When any slot fits everyone (inconvenience 0 for all), only such slots are proposed, earliest
 * first. Otherwise the slots are ranked by the inconvenience of the worst-off attendee, then by
 * the total over all attendees, then by start, and picked one by one so that the burden is
 * shared: each pick considers the slots whose worst inconvenience is at most FAIRNESS_SLACK times
 * that of the best slot left, and among them takes the one after which the most-burdened
 * attendee, summed over the proposals so far, carries the least. So ten proposals do not all fall
 * on one side's evening when the other side's mornings cost about the same, and an alternative
 * much worse for everyone is never taken to balance the account.
 *
 * Bad input is a DomainError VALIDATION_FAILED whose `errors` name each field: no attendees or
 * more than MAX_MEETING_ATTENDEES, a repeated or empty id, an unknown zone, invalid working hours
 * or calendar, an invalid or reversed range or one longer than MAX_MEETING_RANGE_DAYS, a duration
 * that is not a whole number of minutes from 1 to 1440 or is longer than the range, a bad step or
 * result count.
 */
export function findMeetingSlots(query: MeetingSlotQuery): MeetingSlotProposals {
  const { attendees, fromMs, toMs, durationMs, stepMs, maxResults } = validated(query);
  const daysByZone = new Map<string, ZoneDay[]>();
  const timelines = attendees.map((a) => {
    let days = daysByZone.get(a.timeZone);
    if (!days) daysByZone.set(a.timeZone, (days = zoneDays(a.timeZone, fromMs, toMs)));
    return new Timeline(a.timeZone, days, a.workingHours, a.calendar);
  });

  const candidates: Candidate[] = [];
  for (let start = Math.ceil(fromMs / stepMs) * stepMs; start + durationMs <= toMs;) {
    const end = start + durationMs;
    const inconvenience = timelines.map((t) => t.inconvenience(start, end));
    let worst = 0;
    let total = 0;
    for (const v of inconvenience) {
      if (v > worst) worst = v;
      total += v;
    }
    candidates.push({ start, end, inconvenience, worst, total });
    start += stepMs;
  }

  const common = candidates.filter((c) => c.worst === 0);
  const picked =
    common.length > 0 ? common.slice(0, maxResults) : fairPicks(candidates, maxResults);
  const pool = common.length > 0 ? common.length : candidates.length;
  return {
    mode: common.length > 0 ? 'common' : 'fair',
    commonSlotCount: common.length,
    candidateCount: candidates.length,
    truncated: pool > picked.length,
    slots: picked.map((c) => toSlot(c, attendees, timelines)),
  };
}

// ---------------------------------------------------------------------------------------------
// Ranking
// ---------------------------------------------------------------------------------------------

interface Candidate {
  start: number;
  end: number;
  /** Per attendee, in query order. */
  inconvenience: number[];
  worst: number;
  total: number;
}

function fairPicks(candidates: Candidate[], maxResults: number): Candidate[] {
  const ranked = [...candidates].sort(
    (a, b) => a.worst - b.worst || a.total - b.total || a.start - b.start,
  );
  const taken = new Uint8Array(ranked.length);
  const burden: number[] = ranked.length > 0 ? ranked[0].inconvenience.map(() => 0) : [];
  const picks: Candidate[] = [];
  let head = 0; // the best slot not yet taken
  while (picks.length < maxResults) {
    while (head < ranked.length && taken[head]) head++;
    if (head >= ranked.length) break;
    const limit = ranked[head].worst * FAIRNESS_SLACK;
    let pick = head;
    let pickHeaviest = Infinity;
    // `ranked` is in (worst, total, start) order, so on equal heaviest the first one seen wins.
    for (let i = head; i < ranked.length && ranked[i].worst <= limit; i++) {
      if (taken[i]) continue;
      const heaviest = heaviestBurden(burden, ranked[i].inconvenience);
      if (heaviest < pickHeaviest) {
        pick = i;
        pickHeaviest = heaviest;
      }
    }
    taken[pick] = 1;
    ranked[pick].inconvenience.forEach((v, a) => (burden[a] += v));
    picks.push(ranked[pick]);
  }
  return picks;
}

/** The largest sum, over attendees, of what they have carried so far plus what this slot costs. */
function heaviestBurden(burden: number[], inconvenience: number[]): number {
  let heaviest = 0;
  for (let a = 0; a < burden.length; a++) {
    heaviest = Math.max(heaviest, burden[a] + inconvenience[a]);
  }
  return heaviest;
}

function toSlot(c: Candidate, attendees: MeetingAttendee[], timelines: Timeline[]): MeetingSlot {
  return {
    start: new Date(c.start).toISOString(),
    end: new Date(c.end).toISOString(),
    fitsEveryone: c.worst === 0,
    worstInconvenience: c.worst,
    totalInconvenience: c.total,
    attendees: attendees.map((a, i) => {
      const cost = timelines[i].cost(c.start, c.end);
      return {
        id: a.id,
        timeZone: a.timeZone,
        start: timelines[i].wallTime(c.start),
        end: timelines[i].wallTime(c.end),
        inconvenience: c.inconvenience[i],
        ...cost,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// One attendee's working time as a timeline
// ---------------------------------------------------------------------------------------------

interface Cost {
  outsideMinutes: number;
  nightMinutes: number;
  offDayMinutes: number;
}

function weighted(cost: Cost): number {
  return cost.outsideMinutes + 2 * cost.nightMinutes + cost.offDayMinutes;
}

interface ZoneDay {
  local: LocalDate & { isoWeekday: number };
  date: string; // "2027-01-11"
  /** The instants at which the day begins and ends in the zone. */
  begin: number;
  end: number;
}

/** The local dates of `timeZone` that cover [fromMs, toMs), with a day to spare on each side. */
function zoneDays(timeZone: string, fromMs: number, toMs: number): ZoneDay[] {
  const first: LocalDate = localParts(fromMs - DAY_MS, timeZone);
  const days: ZoneDay[] = [];
  let begin = zonedInstant(first, 0, timeZone);
  for (let k = 0; k < Math.ceil((toMs - fromMs) / DAY_MS) + 3; k++) {
    const local = addDays(first, k);
    const end = zonedInstant(addDays(first, k + 1), 0, timeZone);
    days.push({ local, date: isoDate(local), begin, end });
    begin = end;
  }
  return days;
}

/**
 * One attendee's time over the range, cut into segments at the instants where their working
 * window, night or date begins or ends, each segment with its kind. With running sums at each
 * cut, the cost of any slot takes two binary searches and no time-zone lookup.
 */
class Timeline {
  /** Segment i runs from at[i] to at[i + 1]. */
  private readonly at: number[] = [];
  /** Per segment, 1 or 0; `weight` is their weighted sum. */
  private readonly outside: number[] = [];
  private readonly night: number[] = [];
  private readonly offDay: number[] = [];
  private readonly weight: number[] = [];
  /** Running sums (ms) at each cut. */
  private readonly sums: Record<'outside' | 'night' | 'offDay' | 'weight', number[]>;

  constructor(
    private readonly timeZone: string,
    private readonly days: ZoneDay[],
    hours: WorkingHours,
    calendar: WorkingCalendar | undefined,
  ) {
    const workStart = minutesOfDay(hours.start);
    const workEnd = minutesOfDay(hours.end);
    const nightEnd = minutesOfDay(NIGHT_ENDS_AT);
    const nightStart = minutesOfDay(NIGHT_STARTS_AT);
    const cuts = [...new Set([0, nightEnd, workStart, workEnd, nightStart])].sort((x, y) => x - y);

    for (const { local, date, begin, end } of days) {
      const working = isWorkingDate(date, local.isoWeekday, hours.days, calendar);
      // A day of 24 hours keeps one offset: its cuts are minutes after its midnight. On a day of
      // a DST change the zone is asked for each one.
      const instant = (minute: number) =>
        end - begin === DAY_MS ? begin + minute * MINUTE_MS : zonedInstant(local, minute, timeZone);
      cuts.forEach((a, j) => {
        const b = j + 1 < cuts.length ? cuts[j + 1] : 1440;
        const isOutside = !(working && a >= workStart && b <= workEnd);
        const isNight = isOutside && (b <= nightEnd || a >= nightStart);
        this.push(instant(a), isOutside, isNight, isOutside && !working);
      });
    }
    this.at.push(days[days.length - 1].end);

    const running = (flags: number[]): number[] => {
      const sums = [0];
      for (let i = 0; i < flags.length; i++) {
        sums.push(sums[i] + flags[i] * (this.at[i + 1] - this.at[i]));
      }
      return sums;
    };
    this.sums = {
      outside: running(this.outside),
      night: running(this.night),
      offDay: running(this.offDay),
      weight: running(this.weight),
    };
  }

  private push(at: number, outside: boolean, night: boolean, offDay: boolean): void {
    // Two cuts inside one DST gap fall on the same instant: the segment between them is empty and
    // adds nothing to the sums (segmentOf takes the last of equal cuts).
    const flags = { outsideMinutes: +outside, nightMinutes: +night, offDayMinutes: +offDay };
    this.at.push(at);
    this.outside.push(flags.outsideMinutes);
    this.night.push(flags.nightMinutes);
    this.offDay.push(flags.offDayMinutes);
    this.weight.push(weighted(flags));
  }

  /** The attendee's inconvenience for a meeting over [start, end). */
  inconvenience(start: number, end: number): number {
    return this.minutes(start, end, this.weight, this.sums.weight);
  }

  cost(start: number, end: number): Cost {
    return {
      outsideMinutes: this.minutes(start, end, this.outside, this.sums.outside),
      nightMinutes: this.minutes(start, end, this.night, this.sums.night),
      offDayMinutes: this.minutes(start, end, this.offDay, this.sums.offDay),
    };
  }

  /** The wall time of `ms` in the attendee's zone. */
  wallTime(ms: number): LocalWallTime {
    const pad = (n: number) => String(n).padStart(2, '0');
    const day = this.days.find((d) => d.begin <= ms && ms < d.end);
    if (day && day.end - day.begin === DAY_MS) {
      const minute = Math.floor((ms - day.begin) / MINUTE_MS);
      return { date: day.date, time: `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}` };
    }
    const p = localParts(ms, this.timeZone);
    return { date: isoDate(p), time: `${pad(p.hour)}:${pad(p.minute)}` };
  }

  private minutes(start: number, end: number, flags: number[], sums: number[]): number {
    const upTo = (ms: number) => {
      const i = this.segmentOf(ms);
      return sums[i] + flags[i] * (ms - this.at[i]);
    };
    return Math.round((upTo(end) - upTo(start)) / MINUTE_MS);
  }

  /** The segment holding `ms`: at[i] <= ms < at[i + 1] (the last one also holds its end). */
  private segmentOf(ms: number): number {
    let lo = 0;
    let hi = this.at.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.at[mid] <= ms) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function validated(query: MeetingSlotQuery): {
  attendees: MeetingAttendee[];
  fromMs: number;
  toMs: number;
  durationMs: number;
  stepMs: number;
  maxResults: number;
} {
  const errors: FieldProblem[] = [];
  const problem = (field: string, message: string) => {
    const known = errors.find((e) => e.field === field);
    if (known) known.messages.push(message);
    else errors.push({ field, messages: [message] });
  };

  const attendees = Array.isArray(query.attendees) ? query.attendees : [];
  if (attendees.length === 0) problem('attendees', 'must list at least one attendee');
  if (attendees.length > MAX_MEETING_ATTENDEES) {
    problem('attendees', `must list at most ${MAX_MEETING_ATTENDEES} attendees`);
  }
  const ids = new Set<string>();
  const zones = new Set<string>();
  attendees.forEach((a, i) => {
    const field = (name: string) => `attendees[${i}].${name}`;
    if (typeof a !== 'object' || a === null) return problem(`attendees[${i}]`, 'must be an object');
    if (typeof a.id !== 'string' || a.id === '') problem(field('id'), 'must be a non-empty string');
    else if (ids.has(a.id)) problem(field('id'), 'must not repeat another attendee');
    else ids.add(a.id);
    if (typeof a.timeZone !== 'string' || !(zones.has(a.timeZone) || isValidTimeZone(a.timeZone))) {
      problem(field('timeZone'), 'must be an IANA time-zone name');
    } else zones.add(a.timeZone); // each zone is checked once: the check builds a formatter
    const hours = a.workingHours;
    for (const message of hours ? workingHoursProblems(hours) : ['is required']) {
      problem(field('workingHours'), message);
    }
    if (a.calendar !== undefined && !isCalendar(a.calendar)) {
      problem(field('calendar'), 'must list offDays and workingDays with YYYY-MM-DD dates');
    }
  });

  const instant = (value: Date, field: string): number => {
    const ms = value instanceof Date ? value.getTime() : NaN;
    if (!Number.isFinite(ms)) problem(field, 'must be a valid date');
    return ms;
  };
  const fromMs = instant(query.from, 'from');
  const toMs = instant(query.to, 'to');
  const rangeMs = toMs - fromMs;
  if (rangeMs <= 0) problem('to', 'must be after from');
  else if (rangeMs > MAX_MEETING_RANGE_DAYS * DAY_MS) {
    problem('to', `must be at most ${MAX_MEETING_RANGE_DAYS} days after from`);
  }

  const duration = query.durationMinutes;
  if (!Number.isInteger(duration) || duration < 1 || duration > MAX_MEETING_DURATION_MINUTES) {
    problem('durationMinutes', `must be a whole number from 1 to ${MAX_MEETING_DURATION_MINUTES}`);
  } else if (rangeMs > 0 && duration * MINUTE_MS > rangeMs) {
    problem('durationMinutes', 'must not be longer than the range from … to');
  }

  const step = query.stepMinutes ?? DEFAULT_MEETING_STEP_MINUTES;
  if (!Number.isInteger(step) || step < MIN_MEETING_STEP_MINUTES || 1440 % step !== 0) {
    problem(
      'stepMinutes',
      `must be a whole number of minutes from ${MIN_MEETING_STEP_MINUTES} that divides a day (e.g. 15, 30, 60)`,
    );
  }
  const maxResults = query.maxResults ?? DEFAULT_MEETING_RESULTS;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_MEETING_RESULTS) {
    problem('maxResults', `must be a whole number from 1 to ${MAX_MEETING_RESULTS}`);
  }

  if (errors.length > 0) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid meeting-time query', { errors });
  }
  return {
    attendees,
    fromMs,
    toMs,
    durationMs: duration * MINUTE_MS,
    stepMs: step * MINUTE_MS,
    maxResults,
  };
}

function isCalendar(value: WorkingCalendar): boolean {
  const days = (list: unknown) =>
    Array.isArray(list) &&
    list.every((d: { date?: unknown }) => typeof d?.date === 'string' && ISO_DATE.test(d.date));
  return (
    typeof value === 'object' && value !== null && days(value.offDays) && days(value.workingDays)
  );
}
