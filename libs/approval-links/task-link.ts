import {
  isUuid,
  LinkFailure,
  parseRecord,
  signPayload,
  toSeconds,
  verifyPayload,
} from './signed-link';

/**
 * Signed, account-less task links (`GET /t/<token>`): a partner contact assigned a task marks it
 * done or says what blocks it. Same format, secret and rotation rules as approval links (see
 * ./signed-link.ts), under a signing domain of its own, so an approval token is never a task token.
 *
 * SECURITY — claims binding: a valid token only proves that *we* issued a link for
 * (partnershipId, taskId, contactId). Callers MUST check, against the task as recorded, that it is
 * that partnership's task and still assigned to that contact ({@link assertTaskBoundTo}).
 */

const SIGNING_DOMAIN = 'entente.task-link.v1.';
const TOKEN_VERSION = 1;
/** Template tasks are `<stage>.<key>`; a coordinator's own tasks have a UUID. */
const TEMPLATE_TASK_ID = /^[a-z][a-z0-9_]{0,63}\.[a-z][a-z0-9_]{0,63}$/;

/** How long a task link stays valid after it was sent (each overdue reminder sends a new one). */
export const TASK_LINK_DAYS = 14;

export interface TaskLinkClaims {
  partnershipId: string;
  taskId: string;
  contactId: string;
  expiresAt: Date;
}

export interface VerifiedTaskLinkClaims extends TaskLinkClaims {
  issuedAt: Date;
}

export type TaskLinkFailure = LinkFailure;

export type TaskLinkVerification =
  | { ok: true; claims: VerifiedTaskLinkClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' }
  /** Genuine, but too late: the claims say whom to tell (in their language), nothing more. */
  | { ok: false; reason: 'expired'; claims: VerifiedTaskLinkClaims };

interface Payload {
  v: typeof TOKEN_VERSION;
  p: string; // partnershipId
  t: string; // taskId
  c: string; // contactId
  exp: number;
  iat: number;
}

export function isTaskId(value: unknown): value is string {
  return typeof value === 'string' && (TEMPLATE_TASK_ID.test(value) || isUuid(value));
}

function parsePayload(bytes: Buffer): Payload | undefined {
  const record = parseRecord(bytes, ['v', 'p', 't', 'c', 'exp', 'iat']);
  if (!record || record.v !== TOKEN_VERSION) return undefined;
  if (!isUuid(record.p) || !isUuid(record.c) || !isTaskId(record.t)) return undefined;
  return record as unknown as Payload;
}

function claimsOf(payload: Payload): VerifiedTaskLinkClaims {
  return {
    partnershipId: payload.p,
    taskId: payload.t,
    contactId: payload.c,
    expiresAt: new Date(payload.exp * 1000),
    issuedAt: new Date(payload.iat * 1000),
  };
}

/** Signs a compact URL-safe task link token with `secret` (the current/first rotation key). */
export function signTaskLink(
  claims: TaskLinkClaims,
  secret: string,
  now: Date = new Date(),
): string {
  if (!isUuid(claims.partnershipId)) throw new TypeError('partnershipId must be a UUID');
  if (!isUuid(claims.contactId)) throw new TypeError('contactId must be a UUID');
  if (!isTaskId(claims.taskId)) throw new TypeError('taskId must be a task id');
  const payload: Payload = {
    v: TOKEN_VERSION,
    p: claims.partnershipId.toLowerCase(),
    // Template ids are lower-case already; a UUID is compared case-insensitively.
    t: isUuid(claims.taskId) ? claims.taskId.toLowerCase() : claims.taskId,
    c: claims.contactId.toLowerCase(),
    exp: toSeconds(claims.expiresAt, 'expiresAt'),
    iat: toSeconds(now, 'now'),
  };
  return signPayload(SIGNING_DOMAIN, payload, secret);
}

/**
 * Verifies a task link against one secret or a rotation list (any listed secret verifies).
 * A successful result does NOT authorise anything by itself — see {@link assertTaskBoundTo}.
 */
export function verifyTaskLink(
  token: string,
  secret: string | string[],
  now: Date = new Date(),
): TaskLinkVerification {
  const result = verifyPayload(SIGNING_DOMAIN, token, secret, now, parsePayload);
  if (result.ok) return { ok: true, claims: claimsOf(result.payload) };
  if (result.reason === 'expired') {
    return { ok: false, reason: 'expired', claims: claimsOf(result.payload) };
  }
  return { ok: false, reason: result.reason };
}

/** A task link's lifetime: `days` (default {@link TASK_LINK_DAYS}) from when it is sent. */
export function taskLinkExpiry(sentAt: Date, days = TASK_LINK_DAYS): Date {
  toSeconds(sentAt, 'sentAt');
  if (!Number.isFinite(days) || days <= 0) throw new RangeError('days must be a positive number');
  return new Date(sentAt.getTime() + days * 86_400_000);
}

/**
 * True only if verified claims name this partnership's task and the contact it is assigned to
 * now. Check against the task as recorded (the database or the workflow), never the request.
 */
export function assertTaskBoundTo(
  claims: Pick<TaskLinkClaims, 'partnershipId' | 'taskId' | 'contactId'>,
  task: { partnershipId: string; id: string; assigneeContactId: string | null },
): boolean {
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  return (
    typeof task.assigneeContactId === 'string' &&
    same(claims.partnershipId, task.partnershipId) &&
    same(claims.taskId, task.id) &&
    same(claims.contactId, task.assigneeContactId)
  );
}
