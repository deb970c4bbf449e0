import { delegateApproval, releaseApprover, type ApprovalRequest } from './approvals';
import { contactProblems, invalidFields, nameProblems, refuse } from './change-fields';
import type { FieldProblem } from './errors';
import type { ContactProfile } from './follow-ups';
import { ORGANISATION_KINDS, type OrganisationKind } from './partnership';
import type { ChangeablePartnership, ChangeDecision } from './change-types';
import type { Language } from './vocabulary';
import type { WorkingCalendar } from './working-calendar';
import type { WorkingHours } from './working-hours';

/** A partner contact as a partnership takes it: new, or an organisation's own. */
export interface PartnerContactInput {
  id: string;
  name: string;
  email: string;
  role: string | null;
  language: Language;
  timeZone: string;
  workingHours: WorkingHours;
}

/** A partner organisation as a partnership takes it: given inline (`isNew`), or existing. */
export interface PartnerOrganisationInput {
  id: string;
  /** True when the organisation was given inline and must be recorded with the partnership. */
  isNew: boolean;
  name: string;
  region: string | null;
  country: string;
  kind: OrganisationKind;
  /** Its contacts: the new ones given, or all an existing organisation has. */
  contacts: PartnerContactInput[];
}

/**
 * A change to who takes part: an organisation joins, a contact joins an organisation of the
 * partnership, a contact stops (or starts again) taking part. Decided by `decidePartnerChange`.
 */
export type PartnerChange =
  | {
      kind: 'addOrganisation';
      organisation: PartnerOrganisationInput;
      /** The organisation's working calendar, a snapshot (absent: its weekly hours alone). */
      calendar?: WorkingCalendar;
      /**
       * Names the request under an Idempotency-Key (derived from it), kept on the
       * `organisation.added` event: a retry finds what the key added, another body is refused.
       */
      requestId?: string;
    }
  | {
      kind: 'addContact';
      organisationId: string;
      organisationName?: string;
      contact: PartnerContactInput;
    }
  | {
      kind: 'deactivateContact';
      contactId: string;
      contactName?: string;
      /** The contact's organisation (the read model knows it; the workflow may not). */
      organisationId: string;
      /** The organisation's other contacts, as the read model has them. */
      colleagueIds: string[];
      reason: string;
      /** The colleague who takes over their pending approvals and open tasks. */
      delegateTo?: string;
      /** The delegate's zone and hours, for the reminders of the approvals they take over. */
      delegateProfile?: ContactProfile;
    }
  | {
      kind: 'reactivateContact';
      contactId: string;
      contactName?: string;
      organisationId?: string;
    };

export type PartnerChangeKind = PartnerChange['kind'];

/** A partnership has at most this many partner organisations (as many as it may start with). */
export const MAX_ORGANISATIONS = 20;
/** An organisation given inline brings at most this many contacts. */
export const MAX_CONTACTS_PER_ORGANISATION = 50;

/** The pending requests that wait on `contactId` themselves (undecided, not delegated). */
export function approvalsAwaiting(approvals: ApprovalRequest[], contactId: string): string[] {
  return approvals
    .filter(
      (r) =>
        r.status === 'pending' &&
        r.organisations.some((o) =>
          o.approvers.some((a) => a.contactId === contactId && !a.delegated && !a.decision),
        ),
    )
    .map((r) => r.id);
}

export function decidePartnerChange(
  p: ChangeablePartnership,
  change: PartnerChange,
): ChangeDecision {
  switch (change.kind) {
    case 'addOrganisation':
      return decideAddOrganisation(p, change);
    case 'addContact':
      return decideAddContact(p, change);
    case 'deactivateContact':
      return decideDeactivation(p, change);
    case 'reactivateContact':
      return decideReactivation(p, change);
  }
}

function newContactProblems(c: PartnerContactInput, prefix: string): FieldProblem[] {
  const problems = [
    ...nameProblems(`${prefix}name`, c?.name),
    ...contactProblems(
      {
        email: c?.email ?? '',
        language: c?.language ?? ('' as Language),
        timeZone: c?.timeZone ?? '',
        workingHours: c?.workingHours ?? { start: '', end: '', days: [] },
      },
      prefix,
    ),
  ];
  if (c?.role !== null && c?.role !== undefined) {
    problems.push(...nameProblems(`${prefix}role`, c.role));
  }
  return problems;
}

