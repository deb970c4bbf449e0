import { escapeHtml, formatDateTime, MESSAGES } from '@libs/notifications';
import type { Messages } from '@libs/notifications';
import type { Language } from '@libs/domain';
import { renderCommentForm } from './partner-comment';
import { alertNotice, messagePageOf, partnerPage } from './partner-page';

/** The approval page's words (the catalog's: libs/notifications/messages/). */
export type ApprovalPageWords = Messages['approvalPage'];

export function words(language: Language): ApprovalPageWords {
  return MESSAGES[language].approvalPage;
}

/** A request's or a decision's status in the reader's words; undefined for one it has no word for. */
export function outcomeWord(w: ApprovalPageWords, outcome: string): string | undefined {
  return Object.hasOwn(w.outcomes, outcome)
    ? w.outcomes[outcome as keyof ApprovalPageWords['outcomes']]()
    : undefined;
}

export interface ApprovalPageInput {
  language: Language;
  contactName: string;
  partnershipTitle: string;
  subjectTitle: string;
  subjectLink?: string;
  requestedBy: string;
  deadline: Date;
  timeZone: string;
  formAction: string;
  /** Who coordinates the partnership: the comment form names them as its reader. */
  coordinatorName: string;
  /** Names the comment the comment form sends (default: a fresh one), so that twice is once. */
  commentNonce?: string;
  notice?: string;
}

/**
 * The page a partner contact sees: what to approve, two buttons, and a comment for the
 * coordinator (a question before answering, say). Works without JavaScript.
 */
export function renderApprovalPage(input: ApprovalPageInput): string {
  const w = words(input.language);
  const link = input.subjectLink
    ? `<br><a href="${escapeHtml(input.subjectLink)}" rel="noopener noreferrer">${escapeHtml(input.subjectLink)}</a>`
    : '';
  const body = `<p>${escapeHtml(w.intro({ name: input.contactName }))}</p>
${alertNotice(input.notice)}
<section class="card" aria-label="${escapeHtml(w.subject())}">
<dl>
<dt>${escapeHtml(w.partnership())}</dt><dd>${escapeHtml(input.partnershipTitle)}</dd>
<dt>${escapeHtml(w.subject())}</dt><dd>${escapeHtml(input.subjectTitle)}${link}</dd>
<dt>${escapeHtml(w.requestedBy())}</dt><dd>${escapeHtml(input.requestedBy)}</dd>
<dt>${escapeHtml(w.deadline())}</dt><dd>${escapeHtml(formatDateTime(input.deadline, input.language, input.timeZone))}</dd>
</dl>
</section>
<form method="post" action="${escapeHtml(input.formAction)}" class="card">
<label for="comment">${escapeHtml(w.comment())}</label>
<span class="hint" id="comment-hint">${escapeHtml(w.commentHint())}</span>
<textarea id="comment" name="comment" maxlength="2000" aria-describedby="comment-hint"></textarea>
<div class="actions">
<button type="submit" name="decision" value="approve">${escapeHtml(w.approve())}</button>
<button type="submit" name="decision" value="reject" class="danger">${escapeHtml(w.reject())}</button>
</div>
</form>
${renderCommentForm(input.language, input.formAction, input.coordinatorName, input.commentNonce)}`;
  return partnerPage(input.language, w.title(), body);
}

/** A short page with one message (thanks, already decided, invalid or expired link). */
export const renderMessagePage = messagePageOf(words);
