import type { ApprovalRequest } from './approvals';
import {
  approvalsAwaiting,
  handOverPlan,
  MAX_ORGANISATIONS,
  type PartnerContactInput,
} from './partner-changes';
import {
  decideChange,
  type ChangeablePartnership,
  type PartnershipChange,
} from './partnership-changes';

const ES = '00000000-0000-4000-8000-0000000000e5';
const CN = '00000000-0000-4000-8000-0000000000c1';
const THIRD = '00000000-0000-4000-8000-000000000003';
const RAQUEL = '00000000-0000-4000-8000-00000000000a';
const PABLO = '00000000-0000-4000-8000-00000000000c';
const LI = '00000000-0000-4000-8000-00000000000b';
const NEW = '00000000-0000-4000-8000-00000000000d';
const HOURS = { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] };

function partnership(over: Partial<ChangeablePartnership> = {}): ChangeablePartnership {
  return {
    status: 'active',
    title: 'Valencia – Chengdu',
    coordinator: { name: 'Ana', email: 'ana@iurc.example' },
    organisationIds: [ES, CN],
    contactIds: [RAQUEL, PABLO, LI],
    contactProfiles: {},
    ...over,
  };
}

const contact = (over: Partial<PartnerContactInput> = {}): PartnerContactInput => ({
  id: NEW,
  name: 'Carmen Vidal',
  email: 'carmen@ivace.example',
  role: null,
  language: 'es',
  timeZone: 'Europe/Madrid',
  workingHours: HOURS,
  ...over,
});

/** A pending request that asks Raquel (Valencia) and Li (Chengdu). */
function pending(id: string, over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id,
    subject: { kind: 'gate', stage: 'introduction', title: 'Leave the introduction' },
    status: 'pending',
    requestedAt: '2026-11-01T09:00:00.000Z',
    deadline: '2026-12-30T17:00:00.000Z',
    requestedBy: { name: 'Ana', email: 'ana@iurc.example' },
    organisations: [
      {
        organisationId: ES,
        rule: { kind: 'all' },
        approvers: [{ contactId: RAQUEL, delegatedFrom: null, delegated: false, decision: null }],
      },
      {
        organisationId: CN,
        rule: { kind: 'all' },
        approvers: [{ contactId: LI, delegatedFrom: null, delegated: false, decision: null }],
      },
    ],
    closedAt: null,
    ...over,
  };
}

const outcome = (p: ChangeablePartnership, c: PartnershipChange): string => {
  const d = decideChange(p, c);
  return d.ok ? 'accepted' : d.code;
};

const deactivation = (
  over: Partial<Extract<PartnershipChange, { kind: 'deactivateContact' }>> = {},
): PartnershipChange => ({
  kind: 'deactivateContact',
  contactId: RAQUEL,
  contactName: 'Raquel',
  organisationId: ES,
  colleagueIds: [PABLO],
  reason: 'Left IVACE',
  ...over,
});

describe('adding an organisation', () => {
  const organisation = {
    id: THIRD,
    isNew: true,
    name: 'Sichuan Energy Institute',
    region: 'Sichuan',
    country: 'CN',
    kind: 'institute' as const,
    contacts: [contact({ email: 'zhao@sei.example', language: 'zh', timeZone: 'Asia/Shanghai' })],
  };

  it('records one event naming the organisation and the contacts it brings', () => {
    expect(decideChange(partnership(), { kind: 'addOrganisation', organisation })).toEqual({
      ok: true,
      events: [
        {
          type: 'organisation.added',
          payload: {
            organisationId: THIRD,
            organisationName: 'Sichuan Energy Institute',
            contactIds: [NEW],
          },
        },
      ],
    });
  });

  it('keeps the request id an Idempotency-Key gives on the event', () => {
    const decision = decideChange(partnership(), {
      kind: 'addOrganisation',
      organisation,
      requestId: 'request-1',
    });
    expect(decision).toMatchObject({ ok: true, events: [{ payload: { requestId: 'request-1' } }] });
  });

  it('refuses a partner already in, and one more than the most a partnership has', () => {
    expect(
      outcome(partnership(), {
        kind: 'addOrganisation',
        organisation: { ...organisation, id: CN },
      }),
    ).toBe('ORGANISATION_ALREADY_IN_PARTNERSHIP');
    const full = Array.from({ length: MAX_ORGANISATIONS }, (_, i) => `org-${i}`);
    expect(
      outcome(partnership({ organisationIds: full }), { kind: 'addOrganisation', organisation }),
    ).toBe('TOO_MANY_ORGANISATIONS');
  });

  it('checks every field of a new organisation and its contacts, all or nothing', () => {
    const d = decideChange(partnership(), {
      kind: 'addOrganisation',
      organisation: {
        ...organisation,
        name: ' ',
        country: 'China',
        kind: 'club' as never,
        contacts: [
          contact({ timeZone: 'Mars/Olympus' }),
          contact({ id: 'x', email: 'CARMEN@ivace.example' }),
        ],
      },
    });
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.code).toBe('VALIDATION_FAILED');
    // Named as the request body names them.
    expect(d.problems.map((p) => p.field)).toEqual([
      'name',
      'country',
      'kind',
      'contacts[0].timeZone',
      'contacts',
    ]);
  });

  it('takes an existing organisation as it is (its fields are the read model’s)', () => {
    expect(
      outcome(partnership(), {
        kind: 'addOrganisation',
        organisation: { ...organisation, isNew: false, country: 'whatever' },
      }),
    ).toBe('accepted');
  });

  it('changes nothing of an ended partnership', () => {
    expect(
      outcome(partnership({ status: 'closed' }), { kind: 'addOrganisation', organisation }),
    ).toBe('PARTNERSHIP_CLOSED');
  });
});

