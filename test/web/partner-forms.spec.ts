import {
  AddContactDto,
  AddOrganisationDto,
  DeactivateContactDto,
} from '../../apps/api/src/partnerships/partner-changes.dto';
import { createValidationPipe } from '../../apps/api/src/platform/validation';
import {
  deactivationBody,
  deactivationProblems,
  emptyContactDraft,
  emptyPartnerDraft,
  hasFirstContact,
  mustHandOver,
  newContactBody,
  newContactProblems,
  partnerBody,
  partnerProblems,
  type NewContactDraft,
  type NewPartnerDraft,
} from '../../web/src/forms/partner-forms';
import type { ExistingOrganisation } from '../../web/src/forms/partnership-form';
import type { Problems } from '../../web/src/forms/validation';

/**
 * The partners' forms (a partner organisation joins, a contact joins one, a contact stops taking
 * part) check what the API's DTOs check (apps/api/src/partnerships/partner-changes.dto.ts): what
 * they pass, the API's validation pipe accepts, trimmed, with nothing it would refuse as unknown.
 */
type Dto = typeof AddOrganisationDto | typeof AddContactDto | typeof DeactivateContactDto;

/** What the API's validation pipe makes of a body: the body, or the fields it refuses. */
async function apiSays(metatype: Dto, body: unknown): Promise<'accepted' | string[]> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype, data: '' });
    return 'accepted';
  } catch (e) {
    const errors = (e as { details?: { errors?: { field: string }[] } }).details?.errors ?? [];
    return errors.map((x) => x.field).sort();
  }
}

const keys = (problems: Problems): Record<string, string[]> =>
  Object.fromEntries(Object.entries(problems).map(([path, ps]) => [path, ps.map((p) => p.key)]));

const TIANFU = '3f1c2b7a-9d4e-4c1b-8a6f-2e5d7c9b0a14';
const EIRI: ExistingOrganisation = {
  id: '8b3c4d5e-6f7a-4b9c-8d1e-2f3a4b5c6d7e',
  name: 'EIRI',
  region: 'Sichuan',
  country: 'CN',
  kind: 'institute',
  contacts: [],
};

function tianfu(): NewPartnerDraft {
  const d = emptyPartnerDraft();
  Object.assign(d, {
    name: '  Chengdu Tianfu Innovation Centre ',
    region: ' ',
    country: 'cn',
    kind: 'agency',
    comment: '  Agreed at the steering committee ',
  });
  d.contacts[0] = {
    name: ' 王芳 ',
    email: ' wang.fang@tianfu.example ',
    language: 'zh',
    timeZone: 'Asia/Shanghai',
  };
  return d;
}

function pablo(): NewContactDraft {
  const d = emptyContactDraft('Europe/Madrid');
  Object.assign(d, {
    name: ' Pablo Ferrer ',
    email: 'pablo@ivace.example ',
    role: '  ',
    language: 'es',
  });
  return d;
}

