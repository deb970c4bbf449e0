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
 * Signed, account-less knowledge-sharing links (`GET /k/<token>`): a partner contact writes their
 * organisation's contribution to each topic. Same format, secret and rotation rules as approval
 * and task links (./signed-link.ts), under a signing domain of its own.
 *
 * SECURITY — claims binding: a valid token only proves that *we* issued a link for
 * (partnershipId, contactId). Callers MUST check that the contact is, as recorded now, a contact
 * of a partner organisation of that partnership ({@link assertKnowledgeBoundTo}); the
 * organisation the contribution is for is that contact's, never one the request names.
 */

/** How long a knowledge link stays valid after it was sent. */
export const KNOWLEDGE_LINK_DAYS = 30;

interface KnowledgeLinkIds {
  partnershipId: string;
  contactId: string;
}

export type VerifiedKnowledgeLinkClaims = VerifiedClaims<KnowledgeLinkIds>;

/** Version 1: `p` (partnershipId), `c` (contactId). */
const KNOWLEDGE_LINK: LinkKind<KnowledgeLinkIds> = {
  domain: 'entente.knowledge-link.v1.',
  version: 1,
  shapes: { 1: { required: ['p', 'c'] } },
  write: (ids) => ({
    p: uuidClaim('partnershipId', ids.partnershipId),
    c: uuidClaim('contactId', ids.contactId),
  }),
  read: (r) => (isUuid(r.p) && isUuid(r.c) ? { partnershipId: r.p, contactId: r.c } : undefined),
};

export const { sign: signKnowledgeLink, verify: verifyKnowledgeLink } =
  linkFunctions(KNOWLEDGE_LINK);

/** A knowledge link's lifetime: `days` (default {@link KNOWLEDGE_LINK_DAYS}) from when it is sent. */
export function knowledgeLinkExpiry(sentAt: Date, days = KNOWLEDGE_LINK_DAYS): Date {
  return daysAfter(sentAt, days);
}

/**
 * True only if verified claims name this partnership and a contact that belongs, as recorded
 * now, to one of its partner organisations; the answer is that organisation's id.
 */
export function assertKnowledgeBoundTo(
  claims: Pick<VerifiedKnowledgeLinkClaims, 'partnershipId' | 'contactId'>,
  partnership: { id: string; organisations: { id: string; contactIds: string[] }[] },
): string | undefined {
  if (!sameId(claims.partnershipId, partnership.id)) return undefined;
  return partnership.organisations.find((o) =>
    o.contactIds.some((c) => sameId(c, claims.contactId)),
  )?.id;
}