describe('adding a contact', () => {
  it('records the contact joining their organisation', () => {
    expect(
      decideChange(partnership(), {
        kind: 'addContact',
        organisationId: ES,
        organisationName: 'IVACE',
        contact: contact({ name: ' Carmen Vidal ' }),
      }),
    ).toEqual({
      ok: true,
      events: [
        {
          type: 'contact.added',
          payload: {
            contactId: NEW,
            contactName: 'Carmen Vidal',
            organisationId: ES,
            organisationName: 'IVACE',
          },
        },
      ],
    });
  });

  it('refuses an organisation that is no partner, a contact already in, and bad fields', () => {
    const add = (organisationId: string, c: PartnerContactInput): PartnershipChange => ({
      kind: 'addContact',
      organisationId,
      contact: c,
    });
    expect(outcome(partnership(), add(THIRD, contact()))).toBe('ORGANISATION_NOT_IN_PARTNERSHIP');
    expect(outcome(partnership(), add(ES, contact({ id: RAQUEL })))).toBe('NOTHING_TO_CHANGE');
    expect(outcome(partnership({ inactiveContactIds: [NEW] }), add(ES, contact()))).toBe(
      'NOTHING_TO_CHANGE',
    );
    const d = decideChange(
      partnership(),
      add(ES, contact({ email: 'nope', language: 'fr' as never, role: '' })),
    );
    expect(d.ok ? [] : d.problems.map((p) => p.field)).toEqual(['email', 'language', 'role']);
  });
});

