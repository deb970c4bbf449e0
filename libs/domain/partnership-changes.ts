import type { FieldProblem } from './errors';
import type { ContactProfile } from './follow-ups';
import { endedRejection, type EventDraft } from './lifecycle';
import {
  CONTACT_CHANGE_FIELDS,
  type ChangeablePartnership,
  type ChangeDecision,
  type ChangeRejectionCode,
  type ContactChanges,
} from './change-types';
import { decidePartnerChange, type PartnerChange } from './partner-changes';
import {
  contactProblems,
  emailProblems,
  invalidFields,
  nameProblems,
  refuse,
} from './change-fields';
import type { WorkingHours } from './working-hours';

/**
 * A change to a running partnership's own details, as the coordinator asks it. Each is an update
 * of the partnership's workflow, checked here, recorded on the timeline with its actor.
 */
export type PartnershipChange =
  | ({ kind: 'details' } & DetailChanges)
  | ({
      kind: 'updateContact';
      contactId: string;
      contactName?: string;
      /**
       * The same change made on another partnership of the contact's organisation: this one
       * re-plans with it and records it, but the read model has it already (never written again,
       * so an older fan-out cannot overwrite a newer change).
       */
      replanOnly?: boolean;
    } & ContactChanges)
  | {
      kind: 'removeOrganisation';
      organisationId: string;
      reason: string;
      /** For the timeline: the organisation is no partner any more once removed. */
      organisationName?: string;
      /** Its contacts (the read model knows them all; the workflow's profiles may not). */
      contactIds?: string[];
    }
  | PartnerChange;

export type PartnershipChangeKind = PartnershipChange['kind'];

export * from './change-types';

/** What may change of the partnership itself, in one update; at least one field. */
export interface DetailChanges {
  title?: string;
  areas?: string[];
  coordinator?: { name: string; email: string };
}

export const MIN_TITLE_LENGTH = 3;
export const MAX_TITLE_LENGTH = 200;
export const MAX_AREAS = 20;
export const MAX_AREA_LENGTH = 300;
/** A partnership is between organisations: it never has fewer than this. */
export const MIN_ORGANISATIONS = 2;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Working hours as one compares them: whatever the key order or the order of the days. */
export function sameWorkingHours(a: WorkingHours, b: WorkingHours): boolean {
  const days = (h: WorkingHours): string => [...h.days].sort((x, y) => x - y).join();
  return a.start === b.start && a.end === b.end && days(a) === days(b);
}

/**
 * Decides a change: the events that record it, or why it is refused. Pure: the workflow's
 * validator and its handler call it alike, so a refusal leaves no trace in history.
 */
export function decideChange(p: ChangeablePartnership, change: PartnershipChange): ChangeDecision {
  const ended = endedRejection(p.status);
  if (ended) return refuse(ended.code as ChangeRejectionCode, ended.message);
  switch (change.kind) {
    case 'details':
      return decideDetails(p, change);
    case 'updateContact':
      return decideContact(p, change);
    case 'removeOrganisation':
      return decideRemoval(p, change);
    default:
      return decidePartnerChange(p, change);
  }
}

/**
 * The title, areas and coordinator together: one event per field that differs, all or nothing.
 * A field given with its current value is no change; all of them so is NOTHING_TO_CHANGE.
 */
function decideDetails(p: ChangeablePartnership, change: DetailChanges): ChangeDecision {
  const { title, areas, coordinator } = change;
  if (title === undefined && areas === undefined && coordinator === undefined) {
    return invalidFields([
      { field: '(body)', messages: ['give at least one of title, areas, coordinator'] },
    ]);
  }
  const problems: FieldProblem[] = [
    ...(title !== undefined ? titleProblems(title) : []),
    ...(areas !== undefined ? areasProblems(areas) : []),
    ...(coordinator !== undefined
      ? [
          ...nameProblems('coordinator.name', coordinator?.name),
          ...emailProblems('coordinator.email', coordinator?.email),
        ]
      : []),
  ];
  if (problems.length > 0) return invalidFields(problems);
  const events: EventDraft[] = [];
  if (title !== undefined && title.trim() !== p.title) {
    events.push({ type: 'partnership.renamed', payload: { from: p.title, to: title.trim() } });
  }
  if (areas !== undefined) {
    const to = normalisedAreas(areas);
    if (!p.areas || !same(p.areas, to)) {
      events.push({
        type: 'partnership.areas_changed',
        payload: { ...(p.areas ? { from: p.areas } : {}), to },
      });
    }
  }
  if (coordinator !== undefined) {
    const to = { name: coordinator.name.trim(), email: coordinator.email.trim().toLowerCase() };
    const from = { name: p.coordinator.name, email: p.coordinator.email };
    if (!same(to, from)) {
      events.push({ type: 'partnership.coordinator_changed', payload: { from, to } });
    }
  }
  if (events.length === 0) {
    return refuse('NOTHING_TO_CHANGE', 'The partnership already has these details');
  }
  return { ok: true, events };
}

