import type { Approver, OrganisationApproval } from './approvals';
import {
  digestDue,
  digestPeriod,
  digestSlotStart,
  digestWeek,
  parseDigestTime,
  waitingOnPartners,
} from './digest';

const MONDAY_9 = parseDigestTime('mon 09:00');
const QUARTER = 15 * 60_000;
const at = (iso: string): number => Date.parse(iso);

/** Every slot of the week starting at `fromIso` (UTC) in which `zone`'s digest is due. */
function dueSlots(fromIso: string, zone: string, days = 7): string[] {
  const found: string[] = [];
  const start = at(fromIso);
  for (let slot = start; slot < start + days * 86_400_000; slot += QUARTER) {
    if (digestDue(slot, zone, MONDAY_9)) found.push(new Date(slot).toISOString());
  }
  return found;
}

describe(parseDigestTime.name, () => {
  it('reads a weekday and a quarter hour', () => {
    expect(parseDigestTime('mon 09:00')).toEqual({ isoWeekday: 1, minuteOfDay: 540 });
    expect(parseDigestTime(' SUN 23:45 ')).toEqual({ isoWeekday: 7, minuteOfDay: 23 * 60 + 45 });
  });
  it.each(['monday 09:00', 'mon 9:00', 'mon 09:10', 'mon 24:00', '', 'off'])(
    'refuses %j',
    (value) => {
      expect(() => parseDigestTime(value)).toThrow(RangeError);
    },
  );
});

describe(digestSlotStart.name, () => {
  it('is the start of the quarter hour an instant falls in', () => {
    expect(new Date(digestSlotStart(at('2026-12-07T09:14:59.999Z'))).toISOString()).toBe(
      '2026-12-07T09:00:00.000Z',
    );
    expect(new Date(digestSlotStart(at('2026-12-07T09:15:00.000Z'))).toISOString()).toBe(
      '2026-12-07T09:15:00.000Z',
    );
  });
});

