/**
 * The closure-day form's checks (Administration › Organisations), as the API makes them:
 * apps/api/src/organisations/closures.service.ts and closures.dto.ts.
 */
import { addProblem, textProblem, type Problems } from './validation';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
const DAYS_BACK = 366;
const DAYS_AHEAD = 3 * 366;

export interface Draft {
  date: string;
  name: string;
}

/** The dates the API takes: from a year back to three years ahead of today (UTC). */
export function closureDateRange(today = new Date()): { min: string; max: string } {
  const day = (offset: number) =>
    new Date(today.getTime() + offset * DAY_MS).toISOString().slice(0, 10);
  return { min: day(-DAYS_BACK), max: day(DAYS_AHEAD) };
}

export function draftProblems(d: Draft, today = new Date()): Problems {
  const out: Problems = {};
  const { min, max } = closureDateRange(today);
  if (!ISO_DATE.test(d.date)) addProblem(out, 'date', { key: 'validation.required' });
  else if (d.date < min || d.date > max) {
    addProblem(out, 'date', { key: 'validation.dateRange', values: { min, max } });
  }
  addProblem(out, 'name', textProblem(d.name, { max: 100 }));
  return out;
}