describe('deactivating a contact', () => {
  it('records who stops taking part, why, and who takes over', () => {
    expect(
      decideChange(
        partnership({ approvals: [pending('gate-1')] }),
        deactivation({ reason: '  Left IVACE ', delegateTo: PABLO }),
      ),
    ).toEqual({
      ok: true,
      events: [
        {
          type: 'contact.deactivated',
          payload: {
            contactId: RAQUEL,
            contactName: 'Raquel',
            organisationId: ES,
            reason: 'Left IVACE',
            delegateTo: PABLO,
          },
        },
      ],
    });
  });

  it('refuses without a reason, twice, for a stranger, and for the last one of an organisation', () => {
    expect(outcome(partnership(), deactivation({ reason: ' ' }))).toBe('REASON_REQUIRED');
    expect(
      outcome(
        partnership({ contactIds: [PABLO, LI], inactiveContactIds: [RAQUEL] }),
        deactivation(),
      ),
    ).toBe('CONTACT_INACTIVE');
    expect(outcome(partnership(), deactivation({ contactId: NEW }))).toBe('CONTACT_NOT_FOUND');
    // Pablo is Valencia's other contact, but deactivated already: Raquel is the last one.
    expect(
      outcome(
        partnership({ contactIds: [RAQUEL, LI], inactiveContactIds: [PABLO] }),
        deactivation(),
      ),
    ).toBe('LAST_ACTIVE_CONTACT');
    expect(outcome(partnership(), deactivation({ colleagueIds: [] }))).toBe('LAST_ACTIVE_CONTACT');
  });

  it('asks for a colleague to take over the approvals the contact still has to answer', () => {
    const p = partnership({
      approvals: [pending('gate-1'), pending('gate-2', { status: 'approved' })],
    });
    const d = decideChange(p, deactivation());
    expect(d).toMatchObject({
      ok: false,
      code: 'CONTACT_HAS_PENDING_APPROVALS',
      problems: [{ field: 'delegateTo', messages: ['required: gate-1'] }],
    });
    // Without pending requests (or with only closed ones), no delegate is needed.
    expect(
      outcome(
        partnership({ approvals: [pending('gate-2', { status: 'approved' })] }),
        deactivation(),
      ),
    ).toBe('accepted');
  });

  it('refuses a delegate from elsewhere or the contact themselves', () => {
    expect(outcome(partnership(), deactivation({ delegateTo: LI }))).toBe('VALIDATION_FAILED');
    expect(outcome(partnership(), deactivation({ delegateTo: RAQUEL }))).toBe('VALIDATION_FAILED');
  });

  describe('where the request asks a colleague already', () => {
    /** The gate asks Raquel and Pablo for Valencia (the default: every contact), Li for Chengdu. */
    function asksBoth(rule: ApprovalRequest['organisations'][number]['rule'] = { kind: 'all' }) {
      const request = pending('gate-1');
      request.organisations[0].rule = rule;
      request.organisations[0].approvers.push({
        contactId: PABLO,
        delegatedFrom: null,
        delegated: false,
        decision: null,
      });
      return request;
    }
    const approve = (request: ApprovalRequest, org: number, contactId: string) => {
      request.organisations[org].approvers = request.organisations[org].approvers.map((a) =>
        a.contactId === contactId
          ? {
              ...a,
              decision: {
                outcome: 'approved',
                comment: null,
                at: '2026-11-02T09:00:00.000Z',
                contactId,
              },
            }
          : a,
      );
    };

    it('releases the request to the colleague, named or not, and says so', () => {
      for (const delegateTo of [undefined, PABLO]) {
        const d = decideChange(
          partnership({ approvals: [asksBoth()] }),
          deactivation(delegateTo ? { delegateTo } : {}),
        );
        expect(d).toMatchObject({
          ok: true,
          events: [{ type: 'contact.deactivated', payload: { released: ['gate-1'] } }],
        });
      }
    });

    it('needs a successor when too few would be left for a quorum', () => {
      const d = decideChange(
        partnership({ approvals: [asksBoth({ kind: 'quorum', n: 2 })] }),
        deactivation(),
      );
      expect(d).toMatchObject({ ok: false, code: 'CONTACT_HAS_PENDING_APPROVALS' });
    });

    it('refuses a leaving that would decide the request (everyone else approved)', () => {
      const request = asksBoth();
      approve(request, 0, PABLO);
      approve(request, 1, LI);
      const d = decideChange(partnership({ approvals: [request] }), deactivation());
      expect(d).toMatchObject({
        ok: false,
        code: 'CONTACT_HAS_PENDING_APPROVALS',
        problems: [{ field: 'contactId', messages: ['would decide: gate-1'] }],
      });
    });
  });
});

describe('reactivating a contact', () => {
  it('brings a deactivated contact back; an active one is no change; a stranger is unknown', () => {
    const p = partnership({ contactIds: [PABLO, LI], inactiveContactIds: [RAQUEL] });
    expect(
      decideChange(p, { kind: 'reactivateContact', contactId: RAQUEL, contactName: 'Raquel' }),
    ).toEqual({
      ok: true,
      events: [
        { type: 'contact.reactivated', payload: { contactId: RAQUEL, contactName: 'Raquel' } },
      ],
    });
    expect(outcome(p, { kind: 'reactivateContact', contactId: PABLO })).toBe('NOTHING_TO_CHANGE');
    expect(outcome(p, { kind: 'reactivateContact', contactId: NEW })).toBe('CONTACT_NOT_FOUND');
  });
});

describe(approvalsAwaiting.name, () => {
  it('lists the pending requests the contact has not answered nor handed on', () => {
    const decided = pending('b');
    decided.organisations[0].approvers[0].decision = {
      outcome: 'approved',
      comment: null,
      at: '2026-11-02T09:00:00.000Z',
      contactId: RAQUEL,
    };
    const handedOn = pending('c');
    handedOn.organisations[0].approvers[0].delegated = true;
    expect(
      approvalsAwaiting(
        [pending('a'), decided, handedOn, pending('d', { status: 'withdrawn' })],
        RAQUEL,
      ),
    ).toEqual(['a']);
  });
});

describe(handOverPlan.name, () => {
  it('delegates to a colleague not asked yet, releases where one is', () => {
    const asked = pending('asked');
    asked.organisations[0].approvers.push({
      contactId: PABLO,
      delegatedFrom: null,
      delegated: false,
      decision: null,
    });
    expect(
      handOverPlan([pending('alone'), asked], {
        contactId: RAQUEL,
        organisationId: ES,
        delegateTo: PABLO,
      }),
    ).toEqual([
      { approvalId: 'alone', how: 'delegate' },
      { approvalId: 'asked', how: 'release' },
    ]);
  });
});
