import {
  isUuid,
  linkFunctions,
  LinkKind,
  toSeconds,
  uuidClaim,
  VerifiedClaims,
} from './signed-link';

/**
 * Signed, account-less event links (`GET /e/<token>`): a partner contact invited to an event of a
 * partnership accepts or declines it. Same format, secret and rotation rules as approval links
 * (./signed-link.ts), under a signing domain of its own, so no other token is an event token.
 *
 * SECURITY — claims binding: a valid token only proves that *we* issued a link for (eventId,
 * contactId). Callers MUST check, against the event as recorded, that the contact is one of its
 * attendees (the event workflow refuses an answer from anyone else).
 */
interface EventLinkIds {
  eventId: string;
  contactId: string;
}

export interface EventLinkClaims extends EventLinkIds {
  expiresAt: Date;
}

export type VerifiedEventLinkClaims = VerifiedClaims<EventLinkIds>;

/** Version 1: `e` (eventId), `c` (contactId). */
const EVENT_LINK: LinkKind<EventLinkIds> = {
  domain: 'entente.event-link.v1.',
  version: 1,
  shapes: { 1: { required: ['e', 'c'] } },
  write: (ids) => ({
    e: uuidClaim('eventId', ids.eventId),
    c: uuidClaim('contactId', ids.contactId),
  }),
  read: (r) => (isUuid(r.e) && isUuid(r.c) ? { eventId: r.e, contactId: r.c } : undefined),
};

export const { sign: signEventLink, verify: verifyEventLink } = linkFunctions(EVENT_LINK);

/** An event link is valid until the event ends: answers make no sense after it. */
export function eventLinkExpiry(end: Date): Date {
  toSeconds(end, 'end');
  return end;
}
