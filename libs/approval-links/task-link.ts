import {
  daysAfter,
  isUuid,
  linkFunctions,
  LinkKind,
  sameId,
  uuidClaim,
  VerifiedClaims,
} from './signed-link';

/**
 * Signed, account-less task links (`GET /t/<token>`): a partner contact assigned a task marks it
 * done or says what blocks it. Same format, secret and rotation rules as approval links (see
 * ./signed-link.ts), under a signing domain of its own, so an approval token is never a task token.
 * The partnership's id is part of what the link names: a template task's id (`<stage>.<key>`) is
 * the same in every partnership.
 *
 * SECURITY — claims binding: a valid token only proves that *we* issued a link for
 * (partnershipId, taskId, contactId). Callers MUST check, against the task as recorded, that it is
 * that partnership's task and still assigned to that contact ({@link assertTaskBoundTo}).
 */

/** Template tasks are `<stage>.<key>`; a coordinator's own tasks have a UUID. */
const TEMPLATE_TASK_ID = /^[a-z][a-z0-9_]{0,63}\.[a-z][a-z0-9_]{0,63}$/;

/** How long a task link stays valid after it was sent (each overdue reminder sends a new one). */
export const TASK_LINK_DAYS = 14;

/** What a task link names. */
interface TaskLinkIds {
  partnershipId: string;
  taskId: string;
  contactId: string;
}

export interface TaskLinkClaims extends TaskLinkIds {
  expiresAt: Date;
}

export type VerifiedTaskLinkClaims = VerifiedClaims<TaskLinkIds>;

export function isTaskId(value: unknown): value is string {
  return typeof value === 'string' && (TEMPLATE_TASK_ID.test(value) || isUuid(value));
}

/** Version 1: `p` (partnershipId), `t` (taskId), `c` (contactId). */
const TASK_LINK: LinkKind<TaskLinkIds> = {
  domain: 'entente.task-link.v1.',
  version: 1,
  shapes: { 1: { required: ['p', 't', 'c'] } },
  write: (ids) => {
    if (!isTaskId(ids.taskId)) throw new TypeError('taskId must be a task id');
    return {
      p: uuidClaim('partnershipId', ids.partnershipId),
      // Template ids are lower-case already; a UUID is compared case-insensitively.
      t: isUuid(ids.taskId) ? ids.taskId.toLowerCase() : ids.taskId,
      c: uuidClaim('contactId', ids.contactId),
    };
  },
  read: (r) =>
    isUuid(r.p) && isUuid(r.c) && isTaskId(r.t)
      ? { partnershipId: r.p, taskId: r.t, contactId: r.c }
      : undefined,
};

/**
 * `signTaskLink(claims, secret, now?)` signs a compact URL-safe task link token with `secret` (the
 * current/first rotation key). `verifyTaskLink(token, secret, now?)` verifies a task link against
 * one secret or a rotation list (any listed secret verifies). A successful result does NOT
 * authorise anything by itself — see {@link assertTaskBoundTo}.
 */
export const { sign: signTaskLink, verify: verifyTaskLink } = linkFunctions(TASK_LINK);

/** A task link's lifetime: `days` (default {@link TASK_LINK_DAYS}) from when it is sent. */
export function taskLinkExpiry(sentAt: Date, days = TASK_LINK_DAYS): Date {
  return daysAfter(sentAt, days);
}

/**
 * True only if verified claims name this partnership's task and the contact it is assigned to
 * now. Check against the task as recorded (the database or the workflow), never the request.
 */
export function assertTaskBoundTo(
  claims: Pick<TaskLinkClaims, 'partnershipId' | 'taskId' | 'contactId'>,
  task: { partnershipId: string; id: string; assigneeContactId: string | null },
): boolean {
  return (
    typeof task.assigneeContactId === 'string' &&
    sameId(claims.partnershipId, task.partnershipId) &&
    sameId(claims.taskId, task.id) &&
    sameId(claims.contactId, task.assigneeContactId)
  );
}
