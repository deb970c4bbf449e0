import {
  isUuid,
  LinkFailure,
  parseRecord,
  signPayload,
  toSeconds,
  verifyPayload,
} from './signed-link';

/**
 * Signed, account-less approval links (`GET /a/<token>`), in the format of ./signed-link.ts.
 *
 * SECURITY — claims binding: a valid token only proves that *we* issued a link for
 * (approvalId, contactId). Callers MUST check that the claims match the approval being decided
 * and the contact recorded on it (use {@link assertBoundTo}) before acting; never trust an
 * approval id taken from the URL path, query or body instead of the claims.
 */

const SIGNING_DOMAIN = 'entente.approval-link.v1.';
const TOKEN_VERSION = 1;

export type ApprovalLinkPurpose = 'decide';

export interface ApprovalLinkClaims {
  approvalId: string;
  contactId: string;
  partnershipId: string;
  expiresAt: Date;
  purpose?: ApprovalLinkPurpose;
}

export interface VerifiedApprovalLinkClaims extends ApprovalLinkClaims {
  issuedAt: Date;
}

export type ApprovalLinkFailure = LinkFailure;

export type ApprovalLinkVerification =
  | { ok: true; claims: VerifiedApprovalLinkClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' }
  /** Genuine, but too late: the claims say whom to tell (in their language), nothing more. */
  | { ok: false; reason: 'expired'; claims: VerifiedApprovalLinkClaims };

/** Wire payload with short keys to keep links compact. */
interface Payload {
  v: typeof TOKEN_VERSION;
  a: string; // approvalId
  c: string; // contactId
  p: string; // partnershipId
  exp: number; // seconds since epoch
  iat: number; // seconds since epoch
  u?: ApprovalLinkPurpose;
}

function parsePayload(bytes: Buffer): Payload | undefined {
  const record = parseRecord(bytes, ['v', 'a', 'c', 'p', 'exp', 'iat'], ['u']);
  if (!record || record.v !== TOKEN_VERSION) return undefined;
  if (!isUuid(record.a) || !isUuid(record.c) || !isUuid(record.p)) return undefined;
  if ('u' in record && record.u !== 'decide') return undefined;
  return record as unknown as Payload;
}

function claimsOf(payload: Payload): VerifiedApprovalLinkClaims {
  return {
    approvalId: payload.a,
    contactId: payload.c,
    partnershipId: payload.p,
    expiresAt: new Date(payload.exp * 1000),
    issuedAt: new Date(payload.iat * 1000),
    ...(payload.u ? { purpose: payload.u } : {}),
  };
}

/** Signs a compact URL-safe approval link token with `secret` (the current/first rotation key). */
export function signApprovalLink(
  claims: ApprovalLinkClaims,
  secret: string,
  now: Date = new Date(),
): string {
  for (const [name, id] of [
    ['approvalId', claims.approvalId],
    ['contactId', claims.contactId],
    ['partnershipId', claims.partnershipId],
  ] as const) {
    if (!isUuid(id)) throw new TypeError(`${name} must be a UUID`);
  }
  if (claims.purpose !== undefined && claims.purpose !== 'decide') {
    throw new TypeError('purpose must be "decide"');
  }
  const payload: Payload = {
    v: TOKEN_VERSION,
    a: claims.approvalId.toLowerCase(),
    c: claims.contactId.toLowerCase(),
    p: claims.partnershipId.toLowerCase(),
    exp: toSeconds(claims.expiresAt, 'expiresAt'),
    iat: toSeconds(now, 'now'),
    ...(claims.purpose ? { u: claims.purpose } : {}),
  };
  return signPayload(SIGNING_DOMAIN, payload, secret);
}

/**
 * Verifies a token against one secret or a rotation list (any listed secret verifies).
 * A successful result does NOT authorise a decision by itself — see {@link assertBoundTo}.
 */
export function verifyApprovalLink(
  token: string,
  secret: string | string[],
  now: Date = new Date(),
): ApprovalLinkVerification {
  const result = verifyPayload(SIGNING_DOMAIN, token, secret, now, parsePayload);
  if (result.ok) return { ok: true, claims: claimsOf(result.payload) };
  if (result.reason === 'expired') {
    return { ok: false, reason: 'expired', claims: claimsOf(result.payload) };
  }
  return { ok: false, reason: result.reason };
}

/** Link lifetime: the approval deadline plus a grace period (default 72h). */
export function approvalLinkExpiry(deadline: Date, graceHours = 72): Date {
  toSeconds(deadline, 'deadline');
  if (!Number.isFinite(graceHours) || graceHours < 0) {
    throw new RangeError('graceHours must be a non-negative number');
  }
  return new Date(deadline.getTime() + graceHours * 3_600_000);
}

/**
 * True only if verified claims are bound to this approval and this contact. Callers MUST check
 * this (against ids loaded from the database, not from the request) before recording a decision.
 */
export function assertBoundTo(
  claims: Pick<ApprovalLinkClaims, 'approvalId' | 'contactId'>,
  expected: { approvalId: string; contactId: string },
): boolean {
  return (
    typeof expected.approvalId === 'string' &&
    typeof expected.contactId === 'string' &&
    claims.approvalId.toLowerCase() === expected.approvalId.toLowerCase() &&
    claims.contactId.toLowerCase() === expected.contactId.toLowerCase()
  );
}
