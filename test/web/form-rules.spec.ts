import { draftProblems } from '../../web/src/forms/closure-form';
import {
  emptyContact,
  emptyOrganisation,
  emptyPartnership,
  missingOrganisationPaths,
  partnershipBody,
  partnershipProblems,
  PARTNERSHIP_ERROR_ALIASES,
  type ExistingOrganisation,
  type PartnershipDraft,
} from '../../web/src/forms/partnership-form';
import {
  countryOptions,
  isCountryCode,
  timeZoneOptions,
  utcOffset,
} from '../../web/src/forms/places';
import {
  draftFromPolicy,
  emptyPolicyDraft,
  minutesOf,
  policyPatch,
  policyProblems,
  type FollowUpPolicy,
} from '../../web/src/forms/policy-form';
import { filterOptions } from '../../web/src/forms/search';
import { DEFAULT_FOLLOW_UP_POLICY } from '@libs/domain';
import {
  emailProblem,
  passwordProblem,
  placeServerErrors,
  standingServerMessages,
  urlProblem,
} from '../../web/src/forms/validation';

/**
 * The web forms' own checks mirror the API's DTO rules (apps/api/src/**\/*.dto.ts): what they
 * pass, the API accepts; where the API still refuses, its field errors land on the right field.
 */
function ivaceEiri(): PartnershipDraft {
  const d = emptyPartnership({
    name: 'Ana Programme-Officer',
    email: 'ana@iurc.example',
    timeZone: 'Europe/Brussels',
    language: 'en',
  });
  d.title = '  Valencia – Chengdu: clean energy  ';
  const [ivace, eiri] = d.organisations;
  Object.assign(ivace, { name: ' IVACE ', region: 'Valencian Community', country: 'es' });
  ivace.kind = 'agency';
  Object.assign(ivace.contacts[0], {
    name: 'Raquel Aguado',
    email: 'raquel@ivace.example',
    language: 'es',
    timeZone: 'Europe/Madrid',
  });
  Object.assign(eiri, { name: 'EIRI', country: 'CN', kind: 'institute' });
  Object.assign(eiri.contacts[0], {
    name: 'Li Wei',
    email: 'li.wei@eiri.example',
    role: 'Director',
    language: 'zh',
    timeZone: 'Asia/Shanghai',
    workingHours: { start: '08:30', end: '17:30', days: [5, 1, 2, 3, 4] },
  });
  d.areas = 'Clean energy\n\n  Internationalisation  \n';
  return d;
}

const keysAt = (problems: ReturnType<typeof partnershipProblems>, path: string): string[] =>
  (problems[path] ?? []).map((p) => p.key);

