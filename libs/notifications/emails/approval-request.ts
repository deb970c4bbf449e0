import { formatDateTime } from '../format';
import { checkDate, compose, inLanguage, linkAndFooter, p, titles } from './layout';
import type { ApprovalEmailInput, RenderedEmail } from './layout';

export interface ApprovalRequestEmailInput extends ApprovalEmailInput {
  recipientName: string;
  requestedBy: string;
  deadline: Date;
}

/** First notice to an approver that a decision is requested. */
export function renderApprovalRequestEmail(input: ApprovalRequestEmailInput): RenderedEmail {
  checkDate('deadline', input.deadline);
  return compose(input, (language, m) => ({
    language,
    subject: m.approvalRequest.subject(titles(input, language)),
    blocks: [
      p(m.greeting, { name: input.recipientName }),
      p(m.approvalRequest.intro, {
        requestedBy: input.requestedBy,
        subject: inLanguage(input.subjectTitle, language),
        partnership: input.partnershipTitle,
      }),
      p(m.deadline, { deadline: formatDateTime(input.deadline, language, input.timeZone) }),
      ...linkAndFooter(m, m.approvalRequest.action(), input.link),
    ],
  }));
}
