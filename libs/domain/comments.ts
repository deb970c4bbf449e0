import { endedRejection, type EventDraft } from './lifecycle';
import type { PartnershipStatus } from './partnership';

/** A comment is at most this long (characters). */
export const MAX_COMMENT_LENGTH = 4000;
/** Comment ids a run remembers, so that a retried comment is recorded once. */
export const REMEMBERED_COMMENTS = 200;

/** A comment as its author writes it: on the partnership, or on one of its tasks. */
export interface CommentInput {
  /** Chosen by the API (from the Idempotency-Key when there is one): a retry has the same. */
  commentId: string;
  text: string;
  taskId?: string;
}

/** What the rule book reads of the partnership. */
export interface Commentable {
  status: PartnershipStatus;
  tasks: { id: string; title: string; assigneeContactId: string | null; status: 'open' | 'done' }[];
  /** The contacts who take part (deactivated ones are not told). */
  contactIds: string[];
  /** The comments recorded lately (REMEMBERED_COMMENTS at most). */
  commentIds: string[];
}

/** Whom a comment is e-mailed to. */
export interface CommentRecipients {
  contactIds: string[];
  coordinator: boolean;
}

/** Who writes: the coordinator (or a user acting for them), or a partner contact from their page. */
export type CommentAuthor = { kind: 'coordinator' } | { kind: 'contact'; contactId: string };

export const COMMENT_REJECTION_CODES = [
  'PARTNERSHIP_CLOSED',
  'PARTNERSHIP_AGREED',
  'COMMENT_REQUIRED',
  'COMMENT_TOO_LONG',
  'TASK_NOT_FOUND',
  'CONTACT_NOT_FOUND',
] as const;
export type CommentRejectionCode = (typeof COMMENT_REJECTION_CODES)[number];

export type CommentDecision =
  | { ok: true; duplicate: false; event: EventDraft; notify: CommentRecipients }
  /** The same comment again (a retry): nothing more is recorded or sent. */
  | { ok: true; duplicate: true }
  | { ok: false; code: CommentRejectionCode; message: string };

/**
 * Decides a comment: the `comment.added` event and whom it is e-mailed to (`notify`), or why it
 * is refused. A coordinator's comment on a task with an assignee who takes part goes to the
 * assignee; otherwise to every contact who takes part. A partner contact's (who must take part)
 * goes to the coordinator. Pure: the workflow's validator and handler call it alike.
 */
export function decideComment(
  p: Commentable,
  input: CommentInput,
  author: CommentAuthor = { kind: 'coordinator' },
): CommentDecision {
  if (p.commentIds.includes(input.commentId)) return { ok: true, duplicate: true };
  const ended = endedRejection(p.status);
  if (ended) return { ok: false, code: ended.code as CommentRejectionCode, message: ended.message };
  const text = typeof input.text === 'string' ? input.text.trim() : '';
  if (text.length === 0) {
    return { ok: false, code: 'COMMENT_REQUIRED', message: 'Write the comment' };
  }
  if (text.length > MAX_COMMENT_LENGTH) {
    return {
      ok: false,
      code: 'COMMENT_TOO_LONG',
      message: `A comment has at most ${MAX_COMMENT_LENGTH} characters`,
    };
  }
  if (author.kind === 'contact' && !p.contactIds.includes(author.contactId)) {
    return {
      ok: false,
      code: 'CONTACT_NOT_FOUND',
      message: 'The contact does not take part in this partnership',
    };
  }
  const task = input.taskId === undefined ? undefined : p.tasks.find((t) => t.id === input.taskId);
  if (input.taskId !== undefined && !task) {
    return { ok: false, code: 'TASK_NOT_FOUND', message: `No task ${input.taskId}` };
  }
  const assignee =
    task?.assigneeContactId && p.contactIds.includes(task.assigneeContactId)
      ? task.assigneeContactId
      : undefined;
  return {
    ok: true,
    duplicate: false,
    event: {
      type: 'comment.added',
      payload: {
        commentId: input.commentId,
        text,
        ...(task ? { taskId: task.id, title: task.title } : {}),
      },
    },
    notify:
      author.kind === 'contact'
        ? { contactIds: [], coordinator: true }
        : { contactIds: assignee ? [assignee] : [...p.contactIds], coordinator: false },
  };
}

/** The remembered ids with `commentId` added, the oldest dropped beyond REMEMBERED_COMMENTS. */
export function rememberComment(commentIds: string[], commentId: string): string[] {
  return [...commentIds, commentId].slice(-REMEMBERED_COMMENTS);
}