describe('create-partnership form', () => {
  it('passes a complete draft and sends what the DTO expects, trimmed, in order', () => {
    const d = ivaceEiri();
    expect(partnershipProblems(d)).toEqual({});
    const body = partnershipBody(d);
    expect(body).toEqual({
      title: 'Valencia – Chengdu: clean energy',
      organisations: [
        {
          name: 'IVACE',
          region: 'Valencian Community',
          country: 'ES',
          kind: 'agency',
          contacts: [
            {
              name: 'Raquel Aguado',
              email: 'raquel@ivace.example',
              language: 'es',
              timeZone: 'Europe/Madrid',
              workingHours: { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] },
            },
          ],
        },
        {
          name: 'EIRI',
          country: 'CN',
          kind: 'institute',
          contacts: [
            {
              name: 'Li Wei',
              email: 'li.wei@eiri.example',
              role: 'Director',
              language: 'zh',
              timeZone: 'Asia/Shanghai',
              workingHours: { start: '08:30', end: '17:30', days: [1, 2, 3, 4, 5] },
            },
          ],
        },
      ],
      coordinator: { name: 'Ana Programme-Officer', email: 'ana@iurc.example' },
      areas: ['Clean energy', 'Internationalisation'],
      // Only what was given: the coordinator's zone and language, nothing else of the policy.
      followUpPolicy: { coordinator: { timeZone: 'Europe/Brussels', language: 'en' } },
    });
  });

  it('names each broken rule at the API’s field path', () => {
    const d = ivaceEiri();
    d.title = 'ab';
    d.organisations[0].country = 'EU';
    d.organisations[0].kind = '';
    d.organisations[1].name = '   ';
    const li = d.organisations[1].contacts[0];
    li.email = 'li.wei@eiri';
    li.timeZone = 'Shanghai';
    li.language = '';
    li.workingHours = { start: '18:00', end: '09:00', days: [] };
    d.organisations[1].contacts.push(emptyContact());
    d.coordinator.email = 'ana';
    const problems = partnershipProblems(d);
    expect(keysAt(problems, 'title')).toEqual(['validation.tooShort']);
    expect(keysAt(problems, 'organisations.0.country')).toEqual(['validation.country']);
    expect(keysAt(problems, 'organisations.0.kind')).toEqual(['validation.required']);
    expect(keysAt(problems, 'organisations.1.name')).toEqual(['validation.required']);
    expect(keysAt(problems, 'organisations.1.contacts.0.email')).toEqual(['validation.email']);
    expect(keysAt(problems, 'organisations.1.contacts.0.timeZone')).toEqual([
      'validation.timeZone',
    ]);
    expect(keysAt(problems, 'organisations.1.contacts.0.language')).toEqual([
      'validation.required',
    ]);
    expect(keysAt(problems, 'organisations.1.contacts.0.workingHours.end')).toEqual([
      'validation.hoursOrder',
    ]);
    expect(keysAt(problems, 'organisations.1.contacts.0.workingHours.days')).toEqual([
      'validation.atLeastOneDay',
    ]);
    // The second contact: everything missing.
    expect(keysAt(problems, 'organisations.1.contacts.1.name')).toEqual(['validation.required']);
    expect(keysAt(problems, 'organisations.1.contacts.1.timeZone')).toEqual([
      'validation.required',
    ]);
    expect(keysAt(problems, 'organisations.1.contacts.1.email')).toEqual(['validation.required']);
    expect(keysAt(problems, 'coordinator.email')).toEqual(['validation.email']);
  });

  it('flags a second contact with the same e-mail (case and spaces aside)', () => {
    const d = ivaceEiri();
    d.organisations[1].contacts.push({
      ...emptyContact(),
      name: 'Wang Fang',
      email: ' LI.WEI@eiri.example',
      language: 'zh',
      timeZone: 'Asia/Shanghai',
    });
    expect(partnershipProblems(d)).toEqual({
      'organisations.1.contacts.1.email': [{ key: 'validation.duplicateEmail' }],
    });
  });

  it('wants two organisations, a contact in each, at most 20 areas of 300 characters', () => {
    const d = ivaceEiri();
    d.organisations = [d.organisations[0]];
    d.organisations[0].contacts = [];
    d.areas = [...Array(21).keys()].map((i) => `Area ${i}`).join('\n');
    const problems = partnershipProblems(d);
    expect(keysAt(problems, 'organisations')).toEqual(['validation.atLeastTwoOrganisations']);
    expect(keysAt(problems, 'organisations.0.contacts')).toEqual(['validation.atLeastOneContact']);
    expect(keysAt(problems, 'areas')).toEqual(['validation.tooManyLines']);
    d.areas = 'x'.repeat(301);
    expect(keysAt(partnershipProblems(d), 'areas')).toEqual(['validation.lineTooLong']);
  });

  it('counts lengths in characters as the API does (an emoji is one)', () => {
    const d = ivaceEiri();
    d.title = '🌞🌞🌞';
    expect(partnershipProblems(d).title).toBeUndefined();
    d.organisations[0].name = '🌞'.repeat(201);
    expect(keysAt(partnershipProblems(d), 'organisations.0.name')).toEqual(['validation.tooLong']);
  });

  it('starts with two empty organisations of one contact each, working 09:00–18:00 Mon–Fri', () => {
    const d = emptyPartnership({ name: 'A', email: 'a@b.example', timeZone: 'UTC', language: '' });
    expect(d.organisations).toHaveLength(2);
    expect(d.organisations.map((o) => o.contacts.length)).toEqual([1, 1]);
    expect(d.organisations[0].contacts[0].workingHours).toEqual({
      start: '09:00',
      end: '18:00',
      days: [1, 2, 3, 4, 5],
    });
    expect(emptyOrganisation().key).not.toEqual(emptyOrganisation().key);
  });
});

/** EIRI as GET /api/v1/organisations lists it. */
const EIRI: ExistingOrganisation = {
  id: '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f',
  name: 'Sichuan Energy Internet Research Institute (EIRI)',
  region: 'Sichuan',
  country: 'CN',
  kind: 'institute',
  contacts: [
    {
      id: '7a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
      name: 'Li Wei',
      email: 'li.wei@eiri.example',
      role: null,
      active: true,
      language: 'zh',
      timeZone: 'Asia/Shanghai',
      workingHours: { start: '08:30', end: '17:30', days: [1, 2, 3, 4, 5] },
    },
  ],
};

