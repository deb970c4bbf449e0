import type { Task, TemplateTask } from './lifecycle';
import type { Stage } from './partnership';
import { EMPTY_CALENDAR, isWorkingDate, type WorkingCalendar } from './working-calendar';
import { addDays, isoDate, localParts } from './zoned-time';

/**
 * Due dates from a stage template's due offsets: a template task with `dueOffsetDays` is due that
 * many working days after the partnership enters its stage, counted in the coordinator's zone,
 * working week (Monday to Friday) and calendar. Pure, so the workflow can apply it on replay.
 */

/** Monday to Friday: the coordinator's working week (they have no hours of their own). */
export const COORDINATOR_WEEKDAYS: readonly number[] = [1, 2, 3, 4, 5];

/**
 * The date `workingDays` working days after the local date of `from` in `timeZone` (the day
 * itself does not count; 0: that day). Holidays and closures of `calendar` do not count; its
 * adjusted working days do.
 */
export function dueDateAfter(
  from: string,
  workingDays: number,
  timeZone: string,
  calendar: WorkingCalendar = EMPTY_CALENDAR,
  weekdays: readonly number[] = COORDINATOR_WEEKDAYS,
): string {
  const local = localParts(Date.parse(from), timeZone);
  let date = { year: local.year, month: local.month, day: local.day };
  let left = Math.max(0, Math.floor(workingDays));
  // A week with no working day would never end: count calendar days then.
  const anyDay = weekdays.length === 0;
  for (let guard = 0; left > 0 && guard < 3_660; guard += 1) {
    const next = addDays(date, 1);
    date = { year: next.year, month: next.month, day: next.day };
    if (anyDay || isWorkingDate(isoDate(date), next.isoWeekday, weekdays, calendar)) left -= 1;
  }
  return isoDate(date);
}

/** The due offsets of a template's tasks, by task id (tasks without one are left out). */
export function dueOffsetsOf(tasks: readonly TemplateTask[]): Record<string, number> {
  return Object.fromEntries(
    tasks
      .filter((t) => typeof t.dueOffsetDays === 'number')
      .map((t) => [`${t.stage}.${t.key}`, t.dueOffsetDays as number]),
  );
}

/**
 * The due dates a stage's template tasks take when the partnership enters it at `enteredAt`:
 * open template tasks of the stage with a due offset (`offsets`, by task id) and no due date yet
 * (a date a coordinator set, or one from an earlier visit, stays).
 */
export function dueDatesOnEntry(
  tasks: readonly Task[],
  offsets: Readonly<Record<string, number>>,
  stage: Stage,
  enteredAt: string,
  timeZone: string,
  calendar?: WorkingCalendar,
): { taskId: string; dueDate: string }[] {
  return tasks
    .filter(
      (t) =>
        t.stage === stage &&
        t.source === 'template' &&
        t.status === 'open' &&
        t.dueDate === null &&
        offsets[t.id] !== undefined,
    )
    .map((t) => ({
      taskId: t.id,
      dueDate: dueDateAfter(enteredAt, offsets[t.id], timeZone, calendar),
    }));
}
