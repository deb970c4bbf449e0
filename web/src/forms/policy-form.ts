/**
 * A follow-up policy as a form edits it, its checks (the DTO's bounds in
 * apps/api/src/partnerships/follow-up-policy.dto.ts and libs/domain followUpPolicyProblems), and
 * the patch it sends. Used by the create form (every field may stay empty: the server's default)
 * and by the partnership page's policy editor (every field has its current value).
 */
import type { components } from '../api/schema';
import type { Language } from '../../../libs/domain/vocabulary';
import { isCountryCode } from './places';
import {
  addProblem,
  integerProblem,
  textProblem,
  timeZoneProblem,
  type Problem,
  type Problems,
} from './validation';

export type FollowUpPolicy = components['schemas']['FollowUpPolicyView'];
export type FollowUpPolicyPatch = components['schemas']['FollowUpPolicyPatchDto'];

/** libs/domain: MAX_FOLLOW_UP_WORKING_MINUTES, MIN_REPEAT_MINUTES, MAX_REMINDERS. */
export const POLICY_LIMITS = {
  maxWorkingMinutes: 54_000,
  minRepeatMinutes: 30,
  maxReminders: 20,
  /** The DTO allows 365, the policy rule book (followUpPolicyProblems) 100: the stricter wins. */
  maxStalledDays: 100,
} as const;

/** '' keeps the default (create form only). */
export type Switch = '' | 'on' | 'off';
export type DurationUnit = 'minutes' | 'hours';
export interface DurationDraft {
  amount: string;
  unit: DurationUnit;
}

export interface PolicyDraft {
  approvals: {
    firstAfterWorkingMinutes: DurationDraft;
    repeatEveryWorkingMinutes: DurationDraft;
    maxReminders: string;
    escalate: Switch;
  };
  overdueTasks: { enabled: Switch; repeatEveryWorkingMinutes: DurationDraft; maxReminders: string };
  stalledStage: { enabled: Switch; afterWorkingDays: string; maxReminders: string };
  /** Where the coordinator works (country code, region): their holidays. */
  coordinator: { timeZone: string; language: Language | ''; country: string; region: string };
  bilingualEmails: Switch;
}

const noDuration = (): DurationDraft => ({ amount: '', unit: 'hours' });

/** Every field empty: what is left empty keeps the server's configured default. */
export function emptyPolicyDraft(): PolicyDraft {
  return {
    approvals: {
      firstAfterWorkingMinutes: noDuration(),
      repeatEveryWorkingMinutes: noDuration(),
      maxReminders: '',
      escalate: '',
    },
    overdueTasks: { enabled: '', repeatEveryWorkingMinutes: noDuration(), maxReminders: '' },
    stalledStage: { enabled: '', afterWorkingDays: '', maxReminders: '' },
    coordinator: { timeZone: '', language: '', country: '', region: '' },
    bilingualEmails: '',
  };
}

/** Whole hours when the minutes divide, else minutes. */
export function durationDraft(minutes: number): DurationDraft {
  return minutes % 60 === 0
    ? { amount: String(minutes / 60), unit: 'hours' }
    : { amount: String(minutes), unit: 'minutes' };
}

const switchOf = (value: boolean): Switch => (value ? 'on' : 'off');

export function draftFromPolicy(p: FollowUpPolicy): PolicyDraft {
  return {
    approvals: {
      firstAfterWorkingMinutes: durationDraft(p.approvals.firstAfterWorkingMinutes),
      repeatEveryWorkingMinutes: durationDraft(p.approvals.repeatEveryWorkingMinutes),
      maxReminders: String(p.approvals.maxReminders),
      escalate: switchOf(p.approvals.escalate),
    },
    overdueTasks: {
      enabled: switchOf(p.overdueTasks.enabled),
      repeatEveryWorkingMinutes: durationDraft(p.overdueTasks.repeatEveryWorkingMinutes),
      maxReminders: String(p.overdueTasks.maxReminders),
    },
    stalledStage: {
      enabled: switchOf(p.stalledStage.enabled),
      afterWorkingDays: String(p.stalledStage.afterWorkingDays),
      maxReminders: String(p.stalledStage.maxReminders),
    },
    coordinator: {
      timeZone: p.coordinator.timeZone,
      language: p.coordinator.language,
      country: p.coordinator.country ?? '',
      region: p.coordinator.region ?? '',
    },
    bilingualEmails: switchOf(p.bilingualEmails),
  };
}

/** Minutes of a duration field; undefined when empty or not a whole number of minutes. */
export function minutesOf(d: DurationDraft): number | undefined {
  const amount = d.amount.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(amount)) return undefined;
  const minutes = Number(amount) * (d.unit === 'hours' ? 60 : 1);
  // 1.5 hours is 90 minutes; 0.01 hours is no whole minute (float noise aside).
  return Math.abs(minutes - Math.round(minutes)) < 1e-9 ? Math.round(minutes) : undefined;
}

function durationProblem(d: DurationDraft, min: number, required: boolean): Problem | undefined {
  if (!d.amount.trim()) return required ? { key: 'validation.required' } : undefined;
  const minutes = minutesOf(d);
  const range: Problem = {
    key: 'validation.workingTime',
    values: { min, maxHours: POLICY_LIMITS.maxWorkingMinutes / 60 },
  };
  if (minutes === undefined) return range;
  return minutes < min || minutes > POLICY_LIMITS.maxWorkingMinutes ? range : undefined;
}