describe('create-partnership form with an existing organisation', () => {
  const choose = (d: PartnershipDraft, i: number, o: ExistingOrganisation): void => {
    Object.assign(d.organisations[i], { source: 'existing', id: o.id, chosen: o });
  };

  it('sends only the chosen id, and checks none of the new-organisation fields', () => {
    const d = ivaceEiri();
    // Left blank on purpose: they belong to the "new organisation" choice.
    Object.assign(d.organisations[1], { name: '', country: '', kind: '', contacts: [] });
    choose(d, 1, EIRI);
    expect(partnershipProblems(d)).toEqual({});
    const body = partnershipBody(d);
    expect(body.organisations[1]).toEqual({ id: EIRI.id });
    expect(body.organisations[0]).toMatchObject({ name: 'IVACE', country: 'ES' });
  });

  it('wants one picked from the list, and not the same one twice', () => {
    const d = ivaceEiri();
    d.organisations[1].source = 'existing';
    expect(partnershipProblems(d)).toEqual({
      'organisations.1.id': [{ key: 'validation.chooseOrganisation' }],
    });
    // Text typed that names no listed organisation is no choice.
    d.organisations[1].id = 'EIRI';
    expect(keysAt(partnershipProblems(d), 'organisations.1.id')).toEqual([
      'validation.chooseOrganisation',
    ]);
    choose(d, 0, EIRI);
    choose(d, 1, EIRI);
    expect(partnershipProblems(d)).toEqual({
      'organisations.1.id': [{ key: 'validation.organisationTwice' }],
    });
  });

  it('keeps what was typed for a new one while the other choice is tried', () => {
    const d = ivaceEiri();
    const typed = partnershipBody(d).organisations[1];
    choose(d, 1, EIRI);
    d.organisations[1].source = 'new';
    expect(partnershipProblems(d)).toEqual({});
    expect(partnershipBody(d).organisations[1]).toEqual(typed);
  });

  it('puts a 404 ORGANISATION_NOT_FOUND on the picker of each id it names', () => {
    const d = ivaceEiri();
    choose(d, 1, EIRI);
    expect(missingOrganisationPaths(d, [EIRI.id.toUpperCase()])).toEqual(['organisations.1.id']);
    expect(missingOrganisationPaths(d, ['00000000-0000-4000-8000-000000000000'])).toEqual([]);
    expect(missingOrganisationPaths(d, undefined)).toEqual([]);
    // A new organisation has no id to blame, even when its (empty) id would match.
    expect(missingOrganisationPaths(ivaceEiri(), [''])).toEqual([]);
    const { placed } = placeServerErrors(
      { 'organisations.1.id': ['That organisation does not exist.'] },
      (p) => p === 'organisations.1.id',
      d,
    );
    expect(placed.map((p) => p.path)).toEqual(['organisations.1.id']);
    // The message stands until another organisation is chosen.
    expect(standingServerMessages(placed, 'organisations.1.id', d)).toHaveLength(1);
    choose(d, 1, { ...EIRI, id: '8b3c4d5e-6f7a-4b9c-8d1e-2f3a4b5c6d7e' });
    expect(standingServerMessages(placed, 'organisations.1.id', d)).toEqual([]);
  });
});

