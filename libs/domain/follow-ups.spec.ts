import type { ApprovalRequest, Approver, OrganisationApproval } from './approvals';
import {
  DEFAULT_FOLLOW_UP_POLICY,
  FollowUpPolicy,
  FollowUpPolicyPatch,
  followUpPolicyProblems,
  FollowUpWorld,
  mergeFollowUpPolicy,
  planFollowUps,
  PlannedFollowUp,
  taskFollowUpKey,
} from './follow-ups';
import type { Task } from './lifecycle';
import type { PartnershipStatus } from './partnership';
import { DEFAULT_REMINDER_POLICY, FollowUpProgress, ReminderPolicy } from './reminders';
import { DEFAULT_WORKING_HOURS, WorkingHours } from './working-hours';

const MADRID = 'Europe/Madrid'; // UTC+1 in January
const SHANGHAI = 'Asia/Shanghai'; // UTC+8, no DST

const DEF = DEFAULT_WORKING_HOURS;
const EARLY: WorkingHours = { start: '08:30', end: '17:30', days: [1, 2, 3, 4, 5] };

/** Friday 2026-01-16: 19:30 in Madrid, 02:30 on Saturday in Shanghai. */
const FRIDAY_EVENING = '2026-01-16T18:30:00Z';
const DEADLINE = '2026-02-06T18:00:00Z';

const MAD = 'c-madrid';
const SHA = 'c-shanghai';

const PROFILES: Record<string, { timeZone: string; workingHours: WorkingHours }> = {
  [MAD]: { timeZone: MADRID, workingHours: DEF },
  [SHA]: { timeZone: SHANGHAI, workingHours: DEF },
};

const iso = (s: string) => new Date(s).toISOString();
const sent = (n: number, lastAt: string | null = null): FollowUpProgress => ({ sent: n, lastAt });

/** An undecided approver with the profile of their contact (if known) and nothing sent yet. */
function approver(contactId: string, patch: Partial<Approver> = {}): Approver {
  return {
    contactId,
    delegatedFrom: null,
    delegated: false,
    decision: null,
    ...PROFILES[contactId],
    reminders: sent(0),
    ...patch,
  };
}

function org(
  organisationId: string,
  approvers: Approver[],
  rule: OrganisationApproval['rule'] = { kind: 'all' },
): OrganisationApproval {
  return { organisationId, rule, approvers };
}

const approved = (at = '2026-01-19T10:00:00Z', contactId = MAD) => ({
  outcome: 'approved' as const,
  comment: null,
  at,
  contactId,
});

/**
 * A followed-up pending request made on Friday evening, asking one approver in Madrid (org-es)
 * and one in Shanghai (org-cn); `approvers` patches them by contact id.
 */
function request(
  patch: Partial<ApprovalRequest> = {},
  approvers: Record<string, Partial<Approver>> = {},
): ApprovalRequest {
  return {
    id: 'ap-1',
    subject: { kind: 'document', title: 'Memorandum of understanding' },
    status: 'pending',
    requestedAt: FRIDAY_EVENING,
    deadline: DEADLINE,
    requestedBy: { name: 'Coordinator' },
    organisations: [
      org('org-es', [approver(MAD, approvers[MAD])]),
      org('org-cn', [approver(SHA, approvers[SHA])]),
    ],
    closedAt: null,
    followUps: true,
    reminderPolicy: null,
    snoozedUntil: null,
    escalatedAt: null,
    ...patch,
  };
}

function task(patch: Partial<Task> = {}): Task {
  return {
    id: 't-1',
    stage: 'introduction',
    title: 'Share the draft',
    required: true,
    kind: 'task',
    status: 'open',
    assigneeContactId: MAD,
    dueDate: '2026-01-16',
    source: 'custom',
    completedAt: null,
    ...patch,
  };
}

/** Default policy with the stalled-stage clock off, so each part can be looked at alone. */
const QUIET: FollowUpPolicy = mergeFollowUpPolicy(DEFAULT_FOLLOW_UP_POLICY, {
  stalledStage: { enabled: false },
});

function world(patch: Partial<FollowUpWorld> = {}): FollowUpWorld {
  return {
    now: new Date(FRIDAY_EVENING),
    status: 'active',
    stage: 'introduction',
    policy: QUIET,
    approvals: [],
    tasks: [],
    profiles: PROFILES,
    taskProgress: {},
    stall: null,
    lastActivityAt: FRIDAY_EVENING,
    ...patch,
  };
}

/** One line per item: easy to compare in tables and to read in a failure. */
function line(f: PlannedFollowUp): string {
  const at = f.at.toISOString();
  switch (f.kind) {
    case 'approval-reminder':
      return `${at} reminder ${f.approvalId} ${f.contactId} #${f.reminderNumber}`;
    case 'approval-escalation':
      return `${at} escalation ${f.approvalId} [${f.awaiting.join(',')}]`;
    case 'task-overdue':
      return `${at} overdue ${f.taskId} ${f.contactId} #${f.reminderNumber}`;
    case 'stage-stalled':
      return `${at} stalled ${f.stage} since ${iso(f.since)} #${f.reminderNumber}`;
    case 'stall-restart':
      return `${at} stall-restart since ${iso(f.since)}`;
  }
}

const plan = (w: FollowUpWorld) => planFollowUps(w).map(line);

