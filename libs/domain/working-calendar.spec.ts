/**
 * The reminder rule in a working calendar, over real dates: the calendars are built from the
 * maintained data (libs/calendars) the workers will snapshot, so a table row states what a
 * coordinator in Valencia or Chengdu would check on a wall calendar.
 */
import { workingCalendarFor } from '../calendars';
import { DomainError, ErrorCode } from './errors';
import {
  FollowUpWorld,
  mergeFollowUpPolicy,
  planFollowUps,
  DEFAULT_FOLLOW_UP_POLICY,
} from './follow-ups';
import { tasksFromTemplate } from './lifecycle';
import {
  addWorkingDuration,
  DEFAULT_REMINDER_POLICY,
  nextFollowUp,
  nextWorkingDays,
  nextWorkingInstant,
} from './reminders';
import {
  EMPTY_CALENDAR,
  MAX_CALENDAR_DAYS,
  WorkingCalendar,
  workingCalendarsProblems,
} from './working-calendar';
import { DEFAULT_WORKING_HOURS, WorkingHours } from './working-hours';

const MADRID = 'Europe/Madrid'; // UTC+1 in December and March
const SHANGHAI = 'Asia/Shanghai'; // UTC+8, no DST

const DEF = DEFAULT_WORKING_HOURS; // 09:00–18:00, Monday to Friday
const EARLY: WorkingHours = { start: '08:30', end: '17:30', days: [1, 2, 3, 4, 5] };

const ES = workingCalendarFor({ country: 'ES', region: null }, '2026-01-01', '2027-12-31');
const ES_MD = workingCalendarFor({ country: 'ES', region: 'MD' }, '2026-01-01', '2027-12-31');
const ES_VC = workingCalendarFor(
  { country: 'ES', region: 'Valencian Community' },
  '2026-01-01',
  '2027-12-31',
);
const CN = workingCalendarFor({ country: 'CN', region: 'Sichuan' }, '2026-01-01', '2027-12-31');

const CALENDARS: Record<string, WorkingCalendar | undefined> = {
  none: undefined,
  ES,
  'ES-MD': ES_MD,
  'ES-VC': ES_VC,
  CN,
};

