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
  /**
   * The comments recorded lately (REMEMBERED_COMMENTS at most), each as `<id>:<digest>`
   * (`rememberComment`): a retry is known by its id, another comment under its id by the digest.
   */
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
  'IDEMPOTENCY_KEY_REUSED',
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
  const known = p.commentIds.find((k) => k.startsWith(`${input.commentId}:`));
  if (known !== undefined) {
    return known === rememberedAs(input)
      ? { ok: true, duplicate: true }
      : {
          ok: false,
          code: 'IDEMPOTENCY_KEY_REUSED',
          message: 'This Idempotency-Key was already used with another comment',
        };
  }
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

/** The remembered comments with this one added, the oldest dropped beyond REMEMBERED_COMMENTS. */
export function rememberComment(commentIds: string[], input: CommentInput): string[] {
  return [...commentIds, rememberedAs(input)].slice(-REMEMBERED_COMMENTS);
}

/** A comment as remembered: its id and a digest of what it says and where (FNV-1a, 32 bits). */
function rememberedAs(input: CommentInput): string {
  const said = `${input.taskId ?? ''}\n${typeof input.text === 'string' ? input.text.trim() : ''}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < said.length; i += 1) {
    hash ^= said.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${input.commentId}:${hash.toString(16)}`;
}
