import type { Language } from '../../domain/vocabulary';
import { formatDateTime } from '../format';
import type { Messages } from '../messages';
import { checkDate, compose, inLanguage, linkAndFooter, p, titles } from './layout';
import type { ApprovalEmailInput, Block, RenderedEmail } from './layout';

export interface ApprovalRequestEmailInput extends ApprovalEmailInput {
  recipientName: string;
  requestedBy: string;
  deadline: Date;
}

/** Who asks the approver to decide what, in which partnership: the intro's placeholders. */
export function askedOf(
  input: ApprovalRequestEmailInput,
  language: Language,
): { requestedBy: string; subject: string; partnership: string } {
  return {
    requestedBy: input.requestedBy,
    subject: inLanguage(input.subjectTitle, language),
    partnership: input.partnershipTitle,
  };
}

/**
 * The body of a request to an approver (the first notice or a reminder): the greeting, its
 * `intro`, the deadline in the approver's zone, and the link to the page that decides.
 */
export function requestBlocks(
  input: ApprovalRequestEmailInput,
  language: Language,
  m: Messages,
  intro: Block,
): Block[] {
  return [
    p(m.greeting, { name: input.recipientName }),
    intro,
    p(m.deadline, { deadline: formatDateTime(input.deadline, language, input.timeZone) }),
    // A reminder names the same action as the request: it leads to the same page.
    ...linkAndFooter(m, m.approvalRequest.action(), input.link),
  ];
}

/** First notice to an approver that a decision is requested. */
export function renderApprovalRequestEmail(input: ApprovalRequestEmailInput): RenderedEmail {
  checkDate('deadline', input.deadline);
  return compose(input, (language, m) => ({
    language,
    subject: m.approvalRequest.subject(titles(input, language)),
    blocks: requestBlocks(input, language, m, p(m.approvalRequest.intro, askedOf(input, language))),
  }));
}
