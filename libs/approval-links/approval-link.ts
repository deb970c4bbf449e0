import { isUuid, linkFunctions, LinkKind, sameId, toSeconds, uuidClaim } from './signed-link';

/**
 * Signed, account-less approval links (`GET /a/<token>`), in the format of ./signed-link.ts.
 *
 * The payload names the approval request and the contact, and nothing more: the request says
 * which partnership it belongs to, so the partnership's id stays out of a link that anyone who
 * holds it can read.
 *
 * SECURITY — claims binding: a valid token only proves that *we* issued a link for
 * (approvalId, contactId). Callers MUST check that the claims match the approval being decided
 * and the contact recorded on it (use {@link assertBoundTo}) before acting; never trust an
 * approval id taken from the URL path, query or body instead of the claims.
 */

/** What an approval link names. */
interface ApprovalLinkIds {
  approvalId: string;
  contactId: string;
}

export interface ApprovalLinkClaims extends ApprovalLinkIds {
  expiresAt: Date;
}

/**
 * Version 2: `a` (approvalId), `c` (contactId). Version 1, signed until December 2026, also
 * carried the partnership id (`p`) and a purpose (`u`, always `decide`); links of that version
 * already in inboxes verify until they expire, and what they say beyond `a` and `c` is ignored.
 */
const APPROVAL_LINK: LinkKind<ApprovalLinkIds> = {
  domain: 'entente.approval-link.v1.',
  version: 2,
  shapes: {
    1: { required: ['a', 'c', 'p'], optional: ['u'] },
    2: { required: ['a', 'c'] },
  },
  write: (ids) => ({
    a: uuidClaim('approvalId', ids.approvalId),
    c: uuidClaim('contactId', ids.contactId),
  }),
  read: (r) => {
    if (!isUuid(r.a) || !isUuid(r.c)) return undefined;
    if (r.v === 1 && (!isUuid(r.p) || ('u' in r && r.u !== 'decide'))) return undefined;
    return { approvalId: r.a, contactId: r.c };
  },
};

/**
 * `signApprovalLink(claims, secret, now?)` signs a compact URL-safe approval link token with
 * `secret` (the current/first rotation key). `verifyApprovalLink(token, secret, now?)` verifies a
 * token against one secret or a rotation list (any listed secret verifies). A successful result
 * does NOT authorise a decision by itself — see {@link assertBoundTo}.
 */
export const { sign: signApprovalLink, verify: verifyApprovalLink } = linkFunctions(APPROVAL_LINK);

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
    sameId(claims.approvalId, expected.approvalId) &&
    sameId(claims.contactId, expected.contactId)
  );
}
