/**
 * The forms that change a running partnership (PATCH /partnerships/:id and
 * PATCH …/contacts/:contactId): their drafts, their checks (the DTOs' rules) and the bodies they
 * send: only what differs from the partnership as it is.
 */
import type { components } from '../api/schema';
import type { Language } from '../../../libs/domain/vocabulary';
import { areaList, LIMITS } from './partnership-form';
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

type Partnership = components['schemas']['PartnershipView'];
type Contact = components['schemas']['ContactView'];
export type ChangePartnershipBody = components['schemas']['ChangePartnershipDto'];
export type ChangeContactBody = components['schemas']['ChangeContactDto'];

export interface DetailsDraft {
  title: string;
  /** One area a line. */
  areas: string;
  coordinatorName: string;
  coordinatorEmail: string;
  comment: string;
}

export function detailsDraft(p: Partnership): DetailsDraft {
  return {
    title: p.title,
    areas: p.areas.join('\n'),
    coordinatorName: p.coordinator.name,
    coordinatorEmail: p.coordinator.email,
    comment: '',
  };
}

export function detailsProblems(d: DetailsDraft): Problems {
  const out: Problems = {};
  addProblem(out, 'title', textProblem(d.title, { min: 3, max: 200 }));
  const areas = areaList(d.areas);
  if (areas.length > LIMITS.areas) {
    addProblem(out, 'areas', { key: 'validation.tooManyLines', values: { max: LIMITS.areas } });
  }
  if (areas.some((a) => charCount(a) > LIMITS.areaLength)) {
    addProblem(out, 'areas', { key: 'validation.lineTooLong', values: { max: LIMITS.areaLength } });
  }
  addProblem(out, 'coordinator.name', textProblem(d.coordinatorName, { max: 200 }));
  addProblem(out, 'coordinator.email', emailProblem(d.coordinatorEmail));
  addProblem(out, 'comment', textProblem(d.comment, { max: 2000, required: false }));
  return out;
}

/** The body of the change: the fields that differ; undefined when none does. */
export function detailsBody(d: DetailsDraft, p: Partnership): ChangePartnershipBody | undefined {
  const body: ChangePartnershipBody = {};
  if (d.title.trim() !== p.title) body.title = d.title.trim();
  const areas = [...new Set(areaList(d.areas))];
  if (JSON.stringify(areas) !== JSON.stringify(p.areas)) body.areas = areas;
  const coordinator = { name: d.coordinatorName.trim(), email: d.coordinatorEmail.trim() };
  if (coordinator.name !== p.coordinator.name || coordinator.email !== p.coordinator.email) {
    body.coordinator = coordinator;
  }
  if (Object.keys(body).length === 0) return undefined;
  if (d.comment.trim()) body.comment = d.comment.trim();
  return body;
}

export interface ContactDraft {
  name: string;
  email: string;
  language: Language;
  timeZone: string;
  workingHours: { start: string; end: string; days: number[] };
  comment: string;
}

export function contactDraft(c: Contact): ContactDraft {
  return {
    name: c.name,
    email: c.email,
    language: c.language,
    timeZone: c.timeZone,
    workingHours: { ...c.workingHours, days: [...c.workingHours.days] },
    comment: '',
  };
}

export function contactProblems(d: ContactDraft): Problems {
  const out: Problems = {};
  addProblem(out, 'name', textProblem(d.name, { max: 200 }));
  addProblem(out, 'email', emailProblem(d.email));
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

export function contactBody(d: ContactDraft, c: Contact): ChangeContactBody | undefined {
  const body: ChangeContactBody = {};
  if (d.name.trim() !== c.name) body.name = d.name.trim();
  if (d.email.trim().toLowerCase() !== c.email.toLowerCase()) body.email = d.email.trim();
  if (d.language !== c.language) body.language = d.language;
  if (d.timeZone.trim() !== c.timeZone) body.timeZone = d.timeZone.trim();
  const byDay = (days: number[]): number[] => [...days].sort((a, b) => a - b);
  const hours = { ...d.workingHours, days: byDay(d.workingHours.days) };
  const was = c.workingHours;
  if (
    hours.start !== was.start ||
    hours.end !== was.end ||
    hours.days.join() !== byDay(was.days).join()
  ) {
    body.workingHours = hours;
  }
  if (Object.keys(body).length === 0) return undefined;
  if (d.comment.trim()) body.comment = d.comment.trim();
  return body;
}