describe('working time in a working calendar, over real dates', () => {
  describe(addWorkingDuration.name, () => {
    it.each<[string, string, keyof typeof CALENDARS, string, number, string]>([
      // [case, zone, calendar, from, working minutes, expected]
      [
        'Madrid: Fri 4 Dec 2026 17:30 + 60 min → Wed 9 Dec 09:30 (Mon 7 replaces Sunday 6 Dec, Tue 8 Inmaculada)',
        MADRID,
        'ES-MD',
        '2026-12-04T16:30:00Z',
        60,
        '2026-12-09T08:30:00Z',
      ],
      [
        'Valencia: the same request → Mon 7 Dec 09:30 (6 Dec is a Sunday and is not moved there)',
        MADRID,
        'ES-VC',
        '2026-12-04T16:30:00Z',
        60,
        '2026-12-07T08:30:00Z',
      ],
      [
        'Spain, no region: the same request → Mon 7 Dec 09:30',
        MADRID,
        'ES',
        '2026-12-04T16:30:00Z',
        60,
        '2026-12-07T08:30:00Z',
      ],
      [
        'Madrid: Mon 7 Dec 2026 17:30, a holiday there, + 60 min → Wed 9 Dec 10:00',
        MADRID,
        'ES-MD',
        '2026-12-07T16:30:00Z',
        60,
        '2026-12-09T09:00:00Z',
      ],
      [
        'Valencia: Wed 18 Mar 2026 17:30 + 60 min → Fri 20 Mar 09:30 (San José, Thursday 19)',
        MADRID,
        'ES-VC',
        '2026-03-18T16:30:00Z',
        60,
        '2026-03-20T08:30:00Z',
      ],
      [
        'Madrid: the same request → Thu 19 Mar 09:30 (San José is no holiday in Madrid in 2026)',
        MADRID,
        'ES-MD',
        '2026-03-18T16:30:00Z',
        60,
        '2026-03-19T08:30:00Z',
      ],
      [
        'Valencia: Thu 18 Mar 2027 17:30 + 60 min → Mon 22 Mar 09:30 (San José, Friday 19)',
        MADRID,
        'ES-VC',
        '2027-03-18T16:30:00Z',
        60,
        '2027-03-22T08:30:00Z',
      ],
      [
        'Madrid: the same request → Fri 19 Mar 2027 09:30',
        MADRID,
        'ES-MD',
        '2027-03-18T16:30:00Z',
        60,
        '2027-03-19T08:30:00Z',
      ],
      [
        'Spain: Fri 3 Dec 2027 17:30 + 60 min → Tue 7 Dec 09:30 (Constitución, Monday 6)',
        MADRID,
        'ES',
        '2027-12-03T16:30:00Z',
        60,
        '2027-12-07T08:30:00Z',
      ],
      [
        'Spain: Tue 7 Dec 2027 17:30 + 60 min → Thu 9 Dec 09:30 (Inmaculada, Wednesday 8)',
        MADRID,
        'ES',
        '2027-12-07T16:30:00Z',
        60,
        '2027-12-09T08:30:00Z',
      ],
      [
        'Chengdu: Fri 13 Feb 2026 17:30 + 60 min → Sat 14 Feb 09:30, the make-up Saturday',
        SHANGHAI,
        'CN',
        '2026-02-13T09:30:00Z',
        60,
        '2026-02-14T01:30:00Z',
      ],
      [
        'Chengdu: Sat 14 Feb 2026 17:30 + 60 min → Tue 24 Feb 09:30, after Spring Festival (15–23 Feb)',
        SHANGHAI,
        'CN',
        '2026-02-14T09:30:00Z',
        60,
        '2026-02-24T01:30:00Z',
      ],
      [
        'Chengdu: Fri 27 Feb 2026 17:30 + 60 min → Sat 28 Feb 09:30, the second make-up Saturday',
        SHANGHAI,
        'CN',
        '2026-02-27T09:30:00Z',
        60,
        '2026-02-28T01:30:00Z',
      ],
      [
        'Chengdu: Wed 30 Sep 2026 17:30 + 60 min → Thu 8 Oct 09:30, after National Day (1–7 Oct)',
        SHANGHAI,
        'CN',
        '2026-09-30T09:30:00Z',
        60,
        '2026-10-08T01:30:00Z',
      ],
      [
        'Chengdu: Fri 9 Oct 2026 17:30 + 60 min → Sat 10 Oct 09:30, the make-up Saturday',
        SHANGHAI,
        'CN',
        '2026-10-09T09:30:00Z',
        60,
        '2026-10-10T01:30:00Z',
      ],
      [
        'Chengdu: two working days from Fri 13 Feb 2026 18:00 are Sat 14 and Tue 24 → Wed 25 09:00',
        SHANGHAI,
        'CN',
        '2026-02-13T10:00:00Z',
        2 * 540,
        '2026-02-25T01:00:00Z',
      ],
    ])('%s', (_case, zone, calendar, from, minutes, expected) => {
      expect(
        addWorkingDuration(new Date(from), minutes, zone, DEF, CALENDARS[calendar]).toISOString(),
      ).toBe(new Date(expected).toISOString());
    });
  });

  describe(nextWorkingInstant.name, () => {
    it.each<[string, string, keyof typeof CALENDARS, WorkingHours, string, string]>([
      // [case, zone, calendar, hours, from, expected]
      [
        'Madrid: Tue 8 Dec 2026 11:00 (Inmaculada) → Wed 9 Dec 09:00',
        MADRID,
        'ES-MD',
        DEF,
        '2026-12-08T10:00:00Z',
        '2026-12-09T08:00:00Z',
      ],
      [
        'without a calendar the same instant stands: weekly hours alone',
        MADRID,
        'none',
        DEF,
        '2026-12-08T10:00:00Z',
        '2026-12-08T10:00:00Z',
      ],
      [
        'Chengdu: Wed 18 Feb 2026 10:00 (Spring Festival) → Tue 24 Feb 09:00',
        SHANGHAI,
        'CN',
        DEF,
        '2026-02-18T02:00:00Z',
        '2026-02-24T01:00:00Z',
      ],
      [
        'Chengdu: Sat 14 Feb 2026 08:00 → the make-up Saturday at 09:00',
        SHANGHAI,
        'CN',
        DEF,
        '2026-02-14T00:00:00Z',
        '2026-02-14T01:00:00Z',
      ],
      [
        "Chengdu: a make-up Saturday keeps the contact's own start (08:30)",
        SHANGHAI,
        'CN',
        EARLY,
        '2026-02-14T00:00:00Z',
        '2026-02-14T00:30:00Z',
      ],
      [
        'Chengdu: Sat 19 Sep 2026 12:00 → Sun 20 Sep 09:00, the make-up Sunday before National Day',
        SHANGHAI,
        'CN',
        DEF,
        '2026-09-19T04:00:00Z',
        '2026-09-20T01:00:00Z',
      ],
      [
        'Chengdu: Fri 2 Oct 2026 11:00 (National Day) → Thu 8 Oct 09:00',
        SHANGHAI,
        'CN',
        DEF,
        '2026-10-02T03:00:00Z',
        '2026-10-08T01:00:00Z',
      ],
    ])('%s', (_case, zone, calendar, hours, from, expected) => {
      expect(
        nextWorkingInstant(new Date(from), zone, hours, CALENDARS[calendar]).toISOString(),
      ).toBe(new Date(expected).toISOString());
    });
  });

  it('an empty calendar changes nothing', () => {
    const froms = ['2026-12-04T16:30:00Z', '2026-02-13T09:30:00Z', '2026-10-02T03:00:00Z'];
    for (const from of froms) {
      for (const zone of [MADRID, SHANGHAI]) {
        expect(addWorkingDuration(new Date(from), 600, zone, DEF, EMPTY_CALENDAR)).toEqual(
          addWorkingDuration(new Date(from), 600, zone, DEF),
        );
        expect(nextWorkingInstant(new Date(from), zone, DEF, EMPTY_CALENDAR)).toEqual(
          nextWorkingInstant(new Date(from), zone, DEF),
        );
      }
    }
  });
});

