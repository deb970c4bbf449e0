import type { ApprovalRequest } from './approvals';
import type { FieldProblem } from './errors';
import type { ContactProfile } from './follow-ups';
import type { EventDraft } from './lifecycle';
import type { PartnershipStatus } from './partnership';
import type { Language } from './vocabulary';
import type { WorkingHours } from './working-hours';

/*
 * What the rule book of changes to a running partnership reads and answers, shared by the
 * changes of its details (partnership-changes.ts) and of its partners (partner-changes.ts).
 */

/** What may change of a partner contact; at least one field. */
export interface ContactChanges {
  name?: string;
  email?: string;
  language?: Language;
  timeZone?: string;
  workingHours?: WorkingHours;
}

export const CONTACT_CHANGE_FIELDS = [
  'name',
  'email',
  'language',
  'timeZone',
  'workingHours',
] as const satisfies readonly (keyof ContactChanges)[];

/** What the rule book reads of the partnership. */
export interface ChangeablePartnership {
  status: PartnershipStatus;
  title: string;
  /** Absent where the workflow never carried them (the read model has them). */
  areas?: string[];
  coordinator: { name: string; email: string };
  organisationIds: string[];
  contactIds: string[];
  contactProfiles: Record<string, ContactProfile>;
  /** Contacts who no longer take part (deactivated; absent: none). */
  inactiveContactIds?: string[];
  /** The requests still open (a deactivated contact's pending ones go to a colleague). */
  approvals?: ApprovalRequest[];
}

/**
 * Why a change is refused: the API answers 409 (404 for an unknown contact, 400 for a field)
 * with the code, and nothing changes.
 */
export const CHANGE_REJECTION_CODES = [
  'PARTNERSHIP_CLOSED',
  'PARTNERSHIP_AGREED',
  'NOTHING_TO_CHANGE',
  'VALIDATION_FAILED',
  'CONTACT_NOT_FOUND',
  'ORGANISATION_NOT_IN_PARTNERSHIP',
  'TOO_FEW_ORGANISATIONS',
  'REASON_REQUIRED',
  'ORGANISATION_ALREADY_IN_PARTNERSHIP',
  'TOO_MANY_ORGANISATIONS',
  'CONTACT_INACTIVE',
  'LAST_ACTIVE_CONTACT',
  'CONTACT_HAS_PENDING_APPROVALS',
] as const;
export type ChangeRejectionCode = (typeof CHANGE_REJECTION_CODES)[number];

export type ChangeDecision =
  | { ok: true; events: EventDraft[] }
  | { ok: false; code: ChangeRejectionCode; message: string; problems: FieldProblem[] };