describe('add-a-partner form', () => {
  it('sends a new organisation with its first contact, trimmed, as AddOrganisationDto accepts', async () => {
    const d = tianfu();
    expect(partnerProblems(d, new Set())).toEqual({});
    const body = partnerBody(d);
    expect(body).toEqual({
      name: 'Chengdu Tianfu Innovation Centre',
      country: 'CN',
      kind: 'agency',
      contacts: [
        {
          name: '王芳',
          email: 'wang.fang@tianfu.example',
          language: 'zh',
          timeZone: 'Asia/Shanghai',
        },
      ],
      comment: 'Agreed at the steering committee',
    });
    expect(await apiSays(AddOrganisationDto, body)).toBe('accepted');
  });

  it('needs no first contact, but all of one once begun', async () => {
    const d = tianfu();
    d.contacts[0] = { name: '', email: '', language: '', timeZone: '' };
    expect(hasFirstContact(d)).toBe(false);
    expect(partnerProblems(d, new Set())).toEqual({});
    expect(partnerBody(d)).not.toHaveProperty('contacts');
    expect(await apiSays(AddOrganisationDto, partnerBody(d))).toBe('accepted');

    d.contacts[0].email = 'wang.fang@tianfu';
    expect(hasFirstContact(d)).toBe(true);
    expect(keys(partnerProblems(d, new Set()))).toEqual({
      'contacts.0.name': ['validation.required'],
      'contacts.0.email': ['validation.email'],
      'contacts.0.language': ['validation.required'],
      'contacts.0.timeZone': ['validation.required'],
    });
    // What the form refuses there, the API would refuse on the same fields.
    expect(await apiSays(AddOrganisationDto, partnerBody(d))).toEqual([
      'contacts[0].email',
      'contacts[0].language',
      'contacts[0].name',
      'contacts[0].timeZone',
    ]);
  });

  it('wants a name, a known country and a kind for a new organisation', () => {
    const d = emptyPartnerDraft();
    expect(keys(partnerProblems(d, new Set()))).toEqual({
      name: ['validation.required'],
      country: ['validation.required'],
      kind: ['validation.required'],
    });
    Object.assign(d, { name: 'x'.repeat(201), country: 'XX', kind: 'agency' });
    expect(keys(partnerProblems(d, new Set()))).toEqual({
      name: ['validation.tooLong'],
      country: ['validation.country'],
    });
  });

  it('sends an existing organisation by its id alone, once picked from the list, never a partner again', async () => {
    const d = tianfu();
    d.source = 'existing';
    // Typed but not picked: no choice (the API would answer 404 for an id it does not know).
    d.id = EIRI.id;
    expect(keys(partnerProblems(d, new Set()))).toEqual({ id: ['validation.chooseOrganisation'] });
    d.chosen = EIRI;
    expect(partnerProblems(d, new Set())).toEqual({});
    const body = partnerBody(d);
    expect(body).toEqual({ id: EIRI.id, comment: 'Agreed at the steering committee' });
    expect(await apiSays(AddOrganisationDto, body)).toBe('accepted');
    expect(keys(partnerProblems(d, new Set([EIRI.id, TIANFU])))).toEqual({
      id: ['validation.alreadyPartner'],
    });
  });

  it('leaves out a blank note and refuses one over 2,000 characters', () => {
    const d = tianfu();
    d.comment = '   ';
    expect(partnerBody(d)).not.toHaveProperty('comment');
    d.comment = 'x'.repeat(2001);
    expect(keys(partnerProblems(d, new Set()))).toEqual({ comment: ['validation.tooLong'] });
  });
});

describe('add-a-contact form', () => {
  it('starts in the zone given, with the API’s default hours, each draft its own copy', () => {
    const d = emptyContactDraft('Europe/Madrid');
    expect(d).toMatchObject({
      timeZone: 'Europe/Madrid',
      workingHours: { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] },
    });
    d.workingHours.days.push(6);
    expect(emptyContactDraft().workingHours.days).toEqual([1, 2, 3, 4, 5]);
    expect(emptyContactDraft().timeZone).toBe('');
  });

  it('sends the contact trimmed, days in order, no blank role, as AddContactDto accepts', async () => {
    const d = pablo();
    d.workingHours = { start: '08:00', end: '15:00', days: [5, 1, 3] };
    expect(newContactProblems(d, new Set(['raquel@ivace.example']))).toEqual({});
    const body = newContactBody(d);
    expect(body).toEqual({
      name: 'Pablo Ferrer',
      email: 'pablo@ivace.example',
      language: 'es',
      timeZone: 'Europe/Madrid',
      workingHours: { start: '08:00', end: '15:00', days: [1, 3, 5] },
    });
    expect(await apiSays(AddContactDto, body)).toBe('accepted');
  });

  it('refuses a colleague’s e-mail address whatever its case or spaces', () => {
    const d = pablo();
    d.email = ' Raquel@IVACE.example ';
    expect(keys(newContactProblems(d, new Set(['raquel@ivace.example'])))).toEqual({
      email: ['validation.colleagueEmail'],
    });
  });

  it('wants working hours that end after they start, on one day at least', async () => {
    const d = pablo();
    d.workingHours = { start: '18:00', end: '09:00', days: [] };
    expect(keys(newContactProblems(d, new Set()))).toEqual({
      'workingHours.end': ['validation.hoursOrder'],
      'workingHours.days': ['validation.atLeastOneDay'],
    });
    d.workingHours = { start: '9:00', end: '24:00', days: [1] };
    expect(keys(newContactProblems(d, new Set()))).toEqual({
      'workingHours.start': ['validation.time'],
      'workingHours.end': ['validation.time'],
    });
    expect(await apiSays(AddContactDto, newContactBody(d))).toEqual([
      'workingHours.end',
      'workingHours.start',
    ]);
  });

  it('wants a name, an e-mail address, a language and a known time zone', () => {
    const d = emptyContactDraft();
    d.timeZone = 'Valencia';
    expect(keys(newContactProblems(d, new Set()))).toEqual({
      name: ['validation.required'],
      email: ['validation.required'],
      language: ['validation.required'],
      timeZone: ['validation.timeZone'],
    });
  });
});