/** Problems named by the request body's fields (`name`, `contacts[0].email`). */
function organisationProblems(o: PartnerOrganisationInput): FieldProblem[] {
  const problems: FieldProblem[] = [...nameProblems('name', o.name)];
  if (o.region !== null) problems.push(...nameProblems('region', o.region));
  if (typeof o.country !== 'string' || !/^[A-Z]{2}$/.test(o.country)) {
    problems.push({
      field: 'country',
      messages: ['must be an ISO 3166-1 alpha-2 code'],
    });
  }
  if (!(ORGANISATION_KINDS as readonly string[]).includes(o.kind)) {
    problems.push({
      field: 'kind',
      messages: [`must be one of ${ORGANISATION_KINDS.join(', ')}`],
    });
  }
  const contacts = Array.isArray(o.contacts) ? o.contacts : [];
  if (contacts.length > MAX_CONTACTS_PER_ORGANISATION) {
    problems.push({
      field: 'contacts',
      messages: [`must have at most ${MAX_CONTACTS_PER_ORGANISATION} contacts`],
    });
  }
  contacts.forEach((c, i) => problems.push(...newContactProblems(c, `contacts[${i}].`)));
  const emails = contacts.map((c) => c.email?.trim().toLowerCase());
  if (new Set(emails).size !== emails.length) {
    problems.push({
      field: 'contacts',
      messages: ['two contacts have the same e-mail address'],
    });
  }
  return problems;
}

function decideAddOrganisation(
  p: ChangeablePartnership,
  { organisation, requestId }: Extract<PartnerChange, { kind: 'addOrganisation' }>,
): ChangeDecision {
  if (p.organisationIds.includes(organisation.id)) {
    return refuse(
      'ORGANISATION_ALREADY_IN_PARTNERSHIP',
      'The organisation is a partner of this partnership already',
    );
  }
  if (p.organisationIds.length >= MAX_ORGANISATIONS) {
    return refuse(
      'TOO_MANY_ORGANISATIONS',
      `A partnership has at most ${MAX_ORGANISATIONS} partner organisations`,
    );
  }
  if (organisation.isNew) {
    const problems = organisationProblems(organisation);
    if (problems.length > 0) return invalidFields(problems);
  }
  return {
    ok: true,
    events: [
      {
        type: 'organisation.added',
        payload: {
          organisationId: organisation.id,
          organisationName: organisation.name,
          contactIds: organisation.contacts.map((c) => c.id),
          ...(requestId ? { requestId } : {}),
        },
      },
    ],
  };
}

function decideAddContact(
  p: ChangeablePartnership,
  change: Extract<PartnerChange, { kind: 'addContact' }>,
): ChangeDecision {
  if (!p.organisationIds.includes(change.organisationId)) {
    return refuse(
      'ORGANISATION_NOT_IN_PARTNERSHIP',
      'The organisation is not a partner of this partnership',
    );
  }
  const { contact } = change;
  if (p.contactIds.includes(contact.id) || (p.inactiveContactIds ?? []).includes(contact.id)) {
    return refuse('NOTHING_TO_CHANGE', 'The contact takes part in this partnership already');
  }
  const problems = newContactProblems(contact, '');
  if (problems.length > 0) return invalidFields(problems);
  return {
    ok: true,
    events: [
      {
        type: 'contact.added',
        payload: {
          contactId: contact.id,
          contactName: contact.name.trim(),
          organisationId: change.organisationId,
          ...(change.organisationName ? { organisationName: change.organisationName } : {}),
        },
      },
    ],
  };
}