describe('the look-ahead in a working calendar', () => {
  const closedFor = (first: string, days: number): WorkingCalendar => ({
    offDays: Array.from({ length: days }, (_, k) => ({
      date: new Date(Date.parse(`${first}T00:00:00Z`) + k * 86_400_000).toISOString().slice(0, 10),
      name: 'Cierre de verano',
      kind: 'closure' as const,
    })),
    workingDays: [],
  });

  it('skips a closure longer than the weekly look-ahead: August 2026 closed → Tue 1 Sep 09:00', () => {
    expect(
      nextWorkingInstant(
        new Date('2026-07-31T16:30:00Z'),
        MADRID,
        DEF,
        closedFor('2026-08-01', 31),
      ).toISOString(),
    ).toBe('2026-09-01T07:00:00.000Z');
  });

  it('fails clearly, without looping, when the calendar leaves no working day', () => {
    const closed = closedFor('2026-01-01', 400);
    let error: unknown;
    try {
      addWorkingDuration(new Date('2026-01-05T09:00:00Z'), 60, MADRID, DEF, closed);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
      message: 'No working window found',
    });
  });
});

describe('follow-ups in the recipient’s calendar', () => {
  /** Friday 4 December 2026, 17:30 in Madrid; 00:30 on Saturday in Chengdu. */
  const FRIDAY = '2026-12-04T16:30:00Z';

  it(`${nextFollowUp.name}: the first reminder, two working days on, skips Madrid’s 7 and 8 December`, () => {
    const input = {
      since: new Date(FRIDAY),
      policy: DEFAULT_REMINDER_POLICY,
      timeZone: MADRID,
      hours: DEF,
      progress: { sent: 0, lastAt: null },
      now: new Date(FRIDAY),
    };
    // 30 min on Friday, 540 on Wednesday 9, 510 on Thursday 10 → Thursday 17:30.
    expect(nextFollowUp({ ...input, calendar: ES_MD })?.at.toISOString()).toBe(
      '2026-12-10T16:30:00.000Z',
    );
    expect(nextFollowUp(input)?.at.toISOString()).toBe('2026-12-08T16:30:00.000Z');
  });

  it(`${nextFollowUp.name}: a snooze that ends on a holiday moves on to the next working day`, () => {
    const next = nextFollowUp({
      since: new Date(FRIDAY),
      policy: { ...DEFAULT_REMINDER_POLICY, firstAfterWorkingMinutes: 60 },
      timeZone: MADRID,
      hours: DEF,
      progress: { sent: 0, lastAt: null },
      notBefore: new Date('2026-12-08T10:00:00Z'), // Tuesday 8 December, 11:00 in Madrid
      now: new Date(FRIDAY),
      calendar: ES_VC,
    });
    expect(next?.at.toISOString()).toBe('2026-12-09T08:00:00.000Z');
  });

  it(`${planFollowUps.name}: approvers, task assignees and the coordinator each in their own calendar`, () => {
    const approver = (contactId: string, timeZone: string) => ({
      contactId,
      delegatedFrom: null,
      delegated: false,
      decision: null,
      timeZone,
      workingHours: DEF,
      reminders: { sent: 0, lastAt: null },
    });
    const world: FollowUpWorld = {
      // Wed 30 Sep 2026 at 18:30 in Chengdu, the eve of National Day (1–7 October).
      now: new Date('2026-09-30T10:30:00Z'),
      status: 'active',
      stage: 'introduction',
      policy: mergeFollowUpPolicy(DEFAULT_FOLLOW_UP_POLICY, {
        stalledStage: { afterWorkingDays: 1 },
        coordinator: { timeZone: SHANGHAI },
      }),
      approvals: [
        {
          id: 'ap-1',
          subject: { kind: 'document', title: 'Memorandum of understanding' },
          status: 'pending',
          requestedAt: '2026-09-30T10:30:00Z',
          deadline: '2026-12-31T00:00:00Z',
          requestedBy: { name: 'Coordinator' },
          organisations: [
            {
              organisationId: 'org-cn',
              rule: { kind: 'all' },
              approvers: [approver('c-cn', SHANGHAI)],
            },
          ],
          closedAt: null,
          followUps: true,
          reminderPolicy: { ...DEFAULT_REMINDER_POLICY, firstAfterWorkingMinutes: 60 },
          snoozedUntil: null,
          escalatedAt: null,
        },
      ],
      // A template task of the introduction, assigned to the Chinese contact, due 30 September.
      tasks: tasksFromTemplate([
        {
          key: 'draft',
          stage: 'introduction',
          title: 'Share the draft',
          required: true,
          kind: 'task',
        },
      ]).map((t) => ({ ...t, assigneeContactId: 'c-cn', dueDate: '2026-09-30' })),
      profiles: { 'c-cn': { timeZone: SHANGHAI, workingHours: DEF, organisationId: 'org-cn' } },
      taskProgress: {},
      stall: null,
      lastActivityAt: '2026-09-30T10:30:00Z',
      calendars: { 'org-cn': CN },
      coordinatorCalendar: CN,
    };
    const lines = (w: FollowUpWorld) =>
      planFollowUps(w).map((f) => `${f.at.toISOString()} ${f.kind}`);
    // After the holiday week: the overdue task reminds on Thursday 8 at 09:00, the approver an
    // hour later, and the coordinator's one working day, all of Thursday 8 → Friday 9 09:00.
    expect(lines(world)).toEqual([
      '2026-10-08T01:00:00.000Z task-overdue',
      '2026-10-08T02:00:00.000Z approval-reminder',
      '2026-10-09T01:00:00.000Z stage-stalled',
    ]);
    // The make-up Sunday 20 September counts: from Saturday 19 at 01:00 → Sunday 20 at 09:00.
    const earlier = {
      ...world,
      now: new Date('2026-09-18T17:00:00Z'),
      lastActivityAt: '2026-09-18T17:00:00Z',
      approvals: [{ ...world.approvals[0], requestedAt: '2026-09-18T17:00:00Z' }],
      tasks: [{ ...world.tasks[0], dueDate: '2026-09-18' }],
    };
    expect(lines(earlier)).toEqual([
      '2026-09-20T01:00:00.000Z task-overdue',
      '2026-09-20T02:00:00.000Z approval-reminder',
      '2026-09-21T01:00:00.000Z stage-stalled',
    ]);
  });
});

