/**
 * Who may see and do what. Pure rules; the API's guard and services apply them.
 *
 * - `admin`: users, webhooks, templates and every partnership.
 * - `coordinator`: creates partnerships and acts on those they coordinate (a partnership may have
 *   several coordinators); reads those they observe.
 * - `observer`: reads the partnerships they are added to.
 * Partner contacts have no account: they act only through signed links bound to one approval.
 */
import type { Language } from './vocabulary';

export const USER_ROLES = ['admin', 'coordinator', 'observer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A user's part in one partnership. */
export const MEMBER_ROLES = ['coordinator', 'observer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** The authenticated caller, as the API's guard puts it on the request. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  /** The web app's language chosen by the user; null: the browser's. */
  language?: Language | null;
  /** The IANA zone of the user's weekly digest; null: the configured default. */
  timeZone?: string | null;
  /** Whether the user gets the weekly digest (coordinators). */
  weeklyDigest?: boolean;
  /** How the caller authenticated. */
  via: 'access-token' | 'api-token';
}

/** What a caller may do on one partnership: nothing (it is invisible: 404), read (403 on acts), act. */
export type PartnershipAccess = 'none' | 'read' | 'act';

export function partnershipAccess(
  user: Pick<AuthUser, 'role'>,
  membership: MemberRole | null,
): PartnershipAccess {
  if (user.role === 'admin') return 'act';
  if (membership === null) return 'none';
  if (user.role === 'coordinator' && membership === 'coordinator') return 'act';
  return 'read';
}
