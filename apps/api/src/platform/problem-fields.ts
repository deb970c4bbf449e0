import type { FieldProblem } from '@libs/domain';

/**
 * The rule book's problems ("maxReminders must be at most 20") as field problems. `fieldOf` maps
 * a problem's first word (the field it names) to the request's field name, or undefined when the
 * problem is about the request as a whole.
 */
export function problemFields(
  problems: unknown,
  fieldOf: (head: string) => string | undefined,
): FieldProblem[] {
  const byField = new Map<string, string[]>();
  for (const problem of Array.isArray(problems) ? problems : []) {
    if (typeof problem !== 'string') continue;
    const head = problem.split(' ')[0];
    const field = (/^[A-Za-z][\w.]*$/.test(head) && fieldOf(head)) || '(body)';
    byField.set(field, [...(byField.get(field) ?? []), problem]);
  }
  return [...byField].map(([field, messages]) => ({ field, messages }));
}
