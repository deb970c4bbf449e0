/**
 * The forms that change who takes part in a running partnership: a partner organisation joins
 * (POST /partnerships/:id/organisations), a contact joins one (…/organisations/:id/contacts), a
 * contact stops taking part (…/contacts/:id/deactivate). Their drafts mirror the bodies, so a
 * field's path is the API's path for it (`contacts.0.email`); their checks are the DTOs' rules.
 */
import type { components } from '../api/schema';
import type { Language } from '../../../libs/domain/vocabulary';
import { type ExistingOrganisation, type OrganisationKind } from './partnership-form';
import { isCountryCode } from './places';
import {
  addProblem,
  emailProblem,
  HH_MM,
  minutesOfDay,
  textProblem,
  timeZoneProblem,
  type Problems,
} from './validation';

export type AddOrganisationBody = components['schemas']['AddOrganisationDto'];
export type AddContactBody = components['schemas']['AddContactDto'];
export type DeactivateContactBody = components['schemas']['DeactivateContactDto'];
type ContactBody = components['schemas']['ContactDto'];

/** The API's default working hours (09:00–18:00, Monday to Friday), shown so they can change. */
const DEFAULT_HOURS = { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] };

// ----- A partner organisation joins -----

/** The one contact a new organisation may bring along; all blank: none. */
export interface FirstContactDraft {
  name: string;
  email: string;
  language: Language | '';
  timeZone: string;
}

export interface NewPartnerDraft {
  /** An organisation the user may see, chosen from a list, or a new one given here. */
  source: 'existing' | 'new';
  /** The chosen organisation's id ('' until chosen): all that is sent for it. */
  id: string;
  chosen: ExistingOrganisation | null;
  name: string;
  region: string;
  country: string;
  kind: OrganisationKind | '';
  /** `contacts.0`, as the body has it. */
  contacts: [FirstContactDraft];
  comment: string;
}

export function emptyPartnerDraft(): NewPartnerDraft {
  return {
    source: 'new',
    id: '',
    chosen: null,
    name: '',
    region: '',
    country: '',
    kind: '',
    contacts: [{ name: '', email: '', language: '', timeZone: '' }],
    comment: '',
  };
}

/** Whether the first contact was begun: then all of it is needed. */
export function hasFirstContact(d: NewPartnerDraft): boolean {
  const c = d.contacts[0];
  return Boolean(c.name.trim() || c.email.trim() || c.language || c.timeZone.trim());
}

export function partnerProblems(d: NewPartnerDraft, partnerIds: ReadonlySet<string>): Problems {
  const out: Problems = {};
  addProblem(out, 'comment', textProblem(d.comment, { max: 2000, required: false }));
  if (d.source === 'existing') {
    // Only an organisation picked from the list (the API refuses any other id with a 404).
    if (!d.id || d.chosen?.id !== d.id) {
      addProblem(out, 'id', { key: 'validation.chooseOrganisation' });
    } else if (partnerIds.has(d.id)) {
      addProblem(out, 'id', { key: 'validation.alreadyPartner' });
    }
    return out;
  }
  addProblem(out, 'name', textProblem(d.name, { max: 200 }));
  addProblem(out, 'region', textProblem(d.region, { max: 200, required: false }));
  const country = d.country.trim().toUpperCase();
  if (!country) addProblem(out, 'country', { key: 'validation.required' });
  else if (!isCountryCode(country)) addProblem(out, 'country', { key: 'validation.country' });
  if (!d.kind) addProblem(out, 'kind', { key: 'validation.required' });
  if (hasFirstContact(d)) {
    const c = d.contacts[0];
    addProblem(out, 'contacts.0.name', textProblem(c.name, { max: 200 }));
    addProblem(out, 'contacts.0.email', emailProblem(c.email));
    if (!c.language) addProblem(out, 'contacts.0.language', { key: 'validation.required' });
    addProblem(out, 'contacts.0.timeZone', timeZoneProblem(c.timeZone));
  }
  return out;
}

export function partnerBody(d: NewPartnerDraft): AddOrganisationBody {
  const comment = d.comment.trim() ? { comment: d.comment.trim() } : {};
  // An existing organisation is named by its id alone: the API refuses fields beside it.
  if (d.source === 'existing') return { id: d.id, ...comment };
  const c = d.contacts[0];
  const contacts: ContactBody[] = hasFirstContact(d)
    ? [
        {
          name: c.name.trim(),
          email: c.email.trim(),
          language: c.language as Language,
          timeZone: c.timeZone.trim(),
        },
      ]
    : [];
  return {
    name: d.name.trim(),
    ...(d.region.trim() ? { region: d.region.trim() } : {}),
    country: d.country.trim().toUpperCase(),
    kind: d.kind as OrganisationKind,
    ...(contacts.length > 0 ? { contacts } : {}),
    ...comment,
  };
}

