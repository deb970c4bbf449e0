/**
 * A coordinator's comment on the partnership or one of its tasks (POST /partnerships/:id/comments):
 * its draft, its checks (the rule book's, libs/domain/comments.ts), who it is e-mailed to, and the
 * Idempotency-Key each attempt goes with. Pure: unit tested in test/web/comment-form.spec.ts.
 */
import type { components } from '../api/schema';
import { MAX_COMMENT_LENGTH } from '../../../libs/domain/comments';
import { addProblem, type Problems } from './validation';

type PartnershipView = components['schemas']['PartnershipView'];
type Contact = components['schemas']['ContactView'];
type Organisation = components['schemas']['OrganisationView'];
type Task = components['schemas']['TaskView'];

export type AddCommentBody = components['schemas']['AddCommentDto'];

export interface CommentDraft {
  /** The task it is on; '' for the partnership as a whole. */
  taskId: string;
  text: string;
}

/**
 * The rule book's checks, in the words of its codes (the same as when the API refuses): blank,
 * or over MAX_COMMENT_LENGTH once trimmed, counted as the rule book counts (UTF-16 units).
 */
export function commentProblems(d: CommentDraft): Problems {
  const out: Problems = {};
  const text = d.text.trim();
  if (!text) addProblem(out, 'text', { key: 'errors.COMMENT_REQUIRED' });
  else if (text.length > MAX_COMMENT_LENGTH)
    addProblem(out, 'text', { key: 'errors.COMMENT_TOO_LONG' });
  return out;
}

export function commentBody(d: CommentDraft): AddCommentBody {
  return { text: d.text.trim(), ...(d.taskId ? { taskId: d.taskId } : {}) };
}

/** One submission attempt: the key it is sent with, and what it sends. */
export interface CommentAttempt {
  key: string;
  body: AddCommentBody;
}

/**
 * The attempt to send `body` with: the last one again when it sends the same (a retry after a
 * lost answer or a refusal is recorded once), else a new key. Only the same text on the same
 * subject may reuse a key: the API records a key's first comment and answers `recorded: false`
 * to any other sent with it, so an edited text under an old key would be lost.
 */
export function attemptFor(
  last: CommentAttempt | undefined,
  body: AddCommentBody,
  freshKey: () => string,
): CommentAttempt {
  if (last && last.body.text === body.text && last.body.taskId === body.taskId) return last;
  return { key: freshKey(), body };
}

export interface Recipient {
  contact: Contact;
  organisation: Organisation;
}

/**
 * Whom the comment is e-mailed to, as the rule book decides: a task's assignee who takes part;
 * otherwise (the partnership, or a task nobody taking part has) every contact who takes part.
 */
export type CommentRecipients =
  | { kind: 'assignee'; assignee: Recipient }
  | { kind: 'everyone'; contacts: Recipient[]; taskWithoutAssignee: boolean };

export function commentRecipients(
  p: Pick<PartnershipView, 'organisations'>,
  task: Pick<Task, 'assigneeContactId'> | undefined,
): CommentRecipients {
  const active: Recipient[] = p.organisations.flatMap((organisation) =>
    organisation.contacts.filter((c) => c.active).map((contact) => ({ contact, organisation })),
  );
  const assignee = task?.assigneeContactId
    ? active.find((r) => r.contact.id === task.assigneeContactId)
    : undefined;
  if (assignee) return { kind: 'assignee', assignee };
  return { kind: 'everyone', contacts: active, taskWithoutAssignee: task !== undefined };
}
