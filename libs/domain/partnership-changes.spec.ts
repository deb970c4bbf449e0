import {
  contactsOfOrganisation,
  decideChange,
  type ChangeablePartnership,
  type PartnershipChange,
} from './partnership-changes';

const ES = '00000000-0000-4000-8000-0000000000e5';
const CN = '00000000-0000-4000-8000-0000000000c1';
const THIRD = '00000000-0000-4000-8000-000000000003';
const RAQUEL = '00000000-0000-4000-8000-00000000000a';
const LI = '00000000-0000-4000-8000-00000000000b';
const HOURS = { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] };

function partnership(over: Partial<ChangeablePartnership> = {}): ChangeablePartnership {
  return {
    status: 'active',
    title: 'Valencia – Chengdu',
    areas: ['Clean energy'],
    coordinator: { name: 'Ana', email: 'ana@iurc.example' },
    organisationIds: [ES, CN],
    contactIds: [RAQUEL, LI],
    contactProfiles: {
      [RAQUEL]: { timeZone: 'Europe/Madrid', workingHours: HOURS, organisationId: ES },
      [LI]: { timeZone: 'Asia/Shanghai', workingHours: HOURS, organisationId: CN },
    },
    ...over,
  };
}

const refusal = (p: ChangeablePartnership, c: PartnershipChange): string => {
  const d = decideChange(p, c);
  return d.ok ? 'accepted' : d.code;
};