describe(planFollowUps.name, () => {
  describe('partnership status', () => {
    /** Something of every kind would be planned if the partnership were active. */
    const busy = (status: PartnershipStatus) =>
      world({
        status,
        policy: DEFAULT_FOLLOW_UP_POLICY,
        approvals: [request()],
        tasks: [task()],
      });

    it('plans approvals, tasks and the stall clock while active', () => {
      expect(planFollowUps(busy('active')).map((f) => f.kind)).toEqual([
        'task-overdue',
        'approval-reminder',
        'approval-reminder',
        'stage-stalled',
      ]);
    });

    it.each(['paused', 'agreed', 'closed'] as const)('plans nothing when %s', (status) => {
      expect(planFollowUps(busy(status))).toEqual([]);
    });
  });

  describe('approval reminders', () => {
    it.each<[string, Partial<ApprovalRequest>, Record<string, Partial<Approver>>, string[]]>([
      [
        'each awaited approver on Wednesday 09:00 in their own zone (2 working days after Friday evening)',
        {},
        {},
        [
          '2026-01-21T01:00:00.000Z reminder ap-1 c-shanghai #1',
          '2026-01-21T08:00:00.000Z reminder ap-1 c-madrid #1',
        ],
      ],
      [
        "an approver's own working hours (08:30–17:30 Madrid): Wednesday 08:30",
        {},
        { [MAD]: { workingHours: EARLY } },
        [
          '2026-01-21T01:00:00.000Z reminder ap-1 c-shanghai #1',
          '2026-01-21T07:30:00.000Z reminder ap-1 c-madrid #1',
        ],
      ],
      [
        'an approver without zone or hours: UTC 09:00–18:00',
        {},
        { [MAD]: { timeZone: undefined, workingHours: undefined } },
        [
          '2026-01-21T01:00:00.000Z reminder ap-1 c-shanghai #1',
          '2026-01-21T09:00:00.000Z reminder ap-1 c-madrid #1',
        ],
      ],
      [
        'second reminders one working day after the first were sent',
        {},
        {
          [MAD]: { reminders: sent(1, '2026-01-21T08:00:00Z') },
          [SHA]: { reminders: sent(1, '2026-01-21T01:00:00Z') },
        },
        [
          '2026-01-22T01:00:00.000Z reminder ap-1 c-shanghai #2',
          '2026-01-22T08:00:00.000Z reminder ap-1 c-madrid #2',
        ],
      ],
      [
        'an approver who decided gets none',
        {},
        { [MAD]: { decision: approved() } },
        ['2026-01-21T01:00:00.000Z reminder ap-1 c-shanghai #1'],
      ],
      [
        'a request made before follow-ups existed (no reminders recorded) starts at #1',
        {},
        { [MAD]: { reminders: undefined } },
        [
          '2026-01-21T01:00:00.000Z reminder ap-1 c-shanghai #1',
          '2026-01-21T08:00:00.000Z reminder ap-1 c-madrid #1',
        ],
      ],
      [
        'an approver who delegated gets none; the delegate does, in their own hours',
        {
          organisations: [
            org('org-es', [
              approver(MAD, { delegated: true }),
              approver('c-madrid-2', {
                delegatedFrom: MAD,
                timeZone: MADRID,
                workingHours: EARLY,
              }),
            ]),
            org('org-cn', [approver(SHA)]),
          ],
        },
        {},
        [
          '2026-01-21T01:00:00.000Z reminder ap-1 c-shanghai #1',
          '2026-01-21T07:30:00.000Z reminder ap-1 c-madrid-2 #1',
        ],
      ],
      [
        'an organisation already satisfied (any one of): its other approvers get none',
        {
          organisations: [
            org('org-es', [approver(MAD, { decision: approved() }), approver('c-madrid-2')], {
              kind: 'any',
            }),
            org('org-cn', [approver(SHA)]),
          ],
        },
        {},
        ['2026-01-21T01:00:00.000Z reminder ap-1 c-shanghai #1'],
      ],
      ['a request that is not followed up', { followUps: undefined }, {}, []],
      ['a request with followUps: false', { followUps: false }, {}, []],
      ['an approved request', { status: 'approved' }, {}, []],
      ['a rejected request', { status: 'rejected' }, {}, []],
      ['a withdrawn request', { status: 'withdrawn' }, {}, []],
      ['an expired request', { status: 'expired' }, {}, []],
    ])('%s', (_case, patch, approvers, expected) => {
      expect(plan(world({ approvals: [request(patch, approvers)] }))).toEqual(expected);
    });

    it('returns the full item for a reminder', () => {
      expect(
        planFollowUps(world({ approvals: [request({}, { [SHA]: { decision: approved() } })] })),
      ).toEqual([
        {
          kind: 'approval-reminder',
          at: new Date('2026-01-21T08:00:00Z'),
          approvalId: 'ap-1',
          contactId: MAD,
          reminderNumber: 1,
        },
      ]);
    });

    it('Madrid and Shanghai get different instants for the same request', () => {
      const [first, second] = planFollowUps(world({ approvals: [request()] }));
      expect(first.at.getTime()).not.toBe(second.at.getTime());
      // Both are Wednesday 09:00 on the wall clock: 7 hours apart in January.
      expect((second.at.getTime() - first.at.getTime()) / 3_600_000).toBe(7);
    });

    it('plans each request on its own', () => {
      const other = request(
        { id: 'ap-2', requestedAt: '2026-01-19T08:00:00Z' }, // Monday 09:00 in Madrid
        { [SHA]: { decision: approved('2026-01-19T09:00:00Z', SHA) } },
      );
      expect(plan(world({ approvals: [request(), other] }))).toEqual([
        '2026-01-21T01:00:00.000Z reminder ap-1 c-shanghai #1',
        '2026-01-21T08:00:00.000Z reminder ap-1 c-madrid #1',
        '2026-01-21T08:00:00.000Z reminder ap-2 c-madrid #1', // Mon 09:00 + 1080 lands on Tue 18:00
      ]);
    });

    describe('policy', () => {
      /** The partnership reminds after one working day. */
      const oneDay = mergeFollowUpPolicy(QUIET, { approvals: { firstAfterWorkingMinutes: 540 } });
      const ownPolicy: ReminderPolicy = {
        firstAfterWorkingMinutes: 60,
        repeatEveryWorkingMinutes: 60,
        maxReminders: 1,
        escalate: false,
      };

      it.each<[string, FollowUpPolicy, ReminderPolicy | null | undefined, string[]]>([
        [
          "the partnership's policy when the request has none (null)",
          oneDay,
          null,
          [
            '2026-01-20T01:00:00.000Z reminder ap-1 c-shanghai #1',
            '2026-01-20T08:00:00.000Z reminder ap-1 c-madrid #1',
          ],
        ],
        [
          "the partnership's policy when the request has none (absent)",
          oneDay,
          undefined,
          [
            '2026-01-20T01:00:00.000Z reminder ap-1 c-shanghai #1',
            '2026-01-20T08:00:00.000Z reminder ap-1 c-madrid #1',
          ],
        ],
        [
          "the request's own policy over the partnership's: Monday 10:00",
          oneDay,
          ownPolicy,
          [
            '2026-01-19T02:00:00.000Z reminder ap-1 c-shanghai #1',
            '2026-01-19T09:00:00.000Z reminder ap-1 c-madrid #1',
          ],
        ],
      ])('%s', (_case, policy, reminderPolicy, expected) => {
        expect(plan(world({ policy, approvals: [request({ reminderPolicy })] }))).toEqual(expected);
      });

      it("the request's own maxReminders decides when to stop (and escalate)", () => {
        const r = request(
          { reminderPolicy: { ...ownPolicy, escalate: true } },
          { [SHA]: { reminders: sent(1, '2026-01-19T02:00:00Z') } },
        );
        expect(plan(world({ now: new Date('2026-01-19T02:00:00Z'), approvals: [r] }))).toEqual([
          // Shanghai had its one reminder at 10:00 there: escalation one 60-minute interval later.
          '2026-01-19T03:00:00.000Z escalation ap-1 [c-madrid,c-shanghai]',
          '2026-01-19T09:00:00.000Z reminder ap-1 c-madrid #1',
        ]);
      });
    });

    describe('deadline', () => {
      it.each([
        [
          'just after the Madrid reminder: both kept',
          '2026-01-21T08:00:00.001Z',
          [
            '2026-01-21T01:00:00.000Z reminder ap-1 c-shanghai #1',
            '2026-01-21T08:00:00.000Z reminder ap-1 c-madrid #1',
          ],
        ],
        [
          'exactly at the Madrid reminder: it is dropped',
          '2026-01-21T08:00:00Z',
          ['2026-01-21T01:00:00.000Z reminder ap-1 c-shanghai #1'],
        ],
        ['at the Shanghai reminder: both dropped', '2026-01-21T01:00:00Z', []],
        ['before both: none', '2026-01-20T12:00:00Z', []],
      ])('deadline %s', (_case, deadline, expected) => {
        expect(plan(world({ approvals: [request({ deadline })] }))).toEqual(expected);
      });
    });

    describe('snooze', () => {
      it.each([
        [
          'to Wednesday 13:00 Madrid / 20:00 Shanghai: Madrid at once, Shanghai on Thursday 09:00',
          '2026-01-21T12:00:00Z',
          [
            '2026-01-21T12:00:00.000Z reminder ap-1 c-madrid #1',
            '2026-01-22T01:00:00.000Z reminder ap-1 c-shanghai #1',
          ],
        ],
        [
          'to Saturday: Monday 09:00 in each zone',
          '2026-01-24T10:00:00Z',
          [
            '2026-01-26T01:00:00.000Z reminder ap-1 c-shanghai #1',
            '2026-01-26T08:00:00.000Z reminder ap-1 c-madrid #1',
          ],
        ],
        [
          'to before the planned reminders: no effect',
          '2026-01-19T12:00:00Z',
          [
            '2026-01-21T01:00:00.000Z reminder ap-1 c-shanghai #1',
            '2026-01-21T08:00:00.000Z reminder ap-1 c-madrid #1',
          ],
        ],
        ['past the deadline: nothing', '2026-02-07T00:00:00Z', []],
      ])('snoozed %s', (_case, snoozedUntil, expected) => {
        expect(plan(world({ approvals: [request({ snoozedUntil })] }))).toEqual(expected);
      });
    });
  });

  describe('approval escalation', () => {
    /** Both approvers had all three reminders, on Friday 23 January 09:00 local. */
    const allSent = {
      [MAD]: { reminders: sent(3, '2026-01-23T08:00:00Z') },
      [SHA]: { reminders: sent(3, '2026-01-23T01:00:00Z') },
    };
    const friday23 = new Date('2026-01-23T08:00:00Z');

    it.each<
      [
        string,
        Partial<ApprovalRequest>,
        Record<string, Partial<Approver>>,
        Partial<FollowUpWorld>,
        string[],
      ]
    >([
      [
        "after the last reminders: once, at the earliest approver's instant (Monday 09:00 Shanghai)",
        {},
        allSent,
        {},
        ['2026-01-26T01:00:00.000Z escalation ap-1 [c-madrid,c-shanghai]'],
      ],
      [
        'none when the coordinator was already told (escalatedAt)',
        { escalatedAt: '2026-01-26T01:00:00Z' },
        allSent,
        {},
        [],
      ],
      [
        'none when the policy does not escalate',
        {},
        allSent,
        { policy: mergeFollowUpPolicy(QUIET, { approvals: { escalate: false } }) },
        [],
      ],
      [
        "none when the request's own policy does not escalate",
        { reminderPolicy: { ...DEFAULT_REMINDER_POLICY, escalate: false } },
        allSent,
        {},
        [],
      ],
      [
        'awaiting lists only the approvers still awaited',
        {},
        { [MAD]: { decision: approved() }, [SHA]: allSent[SHA] },
        {},
        ['2026-01-26T01:00:00.000Z escalation ap-1 [c-shanghai]'],
      ],
      [
        // Shanghai's third reminder (due Friday 09:00 there) was missed: it goes out now.
        'one approver still being reminded: their reminder, and the escalation of the other',
        {},
        { [MAD]: allSent[MAD], [SHA]: { reminders: sent(2, '2026-01-22T01:00:00Z') } },
        {},
        [
          '2026-01-23T08:00:00.000Z reminder ap-1 c-shanghai #3',
          '2026-01-26T08:00:00.000Z escalation ap-1 [c-madrid,c-shanghai]',
        ],
      ],
      [
        'escalatedAt stops the escalation, not the other reminders',
        { escalatedAt: '2026-01-22T12:00:00Z' },
        { [MAD]: allSent[MAD], [SHA]: { reminders: sent(2, '2026-01-22T01:00:00Z') } },
        {},
        ['2026-01-23T08:00:00.000Z reminder ap-1 c-shanghai #3'],
      ],
      [
        // Tuesday 13:00 in Madrid is working time; 20:00 in Shanghai is not.
        'snoozed to Tuesday 12:00Z: Madrid is now the earliest',
        { snoozedUntil: '2026-01-27T12:00:00Z' },
        allSent,
        {},
        ['2026-01-27T12:00:00.000Z escalation ap-1 [c-madrid,c-shanghai]'],
      ],
      [
        "deadline between the two instants: Shanghai's stands",
        { deadline: '2026-01-26T05:00:00Z' },
        allSent,
        {},
        ['2026-01-26T01:00:00.000Z escalation ap-1 [c-madrid,c-shanghai]'],
      ],
      [
        'deadline at the earliest instant: none (the request expires instead)',
        { deadline: '2026-01-26T01:00:00Z' },
        allSent,
        {},
        [],
      ],
    ])('%s', (_case, patch, approvers, worldPatch, expected) => {
      expect(
        plan(world({ now: friday23, approvals: [request(patch, approvers)], ...worldPatch })),
      ).toEqual(expected);
    });

    it('returns the full item for an escalation', () => {
      expect(planFollowUps(world({ now: friday23, approvals: [request({}, allSent)] }))).toEqual([
        {
          kind: 'approval-escalation',
          at: new Date('2026-01-26T01:00:00Z'),
          approvalId: 'ap-1',
          awaiting: [MAD, SHA],
        },
      ]);
    });
  });

  describe('overdue tasks', () => {
    it.each<[string, Partial<Task>, Partial<FollowUpWorld>, string[]]>([
      [
        'due Friday, assignee in Madrid: Monday 09:00 there',
        {},
        {},
        ['2026-01-19T08:00:00.000Z overdue t-1 c-madrid #1'],
      ],
      [
        'due Friday, assignee in Shanghai: Monday 09:00 there',
        { assigneeContactId: SHA },
        {},
        ['2026-01-19T01:00:00.000Z overdue t-1 c-shanghai #1'],
      ],
      [
        'assignee without a profile: UTC 09:00–18:00',
        { assigneeContactId: 'c-unknown' },
        {},
        ['2026-01-19T09:00:00.000Z overdue t-1 c-unknown #1'],
      ],
      [
        "assignee's own hours (08:30–17:30 Madrid)",
        {},
        { profiles: { [MAD]: { timeZone: MADRID, workingHours: EARLY } } },
        ['2026-01-19T07:30:00.000Z overdue t-1 c-madrid #1'],
      ],
      [
        'due Wednesday in Madrid: Thursday 09:00 (overdue from midnight, not from the due day)',
        { dueDate: '2026-01-14' },
        { now: new Date('2026-01-14T12:00:00Z') },
        ['2026-01-15T08:00:00.000Z overdue t-1 c-madrid #1'],
      ],
      [
        'due Wednesday in Shanghai: Thursday 09:00 there',
        { dueDate: '2026-01-14', assigneeContactId: SHA },
        { now: new Date('2026-01-14T12:00:00Z') },
        ['2026-01-15T01:00:00.000Z overdue t-1 c-shanghai #1'],
      ],
      [
        'second reminder one working day after the first',
        {},
        {
          now: new Date('2026-01-19T08:00:00Z'),
          taskProgress: {
            't-1': { key: '2026-01-16|c-madrid', ...sent(1, '2026-01-19T08:00:00Z') },
          },
        },
        ['2026-01-20T08:00:00.000Z overdue t-1 c-madrid #2'],
      ],
      [
        'the partnership interval (60 working minutes)',
        {},
        {
          now: new Date('2026-01-19T08:00:00Z'),
          policy: mergeFollowUpPolicy(QUIET, { overdueTasks: { repeatEveryWorkingMinutes: 60 } }),
          taskProgress: {
            't-1': { key: '2026-01-16|c-madrid', ...sent(1, '2026-01-19T08:00:00Z') },
          },
        },
        ['2026-01-19T09:00:00.000Z overdue t-1 c-madrid #2'],
      ],
      [
        'due date moved: starts over at #1',
        {},
        {
          taskProgress: {
            't-1': { key: '2026-01-14|c-madrid', ...sent(2, '2026-01-16T08:00:00Z') },
          },
        },
        ['2026-01-19T08:00:00.000Z overdue t-1 c-madrid #1'],
      ],
      [
        'assignee changed: starts over at #1, in the new assignee\u2019s zone',
        {},
        {
          now: new Date('2026-01-19T01:00:00Z'),
          taskProgress: {
            't-1': { key: '2026-01-16|c-shanghai', ...sent(1, '2026-01-19T01:00:00Z') },
          },
        },
        ['2026-01-19T08:00:00.000Z overdue t-1 c-madrid #1'],
      ],
      [
        "another task's progress does not count",
        {},
        { taskProgress: { 't-2': { key: '2026-01-16|c-madrid', ...sent(3, FRIDAY_EVENING) } } },
        ['2026-01-19T08:00:00.000Z overdue t-1 c-madrid #1'],
      ],
      [
        'stops after maxReminders (3)',
        {},
        {
          now: new Date('2026-01-21T08:00:00Z'),
          taskProgress: {
            't-1': { key: '2026-01-16|c-madrid', ...sent(3, '2026-01-21T08:00:00Z') },
          },
        },
        [],
      ],
      [
        'a higher maxReminders goes on',
        {},
        {
          now: new Date('2026-01-21T08:00:00Z'),
          policy: mergeFollowUpPolicy(QUIET, { overdueTasks: { maxReminders: 5 } }),
          taskProgress: {
            't-1': { key: '2026-01-16|c-madrid', ...sent(3, '2026-01-21T08:00:00Z') },
          },
        },
        ['2026-01-22T08:00:00.000Z overdue t-1 c-madrid #4'],
      ],
      ['a done task', { status: 'done', completedAt: '2026-01-17T10:00:00Z' }, {}, []],
      ['no due date', { dueDate: null }, {}, []],
      ['no assignee', { assigneeContactId: null }, {}, []],
      [
        'overdue reminders disabled',
        {},
        { policy: mergeFollowUpPolicy(QUIET, { overdueTasks: { enabled: false } }) },
        [],
      ],
    ])('%s', (_case, taskPatch, worldPatch, expected) => {
      expect(plan(world({ tasks: [task(taskPatch)], ...worldPatch }))).toEqual(expected);
    });

    it('returns the full item, with the due date and the progress key', () => {
      expect(planFollowUps(world({ tasks: [task()] }))).toEqual([
        {
          kind: 'task-overdue',
          at: new Date('2026-01-19T08:00:00Z'),
          taskId: 't-1',
          contactId: MAD,
          dueDate: '2026-01-16',
          key: '2026-01-16|c-madrid',
          reminderNumber: 1,
        },
      ]);
    });

    it('keys progress by due date and assignee', () => {
      expect(taskFollowUpKey({ dueDate: '2026-01-16', assigneeContactId: MAD })).toBe(
        '2026-01-16|c-madrid',
      );
    });
  });

  describe('stalled stage', () => {
    /** Stall reminders after 2 working days (1080 minutes) in the coordinator's zone. */
    const stallPolicy = (
      timeZone = MADRID,
      stalledStage: Partial<FollowUpPolicy['stalledStage']> = {},
    ) =>
      mergeFollowUpPolicy(DEFAULT_FOLLOW_UP_POLICY, {
        stalledStage: { afterWorkingDays: 2, ...stalledStage },
        coordinator: { timeZone },
      });

    it.each<[string, Partial<FollowUpWorld>, string[]]>([
      [
        'coordinator in Madrid: 2 working days after the last activity, Wednesday 09:00',
        {},
        ['2026-01-21T08:00:00.000Z stalled introduction since 2026-01-16T18:30:00.000Z #1'],
      ],
      [
        'coordinator in Shanghai: Wednesday 09:00 there',
        { policy: stallPolicy(SHANGHAI) },
        ['2026-01-21T01:00:00.000Z stalled introduction since 2026-01-16T18:30:00.000Z #1'],
      ],
      [
        'default policy (10 working days, UTC): Monday two weeks later',
        { policy: DEFAULT_FOLLOW_UP_POLICY },
        ['2026-02-02T09:00:00.000Z stalled introduction since 2026-01-16T18:30:00.000Z #1'],
      ],
      [
        'the stage is named',
        { stage: 'project_proposal' },
        ['2026-01-21T08:00:00.000Z stalled project_proposal since 2026-01-16T18:30:00.000Z #1'],
      ],
      [
        'second reminder 2 working days after the first was sent',
        {
          now: new Date('2026-01-21T08:00:00Z'),
          stall: { since: FRIDAY_EVENING, ...sent(1, '2026-01-21T08:00:00Z') },
        },
        ['2026-01-23T08:00:00.000Z stalled introduction since 2026-01-16T18:30:00.000Z #2'],
      ],
      [
        'stops after maxReminders (3)',
        {
          now: new Date('2026-01-27T08:00:00Z'),
          stall: { since: FRIDAY_EVENING, ...sent(3, '2026-01-27T08:00:00Z') },
        },
        [],
      ],
      [
        'a stall clock restarted from Monday 11:00 rings on Wednesday 11:00',
        {
          now: new Date('2026-01-21T08:00:00Z'),
          lastActivityAt: '2026-01-19T10:00:00Z',
          stall: { since: '2026-01-19T10:00:00Z', ...sent(0) },
        },
        ['2026-01-21T10:00:00.000Z stalled introduction since 2026-01-19T10:00:00.000Z #1'],
      ],
      [
        'activity exactly at the start of the clock: no restart',
        { stall: { since: FRIDAY_EVENING, ...sent(0) } },
        ['2026-01-21T08:00:00.000Z stalled introduction since 2026-01-16T18:30:00.000Z #1'],
      ],
      [
        'activity since, nothing sent yet: restart when the clock would have rung',
        {
          now: new Date('2026-01-19T10:00:00Z'),
          lastActivityAt: '2026-01-19T10:00:00Z',
          stall: { since: FRIDAY_EVENING, ...sent(0) },
        },
        ['2026-01-21T08:00:00.000Z stall-restart since 2026-01-19T10:00:00.000Z'],
      ],
      [
        'activity since, reminders sent: restart now (even on a Saturday)',
        {
          now: new Date('2026-01-24T10:05:00Z'),
          lastActivityAt: '2026-01-24T10:00:00Z',
          stall: { since: FRIDAY_EVENING, ...sent(1, '2026-01-21T08:00:00Z') },
        },
        ['2026-01-24T10:05:00.000Z stall-restart since 2026-01-24T10:00:00.000Z'],
      ],
      [
        'activity after all reminders were sent: restart now',
        {
          now: new Date('2026-01-28T10:00:00Z'),
          lastActivityAt: '2026-01-28T09:00:00Z',
          stall: { since: FRIDAY_EVENING, ...sent(3, '2026-01-27T08:00:00Z') },
        },
        ['2026-01-28T10:00:00.000Z stall-restart since 2026-01-28T09:00:00.000Z'],
      ],
      ['none in stage agreed', { stage: 'agreed' }, []],
      ['none when disabled', { policy: stallPolicy(MADRID, { enabled: false }) }, []],
    ])('%s', (_case, patch, expected) => {
      expect(plan(world({ policy: stallPolicy(), ...patch }))).toEqual(expected);
    });

    it('returns the full items', () => {
      expect(planFollowUps(world({ policy: stallPolicy() }))).toEqual([
        {
          kind: 'stage-stalled',
          at: new Date('2026-01-21T08:00:00Z'),
          stage: 'introduction',
          since: FRIDAY_EVENING,
          reminderNumber: 1,
        },
      ]);
      expect(
        planFollowUps(
          world({
            policy: stallPolicy(),
            lastActivityAt: '2026-01-19T10:00:00Z',
            stall: { since: FRIDAY_EVENING, ...sent(0) },
          }),
        ),
      ).toEqual([
        {
          kind: 'stall-restart',
          at: new Date('2026-01-21T08:00:00Z'),
          since: '2026-01-19T10:00:00Z',
        },
      ]);
    });
  });

  describe('order', () => {
    it('sorts every kind by `at`, whatever the input order', () => {
      const w = world({
        policy: mergeFollowUpPolicy(DEFAULT_FOLLOW_UP_POLICY, {
          stalledStage: { afterWorkingDays: 2 }, // coordinator in UTC: Wednesday 09:00Z
        }),
        approvals: [request()],
        tasks: [task(), task({ id: 't-2', assigneeContactId: SHA })],
      });
      expect(plan(w)).toEqual([
        '2026-01-19T01:00:00.000Z overdue t-2 c-shanghai #1',
        '2026-01-19T08:00:00.000Z overdue t-1 c-madrid #1',
        '2026-01-21T01:00:00.000Z reminder ap-1 c-shanghai #1',
        '2026-01-21T08:00:00.000Z reminder ap-1 c-madrid #1',
        '2026-01-21T09:00:00.000Z stalled introduction since 2026-01-16T18:30:00.000Z #1',
      ]);
      const times = planFollowUps(w).map((f) => f.at.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it('plans nothing for a quiet partnership', () => {
      expect(planFollowUps(world())).toEqual([]);
    });
  });
});

describe(followUpPolicyProblems.name, () => {
  it('accepts the default policy', () => {
    expect(followUpPolicyProblems(DEFAULT_FOLLOW_UP_POLICY)).toEqual([]);
  });

  it('default: 2 days then daily for approvals, daily for tasks, 10 days for stalls, UTC English', () => {
    expect(DEFAULT_FOLLOW_UP_POLICY).toEqual({
      approvals: {
        firstAfterWorkingMinutes: 1080,
        repeatEveryWorkingMinutes: 540,
        maxReminders: 3,
        escalate: true,
      },
      overdueTasks: { enabled: true, repeatEveryWorkingMinutes: 540, maxReminders: 3 },
      stalledStage: { enabled: true, afterWorkingDays: 10, maxReminders: 3 },
      coordinator: { timeZone: 'UTC', language: 'en' },
      bilingualEmails: false,
    });
  });

  it.each<[string, unknown, string]>([
    [
      'approvals.firstAfterWorkingMinutes 0',
      { approvals: { firstAfterWorkingMinutes: 0 } },
      'approvals.firstAfterWorkingMinutes must be a positive integer',
    ],
    [
      'approvals.repeatEveryWorkingMinutes 29',
      { approvals: { repeatEveryWorkingMinutes: 29 } },
      'approvals.repeatEveryWorkingMinutes must be at least 30',
    ],
    [
      'approvals.maxReminders 21',
      { approvals: { maxReminders: 21 } },
      'approvals.maxReminders must be at most 20',
    ],
    [
      'approvals.escalate "yes"',
      { approvals: { escalate: 'yes' } },
      'approvals.escalate must be a boolean',
    ],
    [
      'overdueTasks.enabled "yes"',
      { overdueTasks: { enabled: 'yes' } },
      'overdueTasks.enabled must be a boolean',
    ],
    [
      'overdueTasks.repeatEveryWorkingMinutes 29',
      { overdueTasks: { repeatEveryWorkingMinutes: 29 } },
      'overdueTasks.repeatEveryWorkingMinutes must be an integer from 30 to 54000',
    ],
    [
      'overdueTasks.repeatEveryWorkingMinutes 90.5',
      { overdueTasks: { repeatEveryWorkingMinutes: 90.5 } },
      'overdueTasks.repeatEveryWorkingMinutes must be an integer from 30 to 54000',
    ],
    [
      'overdueTasks.maxReminders 0',
      { overdueTasks: { maxReminders: 0 } },
      'overdueTasks.maxReminders must be an integer from 1 to 20',
    ],
    [
      'overdueTasks.maxReminders 21',
      { overdueTasks: { maxReminders: 21 } },
      'overdueTasks.maxReminders must be an integer from 1 to 20',
    ],
    [
      'stalledStage.enabled 1',
      { stalledStage: { enabled: 1 } },
      'stalledStage.enabled must be a boolean',
    ],
    [
      'stalledStage.afterWorkingDays 0',
      { stalledStage: { afterWorkingDays: 0 } },
      'stalledStage.afterWorkingDays must be an integer from 1 to 100',
    ],
    [
      'stalledStage.afterWorkingDays 366',
      { stalledStage: { afterWorkingDays: 366 } },
      'stalledStage.afterWorkingDays must be an integer from 1 to 100',
    ],
    [
      'stalledStage.afterWorkingDays 2.5',
      { stalledStage: { afterWorkingDays: 2.5 } },
      'stalledStage.afterWorkingDays must be an integer from 1 to 100',
    ],
    [
      'stalledStage.maxReminders 0',
      { stalledStage: { maxReminders: 0 } },
      'stalledStage.maxReminders must be an integer from 1 to 20',
    ],
    [
      'stalledStage.maxReminders 21',
      { stalledStage: { maxReminders: 21 } },
      'stalledStage.maxReminders must be an integer from 1 to 20',
    ],
    [
      'coordinator.timeZone Mars/Base',
      { coordinator: { timeZone: 'Mars/Base' } },
      'coordinator.timeZone must be an IANA time-zone name',
    ],
    [
      'coordinator.timeZone empty',
      { coordinator: { timeZone: '' } },
      'coordinator.timeZone must be an IANA time-zone name',
    ],
    [
      'coordinator.language fr',
      { coordinator: { language: 'fr' } },
      'coordinator.language must be one of en, es, zh',
    ],
    [
      'coordinator.country es (lower case)',
      { coordinator: { country: 'es' } },
      'coordinator.country must be an ISO 3166-1 alpha-2 code, e.g. ES',
    ],
    [
      'coordinator.country Spain',
      { coordinator: { country: 'Spain' } },
      'coordinator.country must be an ISO 3166-1 alpha-2 code, e.g. ES',
    ],
    [
      'coordinator.region too long',
      { coordinator: { region: 'x'.repeat(201) } },
      'coordinator.region must be a text of at most 200 characters',
    ],
    [
      'coordinator.region a number',
      { coordinator: { region: 7 } },
      'coordinator.region must be a text of at most 200 characters',
    ],
    ['bilingualEmails "yes"', { bilingualEmails: 'yes' }, 'bilingualEmails must be a boolean'],
  ])('names %s', (_case, patch, problem) => {
    const policy = mergeFollowUpPolicy(DEFAULT_FOLLOW_UP_POLICY, patch as FollowUpPolicyPatch);
    expect(followUpPolicyProblems(policy)).toEqual([problem]);
  });

  it('lists every problem at once', () => {
    const policy = mergeFollowUpPolicy(DEFAULT_FOLLOW_UP_POLICY, {
      approvals: { maxReminders: 0 },
      stalledStage: { afterWorkingDays: 0 },
      coordinator: { language: 'fr' },
    } as unknown as FollowUpPolicyPatch);
    expect(followUpPolicyProblems(policy)).toEqual([
      'approvals.maxReminders must be a positive integer',
      'stalledStage.afterWorkingDays must be an integer from 1 to 100',
      'coordinator.language must be one of en, es, zh',
    ]);
  });

  it.each<[string, FollowUpPolicyPatch]>([
    ['the shortest task interval', { overdueTasks: { repeatEveryWorkingMinutes: 30 } }],
    [
      'the most reminders',
      { overdueTasks: { maxReminders: 20 }, stalledStage: { maxReminders: 20 } },
    ],
    ['the longest stall', { stalledStage: { afterWorkingDays: 100 } }],
    ['everything off', { overdueTasks: { enabled: false }, stalledStage: { enabled: false } }],
    [
      'a coordinator in Shanghai writing Chinese',
      { coordinator: { timeZone: SHANGHAI, language: 'zh' } },
    ],
    [
      'a coordinator in Madrid writing Spanish, bilingual',
      { coordinator: { timeZone: MADRID, language: 'es' }, bilingualEmails: true },
    ],
    [
      'a coordinator working in the Valencian Community',
      { coordinator: { country: 'ES', region: 'Valencian Community' } },
    ],
    ['a coordinator in a country, no region', { coordinator: { country: 'CN', region: '' } }],
  ])('accepts %s', (_case, patch) => {
    expect(followUpPolicyProblems(mergeFollowUpPolicy(DEFAULT_FOLLOW_UP_POLICY, patch))).toEqual(
      [],
    );
  });
});

describe(mergeFollowUpPolicy.name, () => {
  /** A plain (not frozen) copy, so a mutation would show rather than throw. */
  const base = (): FollowUpPolicy => JSON.parse(JSON.stringify(DEFAULT_FOLLOW_UP_POLICY));

  it('an empty patch gives an equal, separate policy', () => {
    const b = base();
    const merged = mergeFollowUpPolicy(b, {});
    expect(merged).toEqual(b);
    expect(merged).not.toBe(b);
    for (const part of ['approvals', 'overdueTasks', 'stalledStage', 'coordinator'] as const) {
      expect(merged[part]).not.toBe(b[part]);
    }
  });

  it('merges nested partial patches, keeping the rest', () => {
    const merged = mergeFollowUpPolicy(base(), {
      approvals: { maxReminders: 5 },
      overdueTasks: { enabled: false },
      stalledStage: { afterWorkingDays: 3 },
      coordinator: { language: 'es' },
      bilingualEmails: true,
    });
    expect(merged).toEqual({
      approvals: {
        firstAfterWorkingMinutes: 1080,
        repeatEveryWorkingMinutes: 540,
        maxReminders: 5,
        escalate: true,
      },
      overdueTasks: { enabled: false, repeatEveryWorkingMinutes: 540, maxReminders: 3 },
      stalledStage: { enabled: true, afterWorkingDays: 3, maxReminders: 3 },
      coordinator: { timeZone: 'UTC', language: 'es' },
      bilingualEmails: true,
    });
  });

  it('does not mutate the base', () => {
    const b = base();
    const before = JSON.parse(JSON.stringify(b));
    mergeFollowUpPolicy(b, {
      approvals: { escalate: false },
      overdueTasks: { maxReminders: 1 },
      stalledStage: { enabled: false },
      coordinator: { timeZone: SHANGHAI },
      bilingualEmails: true,
    });
    expect(b).toEqual(before);
  });

  it('works on the frozen default too', () => {
    const merged = mergeFollowUpPolicy(DEFAULT_FOLLOW_UP_POLICY, {
      coordinator: { timeZone: MADRID },
    });
    expect(merged.coordinator).toEqual({ timeZone: MADRID, language: 'en' });
    expect(DEFAULT_FOLLOW_UP_POLICY.coordinator).toEqual({ timeZone: 'UTC', language: 'en' });
  });

  it.each([
    [true, false, false],
    [false, true, true],
    [true, undefined, true],
  ])('bilingualEmails %s patched with %s is %s', (was, patch, expected) => {
    const merged = mergeFollowUpPolicy(
      { ...base(), bilingualEmails: was },
      { bilingualEmails: patch },
    );
    expect(merged.bilingualEmails).toBe(expected);
  });

  it('patches merge one after another', () => {
    const once = mergeFollowUpPolicy(base(), { coordinator: { timeZone: SHANGHAI } });
    const twice = mergeFollowUpPolicy(once, { coordinator: { language: 'zh' } });
    expect(twice.coordinator).toEqual({ timeZone: SHANGHAI, language: 'zh' });
    expect(once.coordinator).toEqual({ timeZone: SHANGHAI, language: 'en' });
  });
});

describe('a delegate’s reminders', () => {
  it('count from when the delegate was asked, not from the request', () => {
    const requestedAt = '2026-01-16T18:30:00Z'; // Friday evening in Madrid
    const askedAt = '2026-01-22T10:00:00Z'; // Thursday 11:00 in Madrid, after reminder 1's instant
    const plan = planFollowUps({
      now: new Date(askedAt),
      status: 'active',
      stage: 'introduction',
      policy: {
        ...DEFAULT_FOLLOW_UP_POLICY,
        stalledStage: { ...DEFAULT_FOLLOW_UP_POLICY.stalledStage, enabled: false },
      },
      approvals: [
        {
          id: 'ap-1',
          subject: { kind: 'document', title: 'MoU' },
          status: 'pending',
          requestedAt,
          deadline: '2026-03-01T00:00:00Z',
          requestedBy: {},
          organisations: [
            {
              organisationId: 'org-es',
              rule: { kind: 'all' },
              approvers: [
                { contactId: 'c-1', delegatedFrom: null, delegated: true, decision: null },
                {
                  contactId: 'c-2',
                  delegatedFrom: 'c-1',
                  delegated: false,
                  decision: null,
                  timeZone: 'Europe/Madrid',
                  workingHours: DEFAULT_WORKING_HOURS,
                  reminders: { sent: 0, lastAt: null },
                  askedAt,
                },
              ],
            },
          ],
          closedAt: null,
          followUps: true,
        },
      ],
      tasks: [],
      profiles: {},
      taskProgress: {},
      stall: null,
      lastActivityAt: askedAt,
    });
    // Two working days (18 h) from Thursday 11:00 Madrid: Monday 11:00 Madrid.
    expect(plan.map((p) => [p.kind, p.at.toISOString()])).toEqual([
      ['approval-reminder', '2026-01-26T10:00:00.000Z'],
    ]);
  });
});
