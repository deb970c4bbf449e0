import type { Language } from '@libs/domain';
import { escapeHtml, formatCalendarDate, MESSAGES } from '@libs/notifications';
import type { Messages } from '@libs/notifications';
import { renderCommentForm } from './partner-comment';
import { alertNotice, messagePageOf, partnerPage } from './partner-page';

/** The task page's words (the catalog's: libs/notifications/messages/). */
export type TaskPageWords = Messages['taskPage'];

export function taskWords(language: Language): TaskPageWords {
  return MESSAGES[language].taskPage;
}

export interface TaskPageInput {
  language: Language;
  contactName: string;
  partnershipTitle: string;
  /** The task's title and stage name, already in the reader's language. */
  taskTitle: string;
  stageName: string;
  /** YYYY-MM-DD, or null. */
  dueDate: string | null;
  coordinator: { name: string; email: string };
  formAction: string;
  /** Names the comment the comment form sends (default: a fresh one), so that twice is once. */
  commentNonce?: string;
  notice?: string;
}

/**
 * What the task is, and three forms: done (with a comment), blocked (what blocks it), and a
 * comment for the coordinator.
 */
export function renderTaskPage(input: TaskPageInput): string {
  const w = taskWords(input.language);
  const e = escapeHtml;
  const due = input.dueDate
    ? `<dt>${e(w.dueDate())}</dt><dd>${e(formatCalendarDate(input.dueDate, input.language))}</dd>`
    : '';
  const action = e(input.formAction);
  const body = `<p>${e(w.intro({ name: input.contactName }))}</p>
${alertNotice(input.notice)}
<section class="card" aria-label="${e(w.task())}">
<dl>
<dt>${e(w.task())}</dt><dd>${e(input.taskTitle)}</dd>
<dt>${e(w.partnership())}</dt><dd>${e(input.partnershipTitle)}</dd>
<dt>${e(w.stage())}</dt><dd>${e(input.stageName)}</dd>
${due}
<dt>${e(w.coordinator())}</dt><dd><a href="mailto:${e(encodeURI(input.coordinator.email))}">${e(input.coordinator.name)}</a></dd>
</dl>
</section>
<form method="post" action="${action}" class="card" aria-labelledby="done-heading">
<h2 id="done-heading">${e(w.doneHeading())}</h2>
<input type="hidden" name="action" value="done">
<label for="done-comment">${e(w.doneComment())}</label>
<span class="hint" id="done-hint">${e(w.doneHint())}</span>
<textarea id="done-comment" name="comment" maxlength="2000" aria-describedby="done-hint"></textarea>
<div class="actions"><button type="submit">${e(w.done())}</button></div>
</form>
<form method="post" action="${action}" class="card" aria-labelledby="blocked-heading">
<h2 id="blocked-heading">${e(w.blockedHeading())}</h2>
<input type="hidden" name="action" value="blocked">
<label for="blocked-reason">${e(w.blockedReason())}</label>
<span class="hint" id="blocked-hint">${e(w.blockedHint())}</span>
<textarea id="blocked-reason" name="reason" maxlength="2000" required aria-describedby="blocked-hint"></textarea>
<div class="actions"><button type="submit" class="secondary">${e(w.blocked())}</button></div>
</form>
${renderCommentForm(input.language, input.formAction, input.coordinator.name, input.commentNonce)}`;
  return partnerPage(input.language, w.title(), body);
}

/** One message (thanks, already done, ended, invalid or expired link) in the task page's frame. */
export const renderTaskMessagePage = messagePageOf(taskWords);
