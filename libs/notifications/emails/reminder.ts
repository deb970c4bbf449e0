import { formatDateTime, formatNumber } from '../format';
import {
  checkDate,
  checkPositiveInteger,
  compose,
  inLanguage,
  linkAndFooter,
  p,
  titles,
} from './layout';
import type { RenderedEmail } from './layout';
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
      blocks: [
        p(m.greeting, { name: input.recipientName }),
        p(m.reminder.intro, {
          n,
          requestedBy: input.requestedBy,
          subject: inLanguage(input.subjectTitle, language),
          partnership: input.partnershipTitle,
        }),
        p(m.deadline, { deadline: formatDateTime(input.deadline, language, input.timeZone) }),
        // The same action as the request's: the reminder leads to the same page.
        ...linkAndFooter(m, m.approvalRequest.action(), input.link),
      ],
    };
  });
}
