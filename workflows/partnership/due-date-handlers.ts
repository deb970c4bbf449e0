import { dueDatesOnEntry, type Stage } from '../../libs/domain';
import type { EventDraft, PartnershipRun } from './partnership-run';

/**
 * Template due offsets become due dates when the partnership enters a stage (at creation for the
 * first one, on an advance or a send-back, and for tasks a template move adds to the current
 * stage), counted in the coordinator's zone and calendar. Runs that started before it carry no
 * offsets (`dueOffsets` absent) and set none.
 */
export const DUE_DATES_PATCH = 'template-due-dates';

/** Sets the due dates of `stage`'s template tasks entered at `enteredAt`; their events. */
export function setDueDatesOnEntry(
  run: PartnershipRun,
  stage: Stage,
  enteredAt: string,
): EventDraft[] {
  const { state } = run;
  if (!state.dueOffsets) return [];
  const due = dueDatesOnEntry(
    state.tasks,
    state.dueOffsets,
    stage,
    enteredAt,
    run.policy().coordinator.timeZone,
    state.coordinatorCalendar,
  );
  if (due.length === 0) return [];
  const byId = new Map(due.map((d) => [d.taskId, d.dueDate]));
  state.tasks = state.tasks.map((t) => (byId.has(t.id) ? { ...t, dueDate: byId.get(t.id)! } : t));
  return due.map((d) => ({
    type: 'task.due_date_set',
    payload: { taskId: d.taskId, dueDate: d.dueDate },
  }));
}
