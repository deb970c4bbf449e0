/**
 * Client-side checks that mirror the API's DTO rules, and the placing of the API's own `errors`
 * list on the fields of a form. Pure functions (no DOM, no React): the rules are unit tested in
 * test/web/form-rules.spec.ts.
 */
import { isValidTimeZone } from '../../../libs/domain/working-hours';
import type en from '../i18n/en';

/**
 * A form's own message, or the words of an API refusal for a rule the client checks just as the
 * API does (a blank comment reads the same whichever of the two refuses it).
 */
export type ValidationKey =
  `validation.${keyof typeof en.validation}` | `errors.${keyof typeof en.errors}`;

/** One message for one field, translated when shown: `t(key, values)`. */
export interface Problem {
  key: ValidationKey;
  values?: Record<string, string | number>;
}

/** Problems by field path, in the API's normalised form: `organisations.0.contacts.1.email`. */
export type Problems = Record<string, Problem[]>;

export function addProblem(problems: Problems, path: string, problem: Problem | undefined): void {
  if (!problem) return;
  (problems[path] ??= []).push(problem);
}

/** Characters as the API's length rules count them (code points, not UTF-16 units). */
export function charCount(value: string): number {
  return [...value].length;
}

/** A text field: required (non-blank) or optional, with the DTO's length bounds. */
export function textProblem(
  value: string,
  { min = 1, max, required = true }: { min?: number; max: number; required?: boolean },
): Problem | undefined {
  const trimmed = value.trim();
  if (!trimmed) return required ? { key: 'validation.required' } : undefined;
  const length = charCount(trimmed);
  if (length < min) return { key: 'validation.tooShort', values: { min } };
  if (charCount(value) > max) return { key: 'validation.tooLong', values: { max } };
  return undefined;
}

/**
 * Close to class-validator's IsEmail: one @, no spaces, a dotted domain whose last label is at
 * least two letters. The API has the last word; its refusal lands on the same field.
 */
const EMAIL = /^[^\s@]{1,64}@([^\s@.]+\.)+[^\s@.\d]{2,}$/u;

export function emailProblem(value: string, required = true): Problem | undefined {
  const trimmed = value.trim();
  if (!trimmed) return required ? { key: 'validation.required' } : undefined;
  if (!EMAIL.test(trimmed)) return { key: 'validation.email' };
  if (charCount(trimmed) > 320) return { key: 'validation.tooLong', values: { max: 320 } };
  return undefined;
}

/** 24-hour HH:MM, as WorkingHoursDto wants it. */
export const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** The API's rule (libs/domain isValidTimeZone): UTC, or an Area/Location name this runtime knows. */
export function timeZoneProblem(value: string): Problem | undefined {
  if (!value.trim()) return { key: 'validation.required' };
  return isValidTimeZone(value.trim()) ? undefined : { key: 'validation.timeZone' };
}

/** A whole number in [min, max]; '' is allowed when the field is optional. */
export function integerProblem(
  value: string,
  min: number,
  max: number,
  required: boolean,
): Problem | undefined {
  const trimmed = value.trim();
  if (!trimmed) return required ? { key: 'validation.required' } : undefined;
  if (!/^\d+$/.test(trimmed)) return { key: 'validation.number', values: { min, max } };
  const n = Number(trimmed);
  return n < min || n > max ? { key: 'validation.number', values: { min, max } } : undefined;
}

/** An http(s) URL, as the webhook DTO's IsUrl (protocol required, no TLD needed). */
export function urlProblem(value: string): Problem | undefined {
  const trimmed = value.trim();
  if (!trimmed) return { key: 'validation.required' };
  if (charCount(trimmed) > 2048) return { key: 'validation.tooLong', values: { max: 2048 } };
  try {
    const url = new URL(trimmed);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname) return undefined;
  } catch {
    // not a URL
  }
  return { key: 'validation.url' };
}

/** The API's password rule (libs/auth passwordProblems): 12 to 256 characters after NFKC. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export function passwordProblem(value: string, required = true): Problem | undefined {
  if (!value) return required ? { key: 'validation.required' } : undefined;
  const length = charCount(value.normalize('NFKC'));
  if (length < PASSWORD_MIN) return { key: 'validation.tooShort', values: { min: PASSWORD_MIN } };
  if (length > PASSWORD_MAX) return { key: 'validation.tooLong', values: { max: PASSWORD_MAX } };
  return undefined;
}

// ----- The API's errors on a form's fields -----

/** One refusal of the API for one field, kept with the value the field had when it was sent. */
export interface ServerProblem {
  path: string;
  messages: string[];
  /** JSON of the form's value at `path` when sent: the message goes once the user changes it. */
  sent: string;
}

/** The value at a dotted path (`organisations.0.name`) of a form's state, or undefined. */
export function valueAt(state: unknown, path: string): unknown {
  let node: unknown = state;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export function snapshot(state: unknown, path: string): string {
  return JSON.stringify(valueAt(state, path) ?? null);
}

/**
 * Puts each field error of the API on the nearest field or group the form shows: the path
 * itself, else its closest shown ancestor (`organisations.0.contacts.1.workingHours` → the
 * contact's working-hours group if shown, else the contact, else the organisation). What no
 * field can show (`(body)`, a header) is returned apart, for the form's summary.
 */
export function placeServerErrors(
  errors: Record<string, string[]>,
  shown: (path: string) => boolean,
  state: unknown,
  aliases: Record<string, string> = {},
): { placed: ServerProblem[]; unplaced: string[] } {
  const placed: ServerProblem[] = [];
  const unplaced: string[] = [];
  for (const [field, messages] of Object.entries(errors)) {
    let path: string | undefined = aliasOf(field, aliases);
    while (path !== undefined && !shown(path)) {
      const cut = path.lastIndexOf('.');
      path = cut > 0 ? path.slice(0, cut) : undefined;
    }
    if (path === undefined) unplaced.push(...messages);
    else placed.push({ path, messages, sent: snapshot(state, path) });
  }
  return { placed, unplaced };
}

/**
 * A path whose last part names another field of the form: `…workingHours` (start before end)
 * → `…workingHours.end`. Aliases match by suffix.
 */
function aliasOf(field: string, aliases: Record<string, string>): string {
  for (const [suffix, replacement] of Object.entries(aliases)) {
    if (field === suffix || field.endsWith(`.${suffix}`)) {
      return field.slice(0, field.length - suffix.length) + replacement;
    }
  }
  return field;
}

/** The API's messages still standing for a field: those whose value has not changed since. */
export function standingServerMessages(
  server: ServerProblem[],
  path: string,
  state: unknown,
): string[] {
  return server
    .filter((s) => s.path === path && s.sent === snapshot(state, path))
    .flatMap((s) => s.messages);
}
