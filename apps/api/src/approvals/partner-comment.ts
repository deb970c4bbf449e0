import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import type { ContactEntity } from '@libs/db';
import { contactActor, isUuid, MAX_COMMENT_LENGTH } from '@libs/domain';
import type { Language } from '@libs/domain';
import { escapeHtml, MESSAGES } from '@libs/notifications';
import { addCommentUpdate } from '@workflows/partnership/partnership.contract';
import { PartnershipUpdatesService } from '../partnerships/partnership-updates.service';
import { formText, PartnerForm } from './partner-link.controller';

/*
 * The comment form the partner pages share (/a/:token, /t/:token): a partner contact's comment
 * for the coordinator, recorded by the partnership's workflow and e-mailed to the coordinator.
 */

/** Comment ids from a form's nonce: the same form sent twice is one comment. */
const COMMENT_NAMESPACE = 'b3f1c0de-7a2e-4f5b-9c1d-2e8a6f4b0c37';

export type PartnerCommentWords = (typeof MESSAGES)['en']['partnerComment'];

export function partnerCommentWords(language: Language): PartnerCommentWords {
  return MESSAGES[language].partnerComment;
}

/** The form, with a fresh nonce naming the comment it sends. */
export function renderCommentForm(
  language: Language,
  formAction: string,
  coordinatorName: string,
  nonce: string = randomUUID(),
): string {
  const w = partnerCommentWords(language);
  const e = escapeHtml;
  return `<form method="post" action="${e(formAction)}" class="card" aria-labelledby="comment-heading">
<h2 id="comment-heading">${e(w.heading())}</h2>
<input type="hidden" name="action" value="comment">
<input type="hidden" name="nonce" value="${e(nonce)}">
<label for="comment-text">${e(w.label())}</label>
<span class="hint" id="comment-hint">${e(w.hint({ coordinator: coordinatorName }))}</span>
<textarea id="comment-text" name="text" maxlength="${MAX_COMMENT_LENGTH}" required aria-describedby="comment-hint"></textarea>
<div class="actions"><button type="submit" class="secondary">${e(w.send())}</button></div>
</form>`;
}

/** Whether a submitted form is the comment form. */
export function isCommentForm(form: PartnerForm): boolean {
  return form?.action === 'comment';
}

/**
 * The comment a form sends: its text (a textarea's CRLF line breaks counted as one, as the
 * page's maxlength does) and its id, or what is wrong with it.
 */
export function commentOf(
  form: PartnerForm,
  scope: { partnershipId: string; contactId: string },
): { ok: true; commentId: string; text: string } | { ok: false; problem: 'required' | 'tooLong' } {
  const text = (formText(form, 'text') ?? '').replace(/\r\n/g, '\n');
  if (text.trim().length === 0) return { ok: false, problem: 'required' };
  if (text.trim().length > MAX_COMMENT_LENGTH) return { ok: false, problem: 'tooLong' };
  const nonce = formText(form, 'nonce', 36);
  const commentId =
    nonce && isUuid(nonce)
      ? uuidv5(
          `partner-comments:${scope.partnershipId}:${scope.contactId}:${nonce}`,
          COMMENT_NAMESPACE,
        )
      : randomUUID();
  return { ok: true, commentId, text };
}

/** Records a partner contact's comment through the partnership's workflow; refusals as DomainErrors. */
@Injectable()
export class PartnerCommentsService {
  constructor(private readonly updates: PartnershipUpdatesService) {}

  async record(
    partnershipId: string,
    contact: ContactEntity,
    comment: { commentId: string; text: string; taskId?: string },
  ): Promise<void> {
    await this.updates.execute(
      partnershipId,
      addCommentUpdate,
      { actor: contactActor(contact), ...comment },
      { blockers: [] },
    );
  }
}