/**
 * The policy's problems by field path, each path under `prefix` (`followUpPolicy.` in the create
 * body, '' for the policy route), as the API names them.
 */
export function policyProblems(
  d: PolicyDraft,
  prefix: string,
  required: boolean,
  current?: FollowUpPolicy,
): Problems {
  const out: Problems = {};
  const at = (path: string, problem: Problem | undefined): void =>
    addProblem(out, `${prefix}${path}`, problem);
  const { maxReminders, minRepeatMinutes, maxStalledDays } = POLICY_LIMITS;
  at(
    'approvals.firstAfterWorkingMinutes',
    durationProblem(d.approvals.firstAfterWorkingMinutes, 1, required),
  );
  at(
    'approvals.repeatEveryWorkingMinutes',
    durationProblem(d.approvals.repeatEveryWorkingMinutes, minRepeatMinutes, required),
  );
  at('approvals.maxReminders', integerProblem(d.approvals.maxReminders, 1, maxReminders, required));
  at(
    'overdueTasks.repeatEveryWorkingMinutes',
    durationProblem(d.overdueTasks.repeatEveryWorkingMinutes, minRepeatMinutes, required),
  );
  at(
    'overdueTasks.maxReminders',
    integerProblem(d.overdueTasks.maxReminders, 1, maxReminders, required),
  );
  at(
    'stalledStage.afterWorkingDays',
    integerProblem(d.stalledStage.afterWorkingDays, 1, maxStalledDays, required),
  );
  at(
    'stalledStage.maxReminders',
    integerProblem(d.stalledStage.maxReminders, 1, maxReminders, required),
  );
  if (required || d.coordinator.timeZone.trim()) {
    at('coordinator.timeZone', timeZoneProblem(d.coordinator.timeZone));
  }
  if (required && !d.coordinator.language)
    at('coordinator.language', { key: 'validation.required' });
  if (d.coordinator.country.trim() && !isCountryCode(d.coordinator.country.trim().toUpperCase()))
    at('coordinator.country', { key: 'validation.country' });
  // A country can be changed, not removed (docs/api.md).
  if (!d.coordinator.country.trim() && current?.coordinator.country)
    at('coordinator.country', { key: 'validation.countryKept' });
  at('coordinator.region', textProblem(d.coordinator.region, { max: 200, required: false }));
  return out;
}

/** The parts of a policy that are objects of fields. */
type Part = 'approvals' | 'overdueTasks' | 'stalledStage' | 'coordinator';

/**
 * The patch the draft describes: only the fields given and, when `current` is known, only those
 * that differ from it. Undefined when nothing is to change. Assumes `policyProblems` passed.
 */
export function policyPatch(
  d: PolicyDraft,
  current?: FollowUpPolicy,
): FollowUpPolicyPatch | undefined {
  const changed = <T>(value: T | undefined, now: T | undefined): T | undefined =>
    value === undefined || (current !== undefined && value === now) ? undefined : value;
  const int = (s: string): number | undefined => (s.trim() ? Number(s.trim()) : undefined);
  const bool = (s: Switch): boolean | undefined => (s === '' ? undefined : s === 'on');
  const text = <T extends string>(s: T | ''): T | undefined => (s.trim() as T) || undefined;
  /** One part of the patch: each field read from the draft with its parser, kept if it changes. */
  const part = <K extends Part>(
    key: K,
    parsers: { [F in keyof PolicyDraft[K]]: (draft: PolicyDraft[K][F]) => unknown },
  ): FollowUpPolicyPatch[K] =>
    compact(
      Object.fromEntries(
        (Object.keys(parsers) as (keyof PolicyDraft[K])[]).map((field) => [
          field,
          changed(
            parsers[field](d[key][field]),
            (current?.[key] as Record<keyof PolicyDraft[K], unknown> | undefined)?.[field],
          ),
        ]),
      ),
    ) as FollowUpPolicyPatch[K];
  const patch: FollowUpPolicyPatch = {
    approvals: part('approvals', {
      firstAfterWorkingMinutes: minutesOf,
      repeatEveryWorkingMinutes: minutesOf,
      maxReminders: int,
      escalate: bool,
    }),
    overdueTasks: part('overdueTasks', {
      enabled: bool,
      repeatEveryWorkingMinutes: minutesOf,
      maxReminders: int,
    }),
    stalledStage: part('stalledStage', { enabled: bool, afterWorkingDays: int, maxReminders: int }),
    coordinator: part('coordinator', {
      timeZone: text,
      language: text,
      country: (c: string) => text(c.toUpperCase()),
      // Emptied: sent as "" to clear a region the policy has; else left out.
      region: (r: string) => r.trim() || (current?.coordinator.region ? '' : undefined),
    }),
    bilingualEmails: changed(bool(d.bilingualEmails), current?.bilingualEmails),
  };
  return compact(patch);
}

/** The object without its undefined fields; undefined when none is left. */
function compact<T extends object>(value: T): T | undefined {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length > 0 ? (Object.fromEntries(entries) as T) : undefined;
}