describe('follow-up policy form', () => {
  const current: FollowUpPolicy = {
    ...DEFAULT_FOLLOW_UP_POLICY,
    coordinator: { timeZone: 'Europe/Madrid', language: 'es' },
  };

  it('shows durations in hours when whole, and sends only what changed', () => {
    const d = draftFromPolicy(current);
    expect(d.approvals.firstAfterWorkingMinutes).toEqual({ amount: '18', unit: 'hours' });
    expect(policyProblems(d, '', true)).toEqual({});
    expect(policyPatch(d, current)).toBeUndefined();
    d.approvals.repeatEveryWorkingMinutes = { amount: '1.5', unit: 'hours' };
    d.stalledStage.enabled = 'off';
    d.coordinator.timeZone = 'Asia/Shanghai';
    expect(policyPatch(d, current)).toEqual({
      approvals: { repeatEveryWorkingMinutes: 90 },
      stalledStage: { enabled: false },
      coordinator: { timeZone: 'Asia/Shanghai' },
    });
  });

  it('sends where the coordinator works, and clears a region only when there was one', () => {
    const d = draftFromPolicy(current);
    expect(d.coordinator).toMatchObject({ country: '', region: '' });
    d.coordinator.country = 'es';
    d.coordinator.region = ' Valencian Community ';
    expect(policyProblems(d, '', true)).toEqual({});
    expect(policyPatch(d, current)).toEqual({
      coordinator: { country: 'ES', region: 'Valencian Community' },
    });
    const placed: FollowUpPolicy = {
      ...current,
      coordinator: { ...current.coordinator, country: 'ES', region: 'Valencian Community' },
    };
    const again = draftFromPolicy(placed);
    expect(policyPatch(again, placed)).toBeUndefined();
    again.coordinator.region = '';
    expect(policyPatch(again, placed)).toEqual({ coordinator: { region: '' } });
    again.coordinator.region = 'Valencian Community';
    again.coordinator.country = '';
    expect(policyProblems(again, '', true, placed)).toEqual({
      'coordinator.country': [{ key: 'validation.countryKept' }],
    });
    again.coordinator.country = 'Spain';
    again.coordinator.region = 'x'.repeat(201);
    expect(Object.keys(policyProblems(again, '', true)).sort()).toEqual([
      'coordinator.country',
      'coordinator.region',
    ]);
  });

  it('refuses what the API refuses, at the API’s paths', () => {
    const d = draftFromPolicy(current);
    d.approvals.repeatEveryWorkingMinutes = { amount: '29', unit: 'minutes' };
    d.approvals.firstAfterWorkingMinutes = { amount: '901', unit: 'hours' };
    d.approvals.maxReminders = '21';
    d.stalledStage.afterWorkingDays = '101';
    d.overdueTasks.repeatEveryWorkingMinutes = { amount: '0.01', unit: 'hours' };
    d.coordinator.timeZone = 'Mars/Olympus';
    const problems = policyProblems(d, 'followUpPolicy.', true);
    expect(Object.keys(problems).sort()).toEqual([
      'followUpPolicy.approvals.firstAfterWorkingMinutes',
      'followUpPolicy.approvals.maxReminders',
      'followUpPolicy.approvals.repeatEveryWorkingMinutes',
      'followUpPolicy.coordinator.timeZone',
      'followUpPolicy.overdueTasks.repeatEveryWorkingMinutes',
      'followUpPolicy.stalledStage.afterWorkingDays',
    ]);
    // The edges themselves pass: 30 minutes, 900 hours, 20 reminders, 100 days.
    d.approvals.repeatEveryWorkingMinutes = { amount: '30', unit: 'minutes' };
    d.approvals.firstAfterWorkingMinutes = { amount: '900', unit: 'hours' };
    d.approvals.maxReminders = '20';
    d.stalledStage.afterWorkingDays = '100';
    d.overdueTasks.repeatEveryWorkingMinutes = { amount: '45', unit: 'minutes' };
    d.coordinator.timeZone = 'UTC';
    expect(policyProblems(d, '', true)).toEqual({});
  });

  it('in the create form, empty means the default and is left out', () => {
    const d = emptyPolicyDraft();
    expect(policyProblems(d, 'followUpPolicy.', false)).toEqual({});
    expect(policyPatch(d)).toBeUndefined();
    d.approvals.maxReminders = '2';
    d.bilingualEmails = 'on';
    expect(policyPatch(d)).toEqual({ approvals: { maxReminders: 2 }, bilingualEmails: true });
  });

  it('reads decimal commas and refuses parts of a minute', () => {
    expect(minutesOf({ amount: '2,5', unit: 'hours' })).toBe(150);
    expect(minutesOf({ amount: '0.01', unit: 'hours' })).toBeUndefined();
    expect(minutesOf({ amount: 'two', unit: 'hours' })).toBeUndefined();
  });
});

describe('the API’s field errors on the form', () => {
  const draft = ivaceEiri();
  const shown = new Set([
    'title',
    'organisations',
    'organisations.0',
    'organisations.0.contacts.0.email',
    'organisations.0.contacts.0.workingHours.end',
    'areas',
  ]);

  it('go to the field named, else its closest shown ancestor, else the summary', () => {
    const { placed, unplaced } = placeServerErrors(
      {
        'organisations.0.contacts.0.email': ['email must be an email'],
        'organisations.0.contacts.0.workingHours': ['start must be before end'],
        'organisations.0.region': ['region must be shorter'],
        'areas.3': ['each value in areas must be shorter'],
        'Idempotency-Key': ['must be 1–200 visible ASCII characters'],
      },
      (p) => shown.has(p),
      draft,
      PARTNERSHIP_ERROR_ALIASES,
    );
    expect(placed.map((p) => [p.path, p.messages])).toEqual([
      ['organisations.0.contacts.0.email', ['email must be an email']],
      ['organisations.0.contacts.0.workingHours.end', ['start must be before end']],
      ['organisations.0', ['region must be shorter']],
      ['areas', ['each value in areas must be shorter']],
    ]);
    expect(unplaced).toEqual(['must be 1–200 visible ASCII characters']);
  });

  it('stand until the field’s value changes', () => {
    const { placed } = placeServerErrors(
      { 'organisations.0.contacts.0.email': ['taken'] },
      (p) => shown.has(p),
      draft,
    );
    const path = 'organisations.0.contacts.0.email';
    expect(standingServerMessages(placed, path, draft)).toEqual(['taken']);
    const edited = ivaceEiri();
    edited.organisations[0].contacts[0].email = 'raquel.aguado@ivace.example';
    expect(standingServerMessages(placed, path, edited)).toEqual([]);
  });
});