describe('deactivate-a-contact form', () => {
  const colleague = '5a1e6f2b-3c4d-4e8f-9a0b-1c2d3e4f5a6b';
  const raquel = '6b2f7a3c-4d5e-4f90-8a1b-2c3d4e5f6a7b';

  it('asks for a colleague only for requests the organisation cannot answer without the contact, as the rule book releases the others', () => {
    const approver = (contactId: string, over: Record<string, unknown> = {}) => ({
      contactId,
      delegated: false,
      delegatedFrom: null,
      decision: null,
      ...over,
    });
    const request = (id: string, rule: { kind: string; n?: number }, approvers: unknown[]) =>
      ({
        id,
        status: 'pending',
        awaiting: [raquel],
        organisations: [{ organisationId: 'es', rule, approvers }],
      }) as unknown as Parameters<typeof mustHandOver>[0][number];
    const alone = request('alone', { kind: 'all' }, [approver(raquel)]);
    const withColleague = request('with', { kind: 'all' }, [approver(raquel), approver(colleague)]);
    const quorum = request('quorum', { kind: 'quorum', n: 2 }, [
      approver(raquel),
      approver(colleague),
    ]);
    const handedOn = request('handed', { kind: 'any' }, [
      approver(raquel),
      approver(colleague, { delegated: true }),
    ]);
    expect(mustHandOver([alone, withColleague, quorum, handedOn], raquel)).toBe(3);
    expect(mustHandOver([withColleague], raquel)).toBe(0);
    expect(mustHandOver([{ ...alone, status: 'approved' }], raquel)).toBe(0);
  });

  it('wants a reason, and a colleague while they have requests to answer', () => {
    expect(keys(deactivationProblems({ reason: '  ', delegateTo: '' }, false))).toEqual({
      reason: ['validation.required'],
    });
    expect(deactivationProblems({ reason: 'Left IVACE', delegateTo: '' }, false)).toEqual({});
    expect(keys(deactivationProblems({ reason: 'Left IVACE', delegateTo: '' }, true))).toEqual({
      delegateTo: ['validation.required'],
    });
    expect(deactivationProblems({ reason: 'Left IVACE', delegateTo: colleague }, true)).toEqual({});
  });

  it('sends the reason trimmed and the colleague only when one is chosen, as DeactivateContactDto accepts', async () => {
    const alone = deactivationBody({ reason: ' Left IVACE in November ', delegateTo: '' });
    expect(alone).toEqual({ reason: 'Left IVACE in November' });
    const handed = deactivationBody({ reason: 'Left IVACE', delegateTo: colleague });
    expect(handed).toEqual({ reason: 'Left IVACE', delegateTo: colleague });
    expect(await apiSays(DeactivateContactDto, alone)).toBe('accepted');
    expect(await apiSays(DeactivateContactDto, handed)).toBe('accepted');
  });
});