function titleProblems(raw: unknown): FieldProblem[] {
  const title = typeof raw === 'string' ? raw.trim() : '';
  return title.length < MIN_TITLE_LENGTH || title.length > MAX_TITLE_LENGTH
    ? [
        {
          field: 'title',
          messages: [`must be ${MIN_TITLE_LENGTH} to ${MAX_TITLE_LENGTH} characters`],
        },
      ]
    : [];
}

/** The areas as they will be kept: trimmed, each once, in the order given. */
export function normalisedAreas(areas: string[]): string[] {
  return [...new Set(areas.map((a) => a.trim()))];
}

function areasProblems(raw: unknown): FieldProblem[] {
  if (!Array.isArray(raw) || raw.some((a) => typeof a !== 'string')) {
    return [{ field: 'areas', messages: ['must be a list of texts'] }];
  }
  const areas = normalisedAreas(raw as string[]);
  const problems: FieldProblem[] = [];
  if (areas.length > MAX_AREAS) {
    problems.push({ field: 'areas', messages: [`must have at most ${MAX_AREAS} areas`] });
  }
  areas.forEach((a, i) => {
    if (a.length === 0 || a.length > MAX_AREA_LENGTH) {
      problems.push({
        field: `areas[${i}]`,
        messages: [`must be 1 to ${MAX_AREA_LENGTH} characters`],
      });
    }
  });
  return problems;
}

/** The fields of `change` that are given, in a fixed order. */
export function givenContactChanges(change: ContactChanges): ContactChanges {
  const given: Record<string, unknown> = {};
  for (const field of CONTACT_CHANGE_FIELDS) {
    if (change[field] !== undefined) given[field] = change[field];
  }
  return given as ContactChanges;
}

function decideContact(
  p: ChangeablePartnership,
  change: Extract<PartnershipChange, { kind: 'updateContact' }>,
): ChangeDecision {
  if (!p.contactIds.includes(change.contactId)) {
    return refuse('CONTACT_NOT_FOUND', 'The contact is not a contact of this partnership');
  }
  const given = givenContactChanges(change);
  if (Object.keys(given).length === 0) {
    return invalidFields([
      { field: 'contact', messages: [`give at least one of ${CONTACT_CHANGE_FIELDS.join(', ')}`] },
    ]);
  }
  const problems = contactProblems(given);
  if (problems.length > 0) return invalidFields(problems);
  const profile = p.contactProfiles[change.contactId];
  // The workflow knows the zone and hours (reminders go out inside them); name, e-mail and
  // language live in the read model, and the API sends only those that differ from it.
  const changes: Record<string, { from?: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(given)) {
    const from =
      field === 'timeZone'
        ? profile?.timeZone
        : field === 'workingHours'
          ? profile?.workingHours
          : undefined;
    if (
      from !== undefined &&
      (field === 'workingHours'
        ? sameWorkingHours(from as WorkingHours, to as WorkingHours)
        : same(from, to))
    ) {
      continue;
    }
    changes[field] = from === undefined ? { to } : { from, to };
  }
  if (Object.keys(changes).length === 0) {
    return refuse('NOTHING_TO_CHANGE', 'The contact already has these details');
  }
  return {
    ok: true,
    events: [
      {
        type: 'contact.updated',
        payload: {
          contactId: change.contactId,
          ...(change.contactName ? { contactName: change.contactName } : {}),
          ...(profile?.organisationId ? { organisationId: profile.organisationId } : {}),
          changes,
        },
      },
    ],
  };
}

function decideRemoval(
  p: ChangeablePartnership,
  {
    organisationId,
    reason,
    organisationName,
  }: Extract<PartnershipChange, { kind: 'removeOrganisation' }>,
): ChangeDecision {
  if (!p.organisationIds.includes(organisationId)) {
    return refuse(
      'ORGANISATION_NOT_IN_PARTNERSHIP',
      'The organisation is not a partner of this partnership',
    );
  }
  if (p.organisationIds.length <= MIN_ORGANISATIONS) {
    return refuse(
      'TOO_FEW_ORGANISATIONS',
      `A partnership has at least ${MIN_ORGANISATIONS} partner organisations: add one before removing this one`,
    );
  }
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    return refuse('REASON_REQUIRED', 'Say why the organisation leaves the partnership');
  }
  return {
    ok: true,
    events: [
      {
        type: 'organisation.removed',
        payload: {
          organisationId,
          ...(organisationName ? { organisationName } : {}),
          reason: reason.trim(),
        },
      },
    ],
  };
}

/** The contacts of `organisationId` among the partnership's (their profiles say whose they are). */
export function contactsOfOrganisation(
  profiles: Record<string, ContactProfile>,
  organisationId: string,
): string[] {
  return Object.entries(profiles)
    .filter(([, profile]) => profile.organisationId === organisationId)
    .map(([id]) => id);
}