describe('single-field rules', () => {
  it('e-mail, URL and password follow the API', () => {
    expect(emailProblem('raquel@ivace.example')).toBeUndefined();
    expect(emailProblem('raquel@ivace')?.key).toBe('validation.email');
    expect(emailProblem('raquel ivace@x.example')?.key).toBe('validation.email');
    expect(emailProblem('')?.key).toBe('validation.required');
    expect(urlProblem('http://crm:8080/hooks')).toBeUndefined();
    expect(urlProblem('https://crm.example/hooks/entente')).toBeUndefined();
    expect(urlProblem('ftp://crm.example')?.key).toBe('validation.url');
    expect(urlProblem('crm.example/hooks')?.key).toBe('validation.url');
    expect(passwordProblem('x'.repeat(11))?.key).toBe('validation.tooShort');
    expect(passwordProblem('correct horse')).toBeUndefined();
    expect(passwordProblem('x'.repeat(257))?.key).toBe('validation.tooLong');
    expect(passwordProblem('', false)).toBeUndefined();
  });
});

describe('country and time-zone pickers', () => {
  it('offer the ISO 3166-1 countries only, named in the viewer’s language', () => {
    expect(isCountryCode('ES')).toBe(true);
    expect(isCountryCode('CN')).toBe(true);
    for (const notIso of ['EU', 'UN', 'XK', 'UK', 'AC', 'ZZ'])
      expect(isCountryCode(notIso)).toBe(false);
    const es = countryOptions('es-ES');
    expect(es.find((o) => o.value === 'CN')?.label).toBe('China');
    expect(es.find((o) => o.value === 'ES')?.label).toBe('España');
    expect(filterOptions(countryOptions('zh-CN'), 'spain')[0].value).toBe('ES');
    expect(filterOptions(countryOptions('en-GB'), 'es')[0].value).toBe('ES');
  });

  it('find zones by city, accents and underscores aside, with their offset', () => {
    const at = new Date('2027-01-13T09:00:00Z');
    const zones = timeZoneOptions('en-GB', at);
    expect(zones.map((z) => z.value)).toEqual(expect.arrayContaining(['UTC', 'Europe/Madrid']));
    expect(filterOptions(zones, 'shanghai')[0].value).toBe('Asia/Shanghai');
    expect(filterOptions(zones, 'sao paulo')[0].value).toBe('America/Sao_Paulo');
    expect(filterOptions(zones, 'new york')[0].value).toBe('America/New_York');
    expect(utcOffset('Asia/Shanghai', at)).toBe('UTC+08:00');
    expect(utcOffset('UTC', at)).toBe('UTC+00:00');
    expect(zones.find((z) => z.value === 'Europe/Madrid')?.hint).toBe('UTC+01:00 · 10:00');
  });
});

describe('closure day form', () => {
  const today = new Date('2026-12-01T10:00:00Z');

  it.each<[string, { date: string; name: string }, string[]]>([
    ['a date and a reason', { date: '2027-08-13', name: 'Cierre de verano' }, []],
    ['the first date the API takes (a year back)', { date: '2025-11-30', name: 'x' }, []],
    ['the last date it takes (three years ahead)', { date: '2029-12-03', name: 'x' }, []],
    ['a day before the first', { date: '2025-11-29', name: 'x' }, ['date']],
    ['a day after the last', { date: '2029-12-04', name: 'x' }, ['date']],
    ['no date', { date: '', name: 'x' }, ['date']],
    ['a blank reason', { date: '2027-08-13', name: '  ' }, ['name']],
    ['a reason over 100 characters', { date: '2027-08-13', name: 'x'.repeat(101) }, ['name']],
  ])('%s', (_case, draft, fields) => {
    expect(Object.keys(draftProblems(draft, today)).sort()).toEqual(fields);
  });
});