// ----- A contact joins a partner organisation -----

export interface NewContactDraft {
  name: string;
  email: string;
  role: string;
  language: Language | '';
  timeZone: string;
  workingHours: { start: string; end: string; days: number[] };
  comment: string;
}

/** A blank contact, in `timeZone` (a colleague's, most often the right one) when given. */
export function emptyContactDraft(timeZone = ''): NewContactDraft {
  return {
    name: '',
    email: '',
    role: '',
    language: '',
    timeZone,
    workingHours: { ...DEFAULT_HOURS, days: [...DEFAULT_HOURS.days] },
    comment: '',
  };
}

/** `emails`: the organisation's contacts' addresses, lower-cased (the API refuses a colleague's). */
export function newContactProblems(d: NewContactDraft, emails: ReadonlySet<string>): Problems {
  const out: Problems = {};
  addProblem(out, 'name', textProblem(d.name, { max: 200 }));
  addProblem(out, 'email', emailProblem(d.email));
  if (emails.has(d.email.trim().toLowerCase())) {
    addProblem(out, 'email', { key: 'validation.colleagueEmail' });
  }
  addProblem(out, 'role', textProblem(d.role, { max: 200, required: false }));
  if (!d.language) addProblem(out, 'language', { key: 'validation.required' });
  addProblem(out, 'timeZone', timeZoneProblem(d.timeZone));
  const { start, end, days } = d.workingHours;
  if (!HH_MM.test(start)) addProblem(out, 'workingHours.start', { key: 'validation.time' });
  if (!HH_MM.test(end)) addProblem(out, 'workingHours.end', { key: 'validation.time' });
  else if (HH_MM.test(start) && minutesOfDay(end) <= minutesOfDay(start)) {
    addProblem(out, 'workingHours.end', { key: 'validation.hoursOrder' });
  }
  if (days.length === 0) addProblem(out, 'workingHours.days', { key: 'validation.atLeastOneDay' });
  addProblem(out, 'comment', textProblem(d.comment, { max: 2000, required: false }));
  return out;
}

export function newContactBody(d: NewContactDraft): AddContactBody {
  return {
    name: d.name.trim(),
    email: d.email.trim(),
    ...(d.role.trim() ? { role: d.role.trim() } : {}),
    language: d.language as Language,
    timeZone: d.timeZone.trim(),
    workingHours: { ...d.workingHours, days: [...d.workingHours.days].sort((a, b) => a - b) },
    ...(d.comment.trim() ? { comment: d.comment.trim() } : {}),
  };
}

// ----- A contact stops taking part -----

export interface DeactivationDraft {
  reason: string;
  /** The colleague who takes over, '' for nobody. */
  delegateTo: string;
}

/** `mustDelegate`: the contact has approval requests still to answer, which a colleague takes. */
type ApprovalView = components['schemas']['ApprovalRequestView'];

/**
 * How many of the pending requests awaiting `contactId` their organisation cannot answer without
 * them, so that a colleague must take them over (as the API's rule book, `releaseApprover`, says):
 * the others are left to the colleagues each request asks already.
 */
export function mustHandOver(approvals: readonly ApprovalView[], contactId: string): number {
  return approvals.filter((a) => {
    if (a.status !== 'pending' || !a.awaiting.includes(contactId)) return false;
    const org = a.organisations.find((o) =>
      o.approvers.some((x) => x.contactId === contactId && !x.delegated && !x.decision),
    );
    if (!org) return false;
    const remaining = org.approvers.filter((x) => !x.delegated && x.contactId !== contactId).length;
    return remaining < (org.rule.kind === 'quorum' ? (org.rule.n ?? 1) : 1);
  }).length;
}

export function deactivationProblems(d: DeactivationDraft, mustDelegate: boolean): Problems {
  const out: Problems = {};
  addProblem(out, 'reason', textProblem(d.reason, { max: 2000 }));
  if (mustDelegate && !d.delegateTo) addProblem(out, 'delegateTo', { key: 'validation.required' });
  return out;
}

export function deactivationBody(d: DeactivationDraft): DeactivateContactBody {
  return { reason: d.reason.trim(), ...(d.delegateTo ? { delegateTo: d.delegateTo } : {}) };
}