function decideDeactivation(
  p: ChangeablePartnership,
  change: Extract<PartnerChange, { kind: 'deactivateContact' }>,
): ChangeDecision {
  const { contactId, delegateTo } = change;
  if ((p.inactiveContactIds ?? []).includes(contactId)) {
    return refuse('CONTACT_INACTIVE', 'The contact no longer takes part in this partnership');
  }
  if (!p.contactIds.includes(contactId)) {
    return refuse('CONTACT_NOT_FOUND', 'The contact is not a contact of this partnership');
  }
  if (typeof change.reason !== 'string' || change.reason.trim().length === 0) {
    return refuse('REASON_REQUIRED', 'Say why the contact no longer takes part');
  }
  const colleagues = change.colleagueIds.filter(
    (id) => id !== contactId && p.contactIds.includes(id),
  );
  if (colleagues.length === 0) {
    return refuse(
      'LAST_ACTIVE_CONTACT',
      'The contact is the last of their organisation who takes part: add a colleague first',
    );
  }
  if (delegateTo !== undefined && !colleagues.includes(delegateTo)) {
    return invalidFields([
      {
        field: 'delegateTo',
        messages: ['must be a colleague in the same organisation who takes part'],
      },
    ]);
  }
  const plan = handOverPlan(p.approvals ?? [], change);
  const needed = plan.filter((s) => s.how === 'needs-successor').map((s) => s.approvalId);
  if (needed.length > 0) {
    return refuse(
      'CONTACT_HAS_PENDING_APPROVALS',
      `The contact has ${needed.length} pending approval request(s) their organisation cannot answer without them: name a colleague (delegateTo) who takes them over, or withdraw them first`,
      [{ field: 'delegateTo', messages: [`required: ${needed.join(', ')}`] }],
    );
  }
  const closing = plan.filter((s) => s.how === 'would-close').map((s) => s.approvalId);
  const released = plan.filter((s) => s.how === 'release').map((s) => s.approvalId);
  if (closing.length > 0) {
    return refuse(
      'CONTACT_HAS_PENDING_APPROVALS',
      `The contact's leaving would decide ${closing.join(', ')} (their colleagues have answered): let the request be decided, or withdraw it, first`,
      [{ field: 'contactId', messages: [`would decide: ${closing.join(', ')}`] }],
    );
  }
  return {
    ok: true,
    events: [
      {
        type: 'contact.deactivated',
        payload: {
          contactId,
          ...(change.contactName ? { contactName: change.contactName } : {}),
          organisationId: change.organisationId,
          reason: change.reason.trim(),
          ...(delegateTo ? { delegateTo } : {}),
          // Requests their organisation's other approvers answer without them.
          ...(released.length > 0 ? { released } : {}),
        },
      },
    ],
  };
}

/** What becomes of one pending request a leaving contact has still to answer. */
export interface HandOver {
  approvalId: string;
  /**
   * `delegate`: to the colleague named; `release`: the organisation's other approvers answer
   * without them; `needs-successor`: too few would be left, and no colleague (or one asked
   * already) is named; `would-close`: their leaving would decide it.
   */
  how: 'delegate' | 'release' | 'needs-successor' | 'would-close';
}

/**
 * The hand-over of a leaving contact's pending requests: to the colleague named where that
 * colleague is not asked yet, else released to the organisation's other approvers when they can
 * still meet its rule and the request stays pending.
 */
export function handOverPlan(
  approvals: ApprovalRequest[],
  change: Pick<
    Extract<PartnerChange, { kind: 'deactivateContact' }>,
    'contactId' | 'organisationId' | 'delegateTo'
  >,
): HandOver[] {
  const pending = approvals.filter((r) => r.status === 'pending');
  return approvalsAwaiting(pending, change.contactId).map((approvalId): HandOver => {
    const request = pending.find((r) => r.id === approvalId)!;
    if (
      change.delegateTo !== undefined &&
      delegateApproval(request, {
        fromContactId: change.contactId,
        toContactId: change.delegateTo,
        toOrganisationId: change.organisationId,
      }).ok
    ) {
      return { approvalId, how: 'delegate' };
    }
    const released = releaseApprover(request, change.contactId);
    if (released.ok) return { approvalId, how: 'release' };
    return {
      approvalId,
      how: released.reason === 'would-close' ? 'would-close' : 'needs-successor',
    };
  });
}

function decideReactivation(
  p: ChangeablePartnership,
  change: Extract<PartnerChange, { kind: 'reactivateContact' }>,
): ChangeDecision {
  if (p.contactIds.includes(change.contactId)) {
    return refuse('NOTHING_TO_CHANGE', 'The contact takes part in this partnership already');
  }
  if (!(p.inactiveContactIds ?? []).includes(change.contactId)) {
    return refuse('CONTACT_NOT_FOUND', 'The contact is not a contact of this partnership');
  }
  return {
    ok: true,
    events: [
      {
        type: 'contact.reactivated',
        payload: {
          contactId: change.contactId,
          ...(change.contactName ? { contactName: change.contactName } : {}),
          ...(change.organisationId ? { organisationId: change.organisationId } : {}),
        },
      },
    ],
  };
}
