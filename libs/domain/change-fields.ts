import type { FieldProblem } from './errors';
import type { ChangeDecision, ChangeRejectionCode, ContactChanges } from './change-types';
import { isLanguage, LANGUAGES } from './vocabulary';
import { isValidTimeZone, workingHoursProblems } from './working-hours';

/*
 * The rule book's field checks and refusals, shared by the changes of a partnership's details
 * (partnership-changes.ts) and of its partners (partner-changes.ts).
 */

export function refuse(
  code: ChangeRejectionCode,
  message: string,
  problems: FieldProblem[] = [],
): ChangeDecision {
  return { ok: false, code, message, problems };
}

export function invalidFields(problems: FieldProblem[]): ChangeDecision {
  return refuse(
    'VALIDATION_FAILED',
    problems.map((p) => `${p.field} ${p.messages.join(', ')}`).join('; '),
    problems,
  );
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function nameProblems(field: string, value: unknown): FieldProblem[] {
  return typeof value === 'string' && value.trim().length > 0 && value.trim().length <= 200
    ? []
    : [{ field, messages: ['must be 1 to 200 characters'] }];
}

export function emailProblems(field: string, value: unknown): FieldProblem[] {
  return typeof value === 'string' && EMAIL.test(value.trim()) && value.trim().length <= 320
    ? []
    : [{ field, messages: ['must be an e-mail address'] }];
}

/** The given fields' problems, each named `prefix` + field (`contact.email`, say). */
export function contactProblems(c: ContactChanges, prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (c.name !== undefined) problems.push(...nameProblems(`${prefix}name`, c.name));
  if (c.email !== undefined) problems.push(...emailProblems(`${prefix}email`, c.email));
  if (c.language !== undefined && !isLanguage(c.language)) {
    problems.push({
      field: `${prefix}language`,
      messages: [`must be one of ${LANGUAGES.join(', ')}`],
    });
  }
  if (
    c.timeZone !== undefined &&
    !(typeof c.timeZone === 'string' && isValidTimeZone(c.timeZone))
  ) {
    problems.push({ field: `${prefix}timeZone`, messages: ['must be an IANA time zone'] });
  }
  if (c.workingHours !== undefined) {
    const hours = workingHoursProblems(c.workingHours);
    if (hours.length > 0) problems.push({ field: `${prefix}workingHours`, messages: hours });
  }
  return problems;
}