describe(decideChange.name, () => {
  it('records each detail that differs as its own event, in one decision', () => {
    const d = decideChange(partnership(), {
      kind: 'details',
      title: '  Valencia – Chengdu: energy and mobility ',
      areas: ['Clean energy', ' Mobility', 'Mobility'],
      coordinator: { name: 'Ana', email: 'ana@iurc.example' },
    });
    expect(d).toEqual({
      ok: true,
      events: [
        {
          type: 'partnership.renamed',
          payload: { from: 'Valencia – Chengdu', to: 'Valencia – Chengdu: energy and mobility' },
        },
        {
          type: 'partnership.areas_changed',
          payload: { from: ['Clean energy'], to: ['Clean energy', 'Mobility'] },
        },
      ],
    });
  });

  it('refuses details that change nothing, and details that are not valid (all or nothing)', () => {
    expect(refusal(partnership(), { kind: 'details', title: 'Valencia – Chengdu' })).toBe(
      'NOTHING_TO_CHANGE',
    );
    expect(refusal(partnership(), { kind: 'details', areas: [' Clean energy'] })).toBe(
      'NOTHING_TO_CHANGE',
    );
    const d = decideChange(partnership(), {
      kind: 'details',
      title: 'A new title',
      coordinator: { name: '', email: 'not-an-address' },
    });
    expect(d.ok).toBe(false);
    expect(!d.ok && d.code).toBe('VALIDATION_FAILED');
    expect(!d.ok && d.problems.map((p) => p.field)).toEqual([
      'coordinator.name',
      'coordinator.email',
    ]);
    expect(refusal(partnership(), { kind: 'details', title: 'ab' })).toBe('VALIDATION_FAILED');
    expect(
      refusal(partnership(), {
        kind: 'details',
        areas: Array(21)
          .fill('x')
          .map((x, i) => x + i),
      }),
    ).toBe('VALIDATION_FAILED');
    expect(refusal(partnership(), { kind: 'details' })).toBe('VALIDATION_FAILED');
  });

  it('records a new coordinator with the one before', () => {
    const d = decideChange(partnership(), {
      kind: 'details',
      coordinator: { name: 'Beatriz', email: 'beatriz@iurc.example' },
    });
    expect(d).toEqual({
      ok: true,
      events: [
        {
          type: 'partnership.coordinator_changed',
          payload: {
            from: { name: 'Ana', email: 'ana@iurc.example' },
            to: { name: 'Beatriz', email: 'beatriz@iurc.example' },
          },
        },
      ],
    });
  });

  it('compares any areas with none where the run never carried them', () => {
    const d = decideChange(partnership({ areas: undefined }), {
      kind: 'details',
      areas: ['Clean energy'],
    });
    expect(d).toEqual({
      ok: true,
      events: [{ type: 'partnership.areas_changed', payload: { to: ['Clean energy'] } }],
    });
  });

  it('records a contact’s new zone with the one before, and what the workflow cannot compare as given', () => {
    const d = decideChange(partnership(), {
      kind: 'updateContact',
      contactId: RAQUEL,
      contactName: 'Raquel',
      timeZone: 'America/Mexico_City',
      workingHours: HOURS,
      language: 'en',
    });
    expect(d).toEqual({
      ok: true,
      events: [
        {
          type: 'contact.updated',
          payload: {
            contactId: RAQUEL,
            contactName: 'Raquel',
            organisationId: ES,
            changes: {
              language: { to: 'en' },
              timeZone: { from: 'Europe/Madrid', to: 'America/Mexico_City' },
            },
          },
        },
      ],
    });
  });

  it('takes the same working hours in another key or day order as no change', () => {
    expect(
      refusal(partnership(), {
        kind: 'updateContact',
        contactId: RAQUEL,
        workingHours: { days: [5, 4, 3, 2, 1], end: '18:00', start: '09:00' },
      }),
    ).toBe('NOTHING_TO_CHANGE');
  });

  it('refuses a contact change that is no change, an unknown contact, and bad details', () => {
    expect(
      refusal(partnership(), {
        kind: 'updateContact',
        contactId: RAQUEL,
        timeZone: 'Europe/Madrid',
      }),
    ).toBe('NOTHING_TO_CHANGE');
    expect(
      refusal(partnership(), {
        kind: 'updateContact',
        contactId: THIRD,
        timeZone: 'Europe/Madrid',
      }),
    ).toBe('CONTACT_NOT_FOUND');
    expect(refusal(partnership(), { kind: 'updateContact', contactId: RAQUEL })).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      refusal(partnership(), {
        kind: 'updateContact',
        contactId: RAQUEL,
        timeZone: 'Mars/Olympus',
      }),
    ).toBe('VALIDATION_FAILED');
    expect(
      refusal(partnership(), {
        kind: 'updateContact',
        contactId: RAQUEL,
        workingHours: { start: '18:00', end: '09:00', days: [1] },
      }),
    ).toBe('VALIDATION_FAILED');
    expect(
      refusal(partnership(), { kind: 'updateContact', contactId: RAQUEL, language: 'fr' as 'en' }),
    ).toBe('VALIDATION_FAILED');
  });

  it('lets an organisation leave only a partnership of more than two, with a reason', () => {
    const three = partnership({ organisationIds: [ES, CN, THIRD] });
    expect(
      decideChange(three, {
        kind: 'removeOrganisation',
        organisationId: THIRD,
        organisationName: 'Third',
        reason: ' Left the programme ',
      }),
    ).toEqual({
      ok: true,
      events: [
        {
          type: 'organisation.removed',
          payload: {
            organisationId: THIRD,
            organisationName: 'Third',
            reason: 'Left the programme',
          },
        },
      ],
    });
    expect(
      refusal(partnership(), { kind: 'removeOrganisation', organisationId: CN, reason: 'x' }),
    ).toBe('TOO_FEW_ORGANISATIONS');
    expect(
      refusal(three, { kind: 'removeOrganisation', organisationId: RAQUEL, reason: 'x' }),
    ).toBe('ORGANISATION_NOT_IN_PARTNERSHIP');
    expect(refusal(three, { kind: 'removeOrganisation', organisationId: THIRD, reason: ' ' })).toBe(
      'REASON_REQUIRED',
    );
  });

  it('changes nothing of an ended partnership', () => {
    for (const status of ['closed', 'agreed'] as const) {
      expect(refusal(partnership({ status }), { kind: 'details', title: 'Another title' })).toBe(
        status === 'closed' ? 'PARTNERSHIP_CLOSED' : 'PARTNERSHIP_AGREED',
      );
    }
    expect(
      refusal(partnership({ status: 'paused' }), { kind: 'details', title: 'Another title' }),
    ).toBe('accepted');
  });
});

describe(contactsOfOrganisation.name, () => {
  it('finds the contacts whose profiles name the organisation', () => {
    expect(contactsOfOrganisation(partnership().contactProfiles, CN)).toEqual([LI]);
    expect(contactsOfOrganisation(partnership().contactProfiles, THIRD)).toEqual([]);
  });
});
