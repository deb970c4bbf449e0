import { renderAwaitingEmail } from './awaiting';
import type { AwaitingEmailInput } from './awaiting';
import type { RenderedEmail } from './layout';

/** `awaiting`: who had not answered when the request expired; `deadline`: when it expired. */
export type ApprovalExpiredEmailInput = AwaitingEmailInput;

/** Tells the coordinator that a request expired before every approver had answered. */
export function renderApprovalExpiredEmail(input: ApprovalExpiredEmailInput): RenderedEmail {
  return renderAwaitingEmail(input, 'approver who had not answered', (m) => ({
    ...m.approvalExpired,
    names: m.approvalExpired.unanswered,
  }));
}
