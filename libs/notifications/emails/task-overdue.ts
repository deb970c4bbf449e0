import { formatCalendarDate, formatNumber } from '../format';
import { checkPositiveInteger, compose, inLanguage, linkAndFooter, oneLine, p } from './layout';
import type { BaseEmailInput, Localized, RenderedEmail } from './layout';

/** Reminds a task's assignee (a partner contact) that the task is overdue. */
export interface TaskOverdueEmailInput extends BaseEmailInput {
  /** The assignee. */
  recipientName: string;
  /** The task's title, per language for a template task that was not renamed. */
  taskTitle: Localized;
  /** Calendar date the task was due, YYYY-MM-DD; shown as a date without time or zone. */
  dueDate: string;
  /** 1 for the first overdue reminder. */
  reminderNumber: number;
  /** Who coordinates the partnership, named as the person to contact. */
  coordinatorName: string;
}

/** Reminds a task's assignee that the task is past its due date. */
export function renderTaskOverdueEmail(input: TaskOverdueEmailInput): RenderedEmail {
  checkPositiveInteger('reminderNumber', input.reminderNumber);
  formatCalendarDate(input.dueDate, 'en'); // validates before anything is rendered
  return compose(input, (language, m) => {
    const n = formatNumber(input.reminderNumber, language);
    return {
      language,
      subject: m.taskOverdue.subject({
        n,
        task: oneLine(inLanguage(input.taskTitle, language)),
        partnership: oneLine(input.partnershipTitle),
      }),
      blocks: [
        p(m.greeting, { name: input.recipientName }),
        p(m.taskOverdue.intro, {
          task: inLanguage(input.taskTitle, language),
          partnership: input.partnershipTitle,
          dueDate: formatCalendarDate(input.dueDate, language),
        }),
        p(m.taskOverdue.reminder, { n }),
        p(m.taskOverdue.coordinator, { coordinator: input.coordinatorName }),
        ...linkAndFooter(m, m.taskOverdue.action(), input.link),
      ],
    };
  });
}