describe(workingCalendarsProblems.name, () => {
  const day = { date: '2026-12-08', name: 'Inmaculada', kind: 'public_holiday' as const };
  const ok: WorkingCalendar = { offDays: [day], workingDays: [] };
  it.each<[string, unknown, string[]]>([
    ['a valid snapshot', { es: ok, cn: EMPTY_CALENDAR }, []],
    ['none at all', {}, []],
    ['a list', [], ['calendars must be an object of working calendars by organisation id']],
    ['another organisation', { xx: ok }, ['xx is not an organisation of the partnership']],
    ['days not lists', { es: { offDays: {} } }, ['es: offDays and workingDays must be lists']],
    [
      'a malformed date',
      { es: { offDays: [{ ...day, date: '2026-13-01' }], workingDays: [] } },
      [`es: ${JSON.stringify({ ...day, date: '2026-13-01' })} is not a calendar day`],
    ],
    [
      'an unknown kind',
      { es: { offDays: [], workingDays: [{ ...day, kind: 'party' }] } },
      [`es: ${JSON.stringify({ ...day, kind: 'party' })} is not a calendar day`],
    ],
    [
      'too many days',
      { es: { offDays: Array(MAX_CALENDAR_DAYS + 1).fill(day), workingDays: [] } },
      [`es: at most ${MAX_CALENDAR_DAYS} days`],
    ],
  ])('%s', (_, calendars, problems) => {
    expect(
      workingCalendarsProblems(calendars as Record<string, WorkingCalendar>, ['es', 'cn']),
    ).toEqual(problems);
  });
});

