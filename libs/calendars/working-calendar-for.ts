/**
 * Builds an organisation's working calendar, the snapshot the reminder rule in libs/domain reads,
 * from maintained data:
 * - China (CN): the State Council's arrangement of holidays and adjusted working days (调休), from
 *   `chinese-days` (its shipped JSON; no network).
 * - Every other country `date-holidays` knows: its holidays of type 'public' (days offices close;
 *   'bank', 'school', 'optional' and 'observance' days are working days), nationally and, when
 *   the organisation's region maps to one of the country's states, regionally.
 * - The organisation's own closures, passed in.
 *
 * Node-side only (activities, API): workflows take the result, never this module.
 */
import Holidays, { HolidaysTypes } from 'date-holidays';
import chineseDays from 'chinese-days/dist/chinese-days.json';
import { CalendarDay, DomainError, ErrorCode, LANGUAGES, WorkingCalendar } from '../domain';

export interface OrganisationCalendarSource {
  /** ISO 3166-1 alpha-2, as organisations store it. */
  country: string;
  /** Free text as organisations store it ("Valencian Community", "VC", "ES-VC"), or null. */
  region: string | null;
  /** The organisation's own days off. */
  closures?: readonly Closure[];
}

export interface Closure {
  date: string; // "2026-08-14"
  name: string;
}

/** A snapshot longer than this is a mistake: planning never looks that far ahead. */
export const MAX_CALENDAR_SPAN_DAYS = 1_100;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The working calendar of an organisation from `fromDate` to `toDate` (local dates, both
 * included). A country without data (unknown to both packages) gives its closures only, so its
 * contacts keep their weekly hours; a region that maps to no state gives the national holidays.
 * A closure on an adjusted working day wins: the organisation is closed.
 */
export function workingCalendarFor(
  source: OrganisationCalendarSource,
  fromDate: string,
  toDate: string,
): WorkingCalendar {
  const from = parseDate(fromDate, 'fromDate');
  const to = parseDate(toDate, 'toDate');
  const span = (to - from) / DAY_MS;
  if (span < 0 || span >= MAX_CALENDAR_SPAN_DAYS) {
    throw invalid('toDate', `must be on or after fromDate, within ${MAX_CALENDAR_SPAN_DAYS} days`);
  }
  const inSpan = (d: CalendarDay) => d.date >= fromDate && d.date <= toDate;
  const country = source.country.trim().toUpperCase();
  const years = range(Number(fromDate.slice(0, 4)), Number(toDate.slice(0, 4)));

  const data =
    country === 'CN' ? chinaDays() : publicHolidays(country, source.region, years, from, to);
  const closures = (source.closures ?? []).map(closureDay).filter(inSpan);
  const closed = new Set(closures.map((c) => c.date));
  const offDays = dedupe([...data.offDays.filter(inSpan), ...closures]);
  const workingDays = data.workingDays.filter((d) => inSpan(d) && !closed.has(d.date));
  return { offDays, workingDays };
}

/**
 * Common spellings of a region the data names otherwise (normalised, as `normalise` gives them):
 * the Spanish name of the Valencian Community, where the data has the Valencian and English ones.
 */
const REGION_ALIASES: Record<string, Record<string, string>> = {
  ES: { 'comunidad valenciana': 'VC', 'pais valencia': 'VC' },
};

/**
 * The date-holidays state code of a free-text region: the code itself ("VC"), its ISO 3166-2 form
 * ("ES-VC"), or the state's name as date-holidays spells it in one of the app's languages or the
 * country's ("Valencian Community", "Comunitat Valenciana"), ignoring case and accents; failing
 * those, a name of which the region is a whole word ("Madrid" → "Comunidad de Madrid") when only
 * one state matches. Undefined when none does.
 */
export function holidayStateCode(country: string, region: string | null): string | undefined {
  if (!region || !region.trim()) return undefined;
  const code = country.trim().toUpperCase();
  const states = stateNames(code);
  const wanted = normalise(region);
  const alias = REGION_ALIASES[code]?.[wanted];
  if (alias) return alias;
  for (const [state, names] of states) if (names.has(wanted)) return state;
  const byWord = [...states].filter(([, names]) =>
    [...names].some((name) => ` ${name} `.includes(` ${wanted} `)),
  );
  return byWord.length === 1 ? byWord[0][0] : undefined;
}

const stateNamesByCountry = new Map<string, Map<string, Set<string>>>();

