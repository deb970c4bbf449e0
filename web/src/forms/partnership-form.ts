/**
 * The create-partnership form's state, its checks (CreatePartnershipDto in
 * apps/api/src/partnerships/partnership.dto.ts, plus what the product needs on top: at least one
 * contact per organisation, working hours that end after they start) and the body it sends.
 * The state mirrors the body's shape, so a field's path is the API's path for it
 * (`organisations.0.contacts.1.workingHours.start`).
 */
import { ORGANISATION_KINDS as DOMAIN_ORGANISATION_KINDS } from '../../../libs/domain/partnership';
import type { components } from '../api/schema';
import { isCountryCode } from './places';
import type { Language } from '../../../libs/domain/vocabulary';
import { emptyPolicyDraft, policyPatch, policyProblems, type PolicyDraft } from './policy-form';
import {
  addProblem,
  charCount,
  emailProblem,
  HH_MM,
  minutesOfDay,
  textProblem,
  timeZoneProblem,
  type Problems,
} from './validation';

export type CreatePartnershipBody = components['schemas']['CreatePartnershipDto'];
type ContactBody = components['schemas']['ContactDto'];
export type OrganisationKind = NonNullable<components['schemas']['PartnerOrganisationDto']['kind']>;
/** An existing organisation as GET /api/v1/organisations lists it. */
export type ExistingOrganisation = components['schemas']['OrganisationView'];

/** The domain's kinds as the API's DTO types them (one it does not know fails the build). */
export const ORGANISATION_KINDS: readonly OrganisationKind[] = DOMAIN_ORGANISATION_KINDS;
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** The DTO's array bounds. */
export const LIMITS = { organisations: 20, contacts: 50, areas: 20, areaLength: 300 } as const;

export interface ContactDraft {
  /** React's key for the row; never sent. */
  key: string;
  name: string;
  email: string;
  role: string;
  language: Language | '';
  timeZone: string;
  workingHours: { start: string; end: string; days: number[] };
}

export interface OrganisationDraft {
  key: string;
  /** A new organisation given here, or an existing one the user may see, chosen from a list. */
  source: 'new' | 'existing';
  /** The chosen existing organisation's id, '' until one is chosen: all that is sent for it. */
  id: string;
  /** The chosen organisation as listed: its contacts are shown, never sent or changed. */
  chosen: ExistingOrganisation | null;
  /** What is typed for a new organisation: kept while the user tries the other choice. */
  name: string;
  region: string;
  country: string;
  kind: OrganisationKind | '';
  contacts: ContactDraft[];
}

export interface PartnershipDraft {
  title: string;
  organisations: OrganisationDraft[];
  /** One area per line. */
  areas: string;
  coordinator: { name: string; email: string };
  followUpPolicy: PolicyDraft;
}

let counter = 0;
const nextKey = (prefix: string): string => `${prefix}-${++counter}`;

export function emptyContact(): ContactDraft {
  return {
    key: nextKey('contact'),
    name: '',
    email: '',
    role: '',
    language: '',
    timeZone: '',
    // The API's default (09:00–18:00, Monday to Friday), shown so it can be changed.
    workingHours: { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] },
  };
}

export function emptyOrganisation(): OrganisationDraft {
  return {
    key: nextKey('organisation'),
    source: 'new',
    id: '',
    chosen: null,
    name: '',
    region: '',
    country: '',
    kind: '',
    contacts: [emptyContact()],
  };
}

export function emptyPartnership(coordinator: {
  name: string;
  email: string;
  timeZone: string;
  language: Language | '';
}): PartnershipDraft {
  const followUpPolicy = emptyPolicyDraft();
  // The coordinator's own zone and language: their reminders come in their working hours.
  followUpPolicy.coordinator = {
    ...followUpPolicy.coordinator,
    timeZone: coordinator.timeZone,
    language: coordinator.language,
  };
  return {
    title: '',
    organisations: [emptyOrganisation(), emptyOrganisation()],
    areas: '',
    coordinator: { name: coordinator.name, email: coordinator.email },
    followUpPolicy,
  };
}