describe(digestDue.name, () => {
  it('is due in the one slot where Monday 09:00 falls in the zone', () => {
    expect(digestDue(at('2026-12-07T09:00:00Z'), 'UTC', MONDAY_9)).toBe(true);
    expect(digestDue(at('2026-12-07T08:45:00Z'), 'UTC', MONDAY_9)).toBe(false);
    expect(digestDue(at('2026-12-07T09:15:00Z'), 'UTC', MONDAY_9)).toBe(false);
    // Another weekday at 09:00 is not Monday.
    expect(digestDue(at('2026-12-08T09:00:00Z'), 'UTC', MONDAY_9)).toBe(false);
  });

  it.each([
    // +05:30 and +05:45: half and quarter hours off UTC.
    ['Asia/Kolkata', ['2026-12-07T03:30:00.000Z']],
    ['Asia/Kathmandu', ['2026-12-07T03:15:00.000Z']],
    // +13:00 in December: Monday 09:00 there is Sunday 20:00 UTC.
    ['Pacific/Auckland', ['2026-12-06T20:00:00.000Z']],
    ['America/New_York', ['2026-12-07T14:00:00.000Z']],
    ['Europe/Madrid', ['2026-12-07T08:00:00.000Z']],
  ])('%s: exactly one slot in the week', (zone, slots) => {
    expect(dueSlots('2026-12-05T00:00:00Z', zone)).toEqual(slots);
  });

  it('follows a DST change: the Monday after clocks go forward is an hour earlier in UTC', () => {
    // Europe/Madrid goes from +01:00 to +02:00 on Sunday 29 March 2026.
    expect(dueSlots('2026-03-21T00:00:00Z', 'Europe/Madrid', 14)).toEqual([
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
    // America/New_York goes from -05:00 to -04:00 on Sunday 8 March 2026.
    expect(dueSlots('2026-02-28T00:00:00Z', 'America/New_York', 14)).toEqual([
      '2026-03-02T14:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
    ]);
  });

  it('refuses an instant that does not start a slot', () => {
    expect(() => digestDue(at('2026-12-07T09:01:00Z'), 'UTC', MONDAY_9)).toThrow(RangeError);
  });

  it('follows another configured time', () => {
    const friday = parseDigestTime('fri 17:30');
    expect(digestDue(at('2026-12-11T12:00:00Z'), 'Asia/Kolkata', friday)).toBe(true);
    expect(digestDue(at('2026-12-07T03:30:00Z'), 'Asia/Kolkata', friday)).toBe(false);
  });
});

describe(digestWeek.name, () => {
  it('is the ISO week of the local date', () => {
    expect(digestWeek(at('2026-12-07T09:00:00Z'), 'UTC')).toBe('2026-W50');
    // Sunday evening in UTC is already Monday in Auckland: the next week there.
    expect(digestWeek(at('2026-12-06T20:00:00Z'), 'UTC')).toBe('2026-W49');
    expect(digestWeek(at('2026-12-06T20:00:00Z'), 'Pacific/Auckland')).toBe('2026-W50');
  });
  it('gives the first days of January to the last week of the year before when ISO does', () => {
    expect(digestWeek(at('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
    expect(digestWeek(at('2027-01-04T12:00:00Z'), 'UTC')).toBe('2027-W01');
    expect(digestWeek(at('2026-01-01T12:00:00Z'), 'UTC')).toBe('2026-W01');
  });
});

describe(digestPeriod.name, () => {
  it('is the seven days before the slot', () => {
    const slot = at('2026-12-07T09:00:00Z');
    expect(digestPeriod(slot)).toEqual({ from: at('2026-11-30T09:00:00Z'), to: slot });
  });
});

describe(waitingOnPartners.name, () => {
  const approver = (contactId: string, outcome?: 'approved' | 'rejected'): Approver => ({
    contactId,
    delegatedFrom: null,
    delegated: false,
    decision: outcome ? { outcome, comment: null, at: '2026-12-01T10:00:00Z', contactId } : null,
  });
  const org = (
    organisationId: string,
    rule: OrganisationApproval['rule'],
    approvers: Approver[],
  ): OrganisationApproval => ({ organisationId, rule, approvers });

  it('counts per partnership and organisation the requests it has not approved and its open tasks', () => {
    const waiting = waitingOnPartners(
      [
        {
          partnershipId: 'p1',
          organisations: [
            org('es', { kind: 'any' }, [approver('ana', 'approved'), approver('luis')]),
            org('cn', { kind: 'all' }, [approver('mei', 'approved'), approver('li')]),
          ],
        },
        {
          partnershipId: 'p1',
          organisations: [org('cn', { kind: 'quorum', n: 1 }, [approver('mei')])],
        },
        { partnershipId: 'p2', organisations: [org('es', { kind: 'all' }, [approver('ana')])] },
      ],
      [
        { partnershipId: 'p1', organisationId: 'es' },
        { partnershipId: 'p1', organisationId: 'es' },
        { partnershipId: 'p2', organisationId: 'fr' },
      ],
    );
    expect(waiting).toEqual([
      // es approved the first request under "any": only its two tasks wait on it.
      { partnershipId: 'p1', organisationId: 'cn', approvals: 2, tasks: 0 },
      { partnershipId: 'p2', organisationId: 'es', approvals: 1, tasks: 0 },
      { partnershipId: 'p1', organisationId: 'es', approvals: 0, tasks: 2 },
      { partnershipId: 'p2', organisationId: 'fr', approvals: 0, tasks: 1 },
    ]);
  });

  it('leaves out an organisation nothing waits on', () => {
    expect(
      waitingOnPartners(
        [
          {
            partnershipId: 'p1',
            organisations: [org('es', { kind: 'all' }, [approver('ana', 'approved')])],
          },
        ],
        [],
      ),
    ).toEqual([]);
  });
});