/** Each state's codes and names (normalised) in the app's languages and the country's. */
function stateNames(country: string): Map<string, Set<string>> {
  const cached = stateNamesByCountry.get(country);
  if (cached) return cached;
  const states = new Map<string, Set<string>>();
  const holidays = new Holidays(country);
  const languages = [...new Set([...LANGUAGES, ...holidays.getLanguages()])];
  for (const state of Object.keys(holidays.getStates(country) ?? {})) {
    const names = new Set([normalise(state), normalise(`${country}-${state}`)]);
    for (const language of languages) {
      const name = holidays.getStates(country, language)?.[state];
      if (name) names.add(normalise(name));
    }
    states.set(state, names);
  }
  stateNamesByCountry.set(country, states);
  return states;
}

/** The years for which the installed `chinese-days` has China's arrangement. */
export function chinaArrangementYears(): number[] {
  const years = new Set(Object.keys(chineseDays.holidays).map((d) => Number(d.slice(0, 4))));
  return [...years].sort((a, b) => a - b);
}

/**
 * The last date the official holiday data of a country covers, or null when there is no end: a
 * country whose holidays date-holidays computes from rules (any year), or one neither package
 * knows. China's arrangement is published a year at a time, so its data ends with the last year
 * the installed `chinese-days` has; after that only the weekly hours count until it is updated
 * (docs/calendars.md, "Updating the data each year").
 */
export function holidayDataThrough(country: string): string | null {
  if (country.trim().toUpperCase() !== 'CN') return null;
  const last = chinaArrangementYears().at(-1);
  return last === undefined ? null : `${last}-12-31`;
}

// ---------------------------------------------------------------------------------------------

function chinaDays(): WorkingCalendar {
  // Entries read "Spring Festival,春节,4": English name, Chinese name, the holiday's number.
  const chineseName = (entry: string) => entry.split(',')[1] ?? entry;
  return {
    offDays: Object.entries(chineseDays.holidays).map(([date, entry]) => ({
      date,
      name: chineseName(entry),
      kind: 'public_holiday',
    })),
    workingDays: Object.entries(chineseDays.workdays).map(([date, entry]) => ({
      date,
      name: `${chineseName(entry)}补班`,
      kind: 'adjusted_working_day',
    })),
  };
}

function publicHolidays(
  country: string,
  region: string | null,
  years: number[],
  from: number,
  to: number,
): WorkingCalendar {
  const options: HolidaysTypes.Options = { types: ['public'] };
  const national = new Holidays(country, options);
  const state = holidayStateCode(country, region);
  const regional = state ? new Holidays(country, state, options) : national;
  const nationalDates = new Set(years.flatMap((y) => national.getHolidays(y)).flatMap(datesOf));
  const offDays = years
    .flatMap((y) => regional.getHolidays(y))
    .flatMap((h) =>
      datesOf(h).map((date): CalendarDay => ({
        date,
        name: h.name,
        kind: nationalDates.has(date) ? 'public_holiday' : 'regional_holiday',
      })),
    )
    .filter((d) => {
      const ms = Date.parse(`${d.date}T00:00:00Z`);
      return ms >= from && ms <= to;
    });
  return { offDays, workingDays: [] };
}

/** The local dates a holiday covers: its first, and one more for each further whole day. */
function datesOf(holiday: HolidaysTypes.Holiday): string[] {
  const first = holiday.date.slice(0, 10);
  const days = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
  const start = Date.parse(`${first}T00:00:00Z`);
  return range(0, days - 1).map((k) => new Date(start + k * DAY_MS).toISOString().slice(0, 10));
}

function closureDay(closure: Closure, index: number): CalendarDay {
  parseDate(closure.date, `closures[${index}].date`);
  if (typeof closure.name !== 'string' || !closure.name.trim()) {
    throw invalid(`closures[${index}].name`, 'must be a non-empty text');
  }
  return { date: closure.date, name: closure.name.trim(), kind: 'closure' };
}

/** One entry per date, the first given (a public holiday before a closure on it), by date. */
function dedupe(days: CalendarDay[]): CalendarDay[] {
  const byDate = new Map<string, CalendarDay>();
  for (const day of days) if (!byDate.has(day.date)) byDate.set(day.date, day);
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

function parseDate(value: string, field: string): number {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  const ms = match ? Date.UTC(+match[1], +match[2] - 1, +match[3]) : NaN;
  if (!match || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw invalid(field, 'must be a date YYYY-MM-DD');
  }
  return ms;
}

function invalid(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, `${field} ${message}`, {
    errors: [{ field, messages: [message] }],
  });
}

function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^\p{Letter}\p{Number}]+/gu, ' ')
    .trim();
}

function range(first: number, last: number): number[] {
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, k) => first + k);
}
