import { formatNumber } from '../format';
import { checkDate, checkPositiveInteger, compose, p, titles } from './layout';
import type { RenderedEmail } from './layout';
import { askedOf, requestBlocks } from './approval-request';
import type { ApprovalRequestEmailInput } from './approval-request';

export interface ReminderEmailInput extends ApprovalRequestEmailInput {
  /** 1 for the first reminder. */
  reminderNumber: number;
}

/** A further notice to an approver who has not decided yet. */
export function renderReminderEmail(input: ReminderEmailInput): RenderedEmail {
  checkDate('deadline', input.deadline);
  checkPositiveInteger('reminderNumber', input.reminderNumber);
  return compose(input, (language, m) => {
    const n = formatNumber(input.reminderNumber, language);
    return {
      language,
      subject: m.reminder.subject({ n, ...titles(input, language) }),
      blocks: requestBlocks(
        input,
        language,
        m,
        p(m.reminder.intro, { n, ...askedOf(input, language) }),
      ),
    };
  });
}