describe(nextWorkingDays.name, () => {
  /** "date localStart–localEnd startZ–endZ" (+ "adjusted"), one line per day. */
  const lines = (...args: Parameters<typeof nextWorkingDays>) =>
    nextWorkingDays(...args).map(
      (d) =>
        `${d.date} ${d.localStart}–${d.localEnd} ${d.start.toISOString()}–${d.end.toISOString()}` +
        (d.adjusted ? ' adjusted' : ''),
    );

  it.each<[string, string, string, number, WorkingHours, keyof typeof CALENDARS, string[]]>([
    [
      'Valencia works Monday 7 and skips Tuesday 8 December 2026 (Inmaculada)',
      MADRID,
      '2026-12-03',
      4,
      DEF,
      'ES-VC',
      [
        '2026-12-03 09:00–18:00 2026-12-03T08:00:00.000Z–2026-12-03T17:00:00.000Z',
        '2026-12-04 09:00–18:00 2026-12-04T08:00:00.000Z–2026-12-04T17:00:00.000Z',
        '2026-12-07 09:00–18:00 2026-12-07T08:00:00.000Z–2026-12-07T17:00:00.000Z',
        '2026-12-09 09:00–18:00 2026-12-09T08:00:00.000Z–2026-12-09T17:00:00.000Z',
      ],
    ],
    [
      'Chengdu works Monday to Friday in early December 2026',
      SHANGHAI,
      '2026-12-04',
      3,
      EARLY,
      'CN',
      [
        '2026-12-04 08:30–17:30 2026-12-04T00:30:00.000Z–2026-12-04T09:30:00.000Z',
        '2026-12-07 08:30–17:30 2026-12-07T00:30:00.000Z–2026-12-07T09:30:00.000Z',
        '2026-12-08 08:30–17:30 2026-12-08T00:30:00.000Z–2026-12-08T09:30:00.000Z',
      ],
    ],
    [
      'Chengdu after National Day 2026: Thursday 8, Friday 9, make-up Saturday 10 October',
      SHANGHAI,
      '2026-09-30',
      5,
      EARLY,
      'CN',
      [
        '2026-09-30 08:30–17:30 2026-09-30T00:30:00.000Z–2026-09-30T09:30:00.000Z',
        '2026-10-08 08:30–17:30 2026-10-08T00:30:00.000Z–2026-10-08T09:30:00.000Z',
        '2026-10-09 08:30–17:30 2026-10-09T00:30:00.000Z–2026-10-09T09:30:00.000Z',
        '2026-10-10 08:30–17:30 2026-10-10T00:30:00.000Z–2026-10-10T09:30:00.000Z adjusted',
        '2026-10-12 08:30–17:30 2026-10-12T00:30:00.000Z–2026-10-12T09:30:00.000Z',
      ],
    ],
    [
      'Madrid’s window moves an hour earlier in UTC after the change to summer time (29 March 2026)',
      MADRID,
      '2026-03-27',
      2,
      DEF,
      'none',
      [
        '2026-03-27 09:00–18:00 2026-03-27T08:00:00.000Z–2026-03-27T17:00:00.000Z',
        '2026-03-30 09:00–18:00 2026-03-30T07:00:00.000Z–2026-03-30T16:00:00.000Z',
      ],
    ],
    [
      'a start in the DST gap shows the time the clocks jump to',
      MADRID,
      '2026-03-29',
      1,
      { start: '02:30', end: '10:00', days: [7] },
      'none',
      ['2026-03-29 03:00–10:00 2026-03-29T01:00:00.000Z–2026-03-29T08:00:00.000Z'],
    ],
  ])('%s', (_case, zone, from, count, hours, calendar, expected) => {
    expect(lines(from, count, zone, hours, CALENDARS[calendar])).toEqual(expected);
  });

  it('gives fewer days when the calendar leaves fewer within a year', () => {
    const closed = {
      offDays: Array.from({ length: 400 }, (_, i) => ({
        date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
        name: 'Closed',
        kind: 'closure' as const,
      })),
      workingDays: [],
    };
    expect(nextWorkingDays('2026-01-01', 5, MADRID, DEF, closed)).toEqual([]);
    expect(nextWorkingDays('2026-12-03', 0, MADRID, DEF, ES_VC)).toEqual([]);
  });

  it.each(['2026-02-30', '2026-2-03', 'tomorrow'])('rejects the date %j', (from) => {
    expect(() => nextWorkingDays(from, 3, MADRID, DEF, EMPTY_CALENDAR)).toThrow(
      expect.objectContaining({
        code: ErrorCode.VALIDATION_FAILED,
        details: { errors: [expect.objectContaining({ field: 'fromDate' })] },
      }),
    );
  });
});