/** The areas the text names: one per non-blank line, trimmed. */
export function areaList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** Every problem of the draft, by the API's field path. Empty: it may be sent. */
export function partnershipProblems(d: PartnershipDraft): Problems {
  const out: Problems = {};
  addProblem(out, 'title', textProblem(d.title, { min: 3, max: 200 }));
  if (d.organisations.length < 2) {
    addProblem(out, 'organisations', { key: 'validation.atLeastTwoOrganisations' });
  }
  const chosenIds = d.organisations.map((o) => (o.source === 'existing' ? o.id : ''));
  d.organisations.forEach((o, i) => {
    const at = `organisations.${i}`;
    if (o.source === 'existing') {
      // Only an organisation picked from the list (the API refuses any other id with a 404).
      if (!o.id || o.chosen?.id !== o.id) {
        addProblem(out, `${at}.id`, { key: 'validation.chooseOrganisation' });
      } else if (chosenIds.indexOf(o.id) !== i) {
        addProblem(out, `${at}.id`, { key: 'validation.organisationTwice' });
      }
      return;
    }
    addProblem(out, `${at}.name`, textProblem(o.name, { max: 200 }));
    addProblem(out, `${at}.region`, textProblem(o.region, { max: 200, required: false }));
    const country = o.country.trim().toUpperCase();
    if (!country) addProblem(out, `${at}.country`, { key: 'validation.required' });
    else if (!isCountryCode(country))
      addProblem(out, `${at}.country`, { key: 'validation.country' });
    if (!o.kind) addProblem(out, `${at}.kind`, { key: 'validation.required' });
    if (o.contacts.length === 0) {
      addProblem(out, `${at}.contacts`, { key: 'validation.atLeastOneContact' });
    }
    o.contacts.forEach((c, j) => {
      const cat = `${at}.contacts.${j}`;
      addProblem(out, `${cat}.name`, textProblem(c.name, { max: 200 }));
      addProblem(out, `${cat}.email`, emailProblem(c.email));
      addProblem(out, `${cat}.role`, textProblem(c.role, { max: 200, required: false }));
      if (!c.language) addProblem(out, `${cat}.language`, { key: 'validation.required' });
      addProblem(out, `${cat}.timeZone`, timeZoneProblem(c.timeZone));
      const { start, end, days } = c.workingHours;
      if (!HH_MM.test(start))
        addProblem(out, `${cat}.workingHours.start`, { key: 'validation.time' });
      if (!HH_MM.test(end)) addProblem(out, `${cat}.workingHours.end`, { key: 'validation.time' });
      else if (HH_MM.test(start) && minutesOfDay(end) <= minutesOfDay(start)) {
        addProblem(out, `${cat}.workingHours.end`, { key: 'validation.hoursOrder' });
      }
      if (days.length === 0) {
        addProblem(out, `${cat}.workingHours.days`, { key: 'validation.atLeastOneDay' });
      }
    });
    const emails = o.contacts.map((c) => c.email.trim().toLowerCase());
    emails.forEach((email, j) => {
      if (email && emails.indexOf(email) !== j) {
        addProblem(out, `${at}.contacts.${j}.email`, { key: 'validation.duplicateEmail' });
      }
    });
  });
  const areas = areaList(d.areas);
  if (areas.length > LIMITS.areas) {
    addProblem(out, 'areas', { key: 'validation.tooManyLines', values: { max: LIMITS.areas } });
  }
  if (areas.some((a) => charCount(a) > LIMITS.areaLength)) {
    addProblem(out, 'areas', { key: 'validation.lineTooLong', values: { max: LIMITS.areaLength } });
  }
  addProblem(out, 'coordinator.name', textProblem(d.coordinator.name, { max: 200 }));
  addProblem(out, 'coordinator.email', emailProblem(d.coordinator.email));
  Object.assign(out, policyProblems(d.followUpPolicy, 'followUpPolicy.', false));
  return out;
}

/** The request body. Organisations and contacts keep their order, so the API's paths match. */
export function partnershipBody(d: PartnershipDraft): CreatePartnershipBody {
  const areas = areaList(d.areas);
  const followUpPolicy = policyPatch(d.followUpPolicy);
  return {
    title: d.title.trim(),
    organisations: d.organisations.map(organisationBody),
    coordinator: { name: d.coordinator.name.trim(), email: d.coordinator.email.trim() },
    ...(areas.length > 0 ? { areas } : {}),
    ...(followUpPolicy ? { followUpPolicy } : {}),
  };
}

type OrganisationBody = CreatePartnershipBody['organisations'][number];

function organisationBody(o: OrganisationDraft): OrganisationBody {
  // An existing organisation is named by its id alone: the API refuses fields beside it.
  if (o.source === 'existing') return { id: o.id };
  return {
    name: o.name.trim(),
    ...(o.region.trim() ? { region: o.region.trim() } : {}),
    // Checked by isCountryCode above, as kind is by its own rule.
    country: o.country.trim().toUpperCase() as NonNullable<OrganisationBody['country']>,
    kind: o.kind as OrganisationKind,
    contacts: o.contacts.map((c): ContactBody => ({
      name: c.name.trim(),
      email: c.email.trim(),
      ...(c.role.trim() ? { role: c.role.trim() } : {}),
      language: c.language as Language,
      timeZone: c.timeZone.trim(),
      workingHours: {
        start: c.workingHours.start,
        end: c.workingHours.end,
        days: [...c.workingHours.days].sort((a, b) => a - b),
      },
    })),
  };
}

/**
 * API paths that name no field of the form but one of its parts: a start-after-end refusal
 * names the working hours, shown at their end. (An area named by index, `areas.3`, lands on the
 * areas field as its closest shown ancestor.)
 */
export const PARTNERSHIP_ERROR_ALIASES: Record<string, string> = {
  workingHours: 'workingHours.end',
};

/**
 * The fields to blame for a `404 ORGANISATION_NOT_FOUND` (no `errors` list, but the ids in
 * `missing`): the picker of each existing organisation named, as `organisations.N.id`. An id the
 * user may not see is refused like an unknown one, so both land there.
 */
export function missingOrganisationPaths(d: PartnershipDraft, missing: unknown): string[] {
  const ids = new Set(
    (Array.isArray(missing) ? missing : []).map((id) => String(id).toLowerCase()),
  );
  return d.organisations.flatMap((o, i) =>
    o.source === 'existing' && ids.has(o.id.toLowerCase()) ? [`organisations.${i}.id`] : [],
  );
}
