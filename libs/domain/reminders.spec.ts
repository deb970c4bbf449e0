import {
  addWorkingDuration,
  DEFAULT_REMINDER_POLICY,
  nextFollowUp,
  nextWorkingInstant,
  overdueFrom,
  reminderPolicyProblems,
  workingDays,
} from './reminders';
import { DEFAULT_WORKING_HOURS, WorkingHours } from './working-hours';
import { DomainError } from './errors';

const MADRID = 'Europe/Madrid';
const SHANGHAI = 'Asia/Shanghai';
const RIYADH = 'Asia/Riyadh';

const DEF = DEFAULT_WORKING_HOURS;
const EARLY: WorkingHours = { start: '08:30', end: '17:30', days: [1, 2, 3, 4, 5] };
const SUN_THU: WorkingHours = { start: '09:00', end: '18:00', days: [7, 1, 2, 3, 4] };
/** Sunday-including schedule whose start (02:30) falls in Madrid's spring-forward gap. */
const NIGHT: WorkingHours = { start: '02:30', end: '10:00', days: [1, 2, 3, 4, 5, 6, 7] };
const NIGHT_SUN: WorkingHours = { start: '02:30', end: '10:00', days: [7] };

const at = (iso: string) => new Date(iso);

/** One formatter per zone: building one per reading made the scans below take a minute. */
const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** Independent reading of the wall clock: "HH:MM" and ISO weekday. */
function wall(date: Date, timeZone: string): { hhmm: string; isoWeekday: number } {
  let format = wallFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    wallFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  const isoWeekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday) + 1;
  return { hhmm: `${parts.hour}:${parts.minute}`, isoWeekday };
}

/** Wall-clock test of "inside working hours" (valid away from the repeated fall-back hour). */
function insideByWallClock(date: Date, timeZone: string, hours: WorkingHours): boolean {
  const w = wall(date, timeZone);
  return hours.days.includes(w.isoWeekday) && w.hhmm >= hours.start && w.hhmm < hours.end;
}

describe(nextWorkingInstant.name, () => {
  it.each([
    // [case, zone, hours, from, expected]
    [
      'Madrid Fri 19:30 (winter) → Mon 09:00 CET',
      MADRID,
      DEF,
      '2026-01-16T18:30:00Z',
      '2026-01-19T08:00:00Z',
    ],
    [
      'Madrid Fri 19:30 (summer) → Mon 09:00 CEST',
      MADRID,
      DEF,
      '2026-06-19T17:30:00Z',
      '2026-06-22T07:00:00Z',
    ],
    ['Madrid Wed 10:15 is inside', MADRID, DEF, '2026-01-14T09:15:00Z', '2026-01-14T09:15:00Z'],
    [
      'Madrid Wed 09:00 exactly (start inclusive)',
      MADRID,
      DEF,
      '2026-01-14T08:00:00Z',
      '2026-01-14T08:00:00Z',
    ],
    [
      'Madrid Wed 07:00 → 09:00 same day',
      MADRID,
      DEF,
      '2026-01-14T06:00:00Z',
      '2026-01-14T08:00:00Z',
    ],
    [
      'Madrid Wed 18:00 (end exclusive) → Thu 09:00',
      MADRID,
      DEF,
      '2026-01-14T17:00:00Z',
      '2026-01-15T08:00:00Z',
    ],
    ['Madrid Sat noon → Mon 09:00', MADRID, DEF, '2026-01-17T11:00:00Z', '2026-01-19T08:00:00Z'],
    ['Shanghai Fri 17:59 is inside', SHANGHAI, DEF, '2026-01-16T09:59:00Z', '2026-01-16T09:59:00Z'],
    [
      'Shanghai Fri 18:00 → Mon 09:00',
      SHANGHAI,
      DEF,
      '2026-01-16T10:00:00Z',
      '2026-01-19T01:00:00Z',
    ],
    [
      'Shanghai Fri 17:59:59.999 is inside',
      SHANGHAI,
      DEF,
      '2026-01-16T09:59:59.999Z',
      '2026-01-16T09:59:59.999Z',
    ],
    [
      'Shanghai summer Fri 18:00 → Mon 09:00 (no DST)',
      SHANGHAI,
      DEF,
      '2026-06-19T10:00:00Z',
      '2026-06-22T01:00:00Z',
    ],
    // Madrid DST weeks, default hours
    [
      'Madrid Sat before spring-forward → Mon 09:00 CEST',
      MADRID,
      DEF,
      '2026-03-28T12:00:00Z',
      '2026-03-30T07:00:00Z',
    ],
    [
      'Madrid Fri 18:00 CET before spring-forward → Mon 09:00 CEST',
      MADRID,
      DEF,
      '2026-03-27T17:00:00Z',
      '2026-03-30T07:00:00Z',
    ],
    [
      'Madrid Sat before fall-back → Mon 09:00 CET',
      MADRID,
      DEF,
      '2026-10-24T12:00:00Z',
      '2026-10-26T08:00:00Z',
    ],
    [
      'Madrid Fri 18:00 CEST before fall-back → Mon 09:00 CET',
      MADRID,
      DEF,
      '2026-10-23T16:00:00Z',
      '2026-10-26T08:00:00Z',
    ],
    // 02:30 start on the spring-forward Sunday does not exist → 03:00 CEST (01:00Z)
    [
      'gap: Sat 23:00 CET → Sun 03:00 CEST',
      MADRID,
      NIGHT_SUN,
      '2026-03-28T22:00:00Z',
      '2026-03-29T01:00:00Z',
    ],
    [
      'gap: Sun 01:30 CET → Sun 03:00 CEST',
      MADRID,
      NIGHT_SUN,
      '2026-03-29T00:30:00Z',
      '2026-03-29T01:00:00Z',
    ],
    [
      'gap: Sun 09:59 CEST is inside',
      MADRID,
      NIGHT_SUN,
      '2026-03-29T07:59:00Z',
      '2026-03-29T07:59:00Z',
    ],
    [
      'gap: Sun 10:00 CEST → next Sun 02:30 CEST',
      MADRID,
      NIGHT_SUN,
      '2026-03-29T08:00:00Z',
      '2026-04-05T00:30:00Z',
    ],
    [
      'gap: Sat 10:00 CET → Sun 03:00 CEST (daily)',
      MADRID,
      NIGHT,
      '2026-03-28T09:00:00Z',
      '2026-03-29T01:00:00Z',
    ],
    ['gap: Mon after → 02:30 CEST', MADRID, NIGHT, '2026-03-29T08:00:00Z', '2026-03-30T00:30:00Z'],
    // 02:30 on the fall-back Sunday happens twice → the earlier (CEST, 00:30Z)
    [
      'overlap: Sat 24:00 CEST → Sun 02:30 CEST',
      MADRID,
      NIGHT_SUN,
      '2026-10-24T22:00:00Z',
      '2026-10-25T00:30:00Z',
    ],
    [
      'overlap: second 02:10 CET is inside the window',
      MADRID,
      NIGHT_SUN,
      '2026-10-25T01:10:00Z',
      '2026-10-25T01:10:00Z',
    ],
    [
      'overlap: Sun 09:59 CET is inside',
      MADRID,
      NIGHT_SUN,
      '2026-10-25T08:59:00Z',
      '2026-10-25T08:59:00Z',
    ],
    [
      'overlap: Sun 10:00 CET → next Sun 02:30 CET',
      MADRID,
      NIGHT_SUN,
      '2026-10-25T09:00:00Z',
      '2026-11-01T01:30:00Z',
    ],
    // Custom per-contact hours
    [
      'Madrid 08:30–17:30 Fri 17:30 → Mon 08:30',
      MADRID,
      EARLY,
      '2026-01-16T16:30:00Z',
      '2026-01-19T07:30:00Z',
    ],
    [
      'Madrid 08:30–17:30 Wed 08:29 → 08:30',
      MADRID,
      EARLY,
      '2026-01-14T07:29:00Z',
      '2026-01-14T07:30:00Z',
    ],
    [
      'Shanghai 08:30–17:30 Fri 17:30 → Mon 08:30',
      SHANGHAI,
      EARLY,
      '2026-01-16T09:30:00Z',
      '2026-01-19T00:30:00Z',
    ],
    [
      'Riyadh Sun–Thu: Thu 18:00 → Sun 09:00',
      RIYADH,
      SUN_THU,
      '2026-01-15T15:00:00Z',
      '2026-01-18T06:00:00Z',
    ],
    [
      'Riyadh Sun–Thu: Fri noon → Sun 09:00',
      RIYADH,
      SUN_THU,
      '2026-01-16T09:00:00Z',
      '2026-01-18T06:00:00Z',
    ],
    [
      'Riyadh Sun–Thu: Sun 10:00 is inside',
      RIYADH,
      SUN_THU,
      '2026-01-18T07:00:00Z',
      '2026-01-18T07:00:00Z',
    ],
    [
      'Shanghai Sun–Thu: Sat → Sun 09:00',
      SHANGHAI,
      SUN_THU,
      '2026-01-17T04:00:00Z',
      '2026-01-18T01:00:00Z',
    ],
  ])('%s', (_case, zone, hours, from, expected) => {
    expect(nextWorkingInstant(at(from), zone, hours).toISOString()).toBe(
      at(expected).toISOString(),
    );
  });

  describe('one instant seen from Madrid and Shanghai', () => {
    it.each([
      // [instant, Madrid result, Shanghai result]
      ['2026-01-14T08:30:00Z', '2026-01-14T08:30:00Z', '2026-01-14T08:30:00Z'], // 09:30 / 16:30
      ['2026-01-14T10:30:00Z', '2026-01-14T10:30:00Z', '2026-01-15T01:00:00Z'], // 11:30 / 18:30
      ['2026-01-14T00:30:00Z', '2026-01-14T08:00:00Z', '2026-01-14T01:00:00Z'], // 01:30 / 08:30
      ['2026-06-17T10:30:00Z', '2026-06-17T10:30:00Z', '2026-06-18T01:00:00Z'], // 12:30 / 18:30
      ['2026-06-17T00:30:00Z', '2026-06-17T07:00:00Z', '2026-06-17T01:00:00Z'], // 02:30 / 08:30
      ['2026-01-16T17:30:00Z', '2026-01-19T08:00:00Z', '2026-01-19T01:00:00Z'], // Fri 18:30 / Sat 01:30
    ])('%s', (instant, madrid, shanghai) => {
      expect(nextWorkingInstant(at(instant), MADRID, DEF).toISOString()).toBe(
        at(madrid).toISOString(),
      );
      expect(nextWorkingInstant(at(instant), SHANGHAI, DEF).toISOString()).toBe(
        at(shanghai).toISOString(),
      );
    });

    it.each([
      ['winter', 7, '2026-01-17T12:00:00Z'],
      ['summer', 6, '2026-06-20T12:00:00Z'],
    ])('%s: Monday 09:00 starts are %i hours apart', (_season, hoursApart, from) => {
      const madrid = nextWorkingInstant(at(from), MADRID, DEF).getTime();
      const shanghai = nextWorkingInstant(at(from), SHANGHAI, DEF).getTime();
      expect((madrid - shanghai) / 3_600_000).toBe(hoursApart);
    });
  });

  describe('agrees with a minute-by-minute wall-clock scan across DST weeks', () => {
    it.each([
      [MADRID, DEF, '2026-03-25T00:00:00Z'],
      [MADRID, EARLY, '2026-10-21T00:00:00Z'],
      [MADRID, { start: '07:00', end: '12:00', days: [6, 7] }, '2026-03-26T00:00:00Z'],
      [SHANGHAI, SUN_THU, '2026-03-25T00:00:00Z'],
      ['America/New_York', DEF, '2026-03-06T00:00:00Z'],
    ])('%s %j from %s', (zone, hours, fromIso) => {
      const base = at(fromIso).getTime();
      for (let step = 0; step < 40; step++) {
        const from = new Date(base + step * 257 * 60_000); // every 4h17m for ~7 days
        let expected = from.getTime();
        while (!insideByWallClock(new Date(expected), zone, hours)) {
          expected = Math.floor(expected / 60_000) * 60_000 + 60_000;
        }
        expect(nextWorkingInstant(from, zone, hours).toISOString()).toBe(
          new Date(expected).toISOString(),
        );
      }
    });
  });

  it.each([
    ['unknown zone', 'Mars/Olympus', DEF],
    ['bad hours', MADRID, { start: '18:00', end: '09:00', days: [1] }],
    ['no days', MADRID, { start: '09:00', end: '18:00', days: [] }],
  ])('refuses %s', (_case, zone, hours) => {
    expect(() => nextWorkingInstant(at('2026-01-14T08:00:00Z'), zone, hours)).toThrow(DomainError);
  });

  it('refuses an invalid date', () => {
    expect(() => nextWorkingInstant(new Date('nope'), MADRID, DEF)).toThrow(DomainError);
  });
});

describe(addWorkingDuration.name, () => {
  it.each([
    // [case, zone, hours, from, minutes, expected]
    [
      'Madrid Fri 17:00 + 2 working days → Tue 17:00',
      MADRID,
      DEF,
      '2026-01-16T16:00:00Z',
      1080,
      '2026-01-20T16:00:00Z',
    ],
    [
      'Madrid Wed 17:30 + 60 → Thu 09:30',
      MADRID,
      DEF,
      '2026-01-14T16:30:00Z',
      60,
      '2026-01-15T08:30:00Z',
    ],
    [
      'Madrid Wed 09:00 + 540 lands on 18:00 → Thu 09:00',
      MADRID,
      DEF,
      '2026-01-14T08:00:00Z',
      540,
      '2026-01-15T08:00:00Z',
    ],
    [
      'Madrid Wed 09:00 + 539 → Wed 17:59',
      MADRID,
      DEF,
      '2026-01-14T08:00:00Z',
      539,
      '2026-01-14T16:59:00Z',
    ],
    ['Madrid Sat + 0 → Mon 09:00', MADRID, DEF, '2026-01-17T11:00:00Z', 0, '2026-01-19T08:00:00Z'],
    [
      'Madrid Sat + 30 → Mon 09:30',
      MADRID,
      DEF,
      '2026-01-17T11:00:00Z',
      30,
      '2026-01-19T08:30:00Z',
    ],
    [
      'Madrid Fri 17:00 CET + 1080 across spring-forward → Tue 17:00 CEST',
      MADRID,
      DEF,
      '2026-03-27T16:00:00Z',
      1080,
      '2026-03-31T15:00:00Z',
    ],
    [
      'Madrid Fri 17:00 CEST + 1080 across fall-back → Tue 17:00 CET',
      MADRID,
      DEF,
      '2026-10-23T15:00:00Z',
      1080,
      '2026-10-27T16:00:00Z',
    ],
    [
      'Madrid Wed + 5 working days (2700) → next Wed',
      MADRID,
      DEF,
      '2026-01-14T10:00:00Z',
      2700,
      '2026-01-21T10:00:00Z',
    ],
    [
      'Shanghai Fri 17:00 + 1080 → Tue 17:00',
      SHANGHAI,
      DEF,
      '2026-01-16T09:00:00Z',
      1080,
      '2026-01-20T09:00:00Z',
    ],
    [
      'Shanghai Wed 17:30 + 60 → Thu 09:30',
      SHANGHAI,
      DEF,
      '2026-01-14T09:30:00Z',
      60,
      '2026-01-15T01:30:00Z',
    ],
    [
      'Madrid 08:30–17:30 Fri 17:00 + 60 → Mon 09:00',
      MADRID,
      EARLY,
      '2026-01-16T16:00:00Z',
      60,
      '2026-01-19T08:00:00Z',
    ],
    [
      'Riyadh Sun–Thu Thu 17:00 + 120 → Sun 10:00',
      RIYADH,
      SUN_THU,
      '2026-01-15T14:00:00Z',
      120,
      '2026-01-18T07:00:00Z',
    ],
    // Spring-forward Sunday window is 03:00–10:00 CEST = 420 real minutes, not 450.
    [
      'gap day is 420 min: Sat 09:00 CET + 60 + 420 + 30',
      MADRID,
      NIGHT,
      '2026-03-28T08:00:00Z',
      510,
      '2026-03-30T01:00:00Z',
    ],
    [
      'gap day: Sat 09:00 CET + 60 + 420 lands on end → Mon 02:30',
      MADRID,
      NIGHT,
      '2026-03-28T08:00:00Z',
      480,
      '2026-03-30T00:30:00Z',
    ],
    // Fall-back Sunday window is 02:30 CEST–10:00 CET = 510 real minutes.
    [
      'overlap day is 510 min: Sat 09:00 CEST + 60 + 450',
      MADRID,
      NIGHT,
      '2026-10-24T07:00:00Z',
      510,
      '2026-10-25T08:00:00Z',
    ],
    [
      'overlap day: Sat 09:00 CEST + 60 + 510 lands on end → Mon 02:30 CET',
      MADRID,
      NIGHT,
      '2026-10-24T07:00:00Z',
      570,
      '2026-10-26T01:30:00Z',
    ],
  ])('%s', (_case, zone, hours, from, minutes, expected) => {
    expect(addWorkingDuration(at(from), minutes, zone, hours).toISOString()).toBe(
      at(expected).toISOString(),
    );
  });

  it('refuses a negative duration', () => {
    expect(() => addWorkingDuration(at('2026-01-14T08:00:00Z'), -1, MADRID, DEF)).toThrow(
      DomainError,
    );
  });
});

describe(workingDays.name, () => {
  it.each([
    [2, DEF, 1080],
    [1, DEF, 540],
    [1, { start: '08:30', end: '14:00', days: [1] }, 330],
  ])('%i day(s) of %j = %i min', (n, hours, minutes) => {
    expect(workingDays(n, hours)).toBe(minutes);
  });

  it('default policy is 2 days then every day, 3 reminders, escalating', () => {
    expect(DEFAULT_REMINDER_POLICY).toEqual({
      firstAfterWorkingMinutes: 1080,
      repeatEveryWorkingMinutes: 540,
      maxReminders: 3,
      escalate: true,
    });
  });
});

describe(reminderPolicyProblems.name, () => {
  it('accepts the default policy', () => {
    expect(reminderPolicyProblems(DEFAULT_REMINDER_POLICY)).toEqual([]);
  });
  it.each([
    [{ firstAfterWorkingMinutes: 0 }, 'firstAfterWorkingMinutes must be a positive integer'],
    [{ firstAfterWorkingMinutes: 1.5 }, 'firstAfterWorkingMinutes must be a positive integer'],
    [{ repeatEveryWorkingMinutes: -540 }, 'repeatEveryWorkingMinutes must be a positive integer'],
    [{ repeatEveryWorkingMinutes: 29 }, 'repeatEveryWorkingMinutes must be at least 30'],
    [{ maxReminders: 0 }, 'maxReminders must be a positive integer'],
    [{ maxReminders: 21 }, 'maxReminders must be at most 20'],
    [{ maxReminders: NaN }, 'maxReminders must be a positive integer'],
    [{ escalate: 'yes' as unknown as boolean }, 'escalate must be a boolean'],
  ])('refuses %j', (change, problem) => {
    expect(reminderPolicyProblems({ ...DEFAULT_REMINDER_POLICY, ...change })).toContain(problem);
  });
  it.each([{ repeatEveryWorkingMinutes: 30 }, { maxReminders: 20 }, { maxReminders: 1 }])(
    'accepts %j',
    (change) => {
      expect(reminderPolicyProblems({ ...DEFAULT_REMINDER_POLICY, ...change })).toEqual([]);
    },
  );
});

describe(nextFollowUp.name, () => {
  const P = DEFAULT_REMINDER_POLICY; // 2 working days, then every day, 3 reminders, escalate
  const fridayEvening = '2026-01-16T18:30:00Z'; // 19:30 in Madrid, 02:30 Saturday in Shanghai
  const progress = (sent: number, lastAt: string | null = null) => ({ sent, lastAt });
  it.each([
    [
      'Madrid, Friday-evening request: first on Wednesday 09:00',
      MADRID,
      fridayEvening,
      P,
      progress(0),
      null,
      fridayEvening,
      'reminder',
      1,
      '2026-01-21T08:00:00.000Z',
    ],
    [
      'Madrid: second a working day after the first was sent',
      MADRID,
      fridayEvening,
      P,
      progress(1, '2026-01-21T08:00:00Z'),
      null,
      '2026-01-21T08:00:00Z',
      'reminder',
      2,
      '2026-01-22T08:00:00.000Z',
    ],
    [
      'Madrid: escalation after the third, over the weekend',
      MADRID,
      fridayEvening,
      P,
      progress(3, '2026-01-23T08:00:00Z'),
      null,
      '2026-01-23T08:00:00Z',
      'escalation',
      undefined,
      '2026-01-26T08:00:00.000Z',
    ],
    [
      'Shanghai, the same request: Wednesday 09:00 there',
      SHANGHAI,
      fridayEvening,
      P,
      progress(0),
      null,
      fridayEvening,
      'reminder',
      1,
      '2026-01-21T01:00:00.000Z',
    ],
    [
      'Madrid DST week: clocks spring forward on Sunday 29 March',
      MADRID,
      '2026-03-27T17:00:00Z',
      P,
      progress(0),
      null,
      '2026-03-27T17:00:00Z',
      'reminder',
      1,
      '2026-04-01T07:00:00.000Z',
    ],
    [
      'Madrid DST week: fall back on Sunday 25 October',
      MADRID,
      '2026-10-23T16:00:00Z',
      P,
      progress(0),
      null,
      '2026-10-23T16:00:00Z',
      'reminder',
      1,
      '2026-10-28T08:00:00.000Z',
    ],
    [
      'a shorter interval re-plans from the last reminder sent',
      MADRID,
      fridayEvening,
      { ...P, repeatEveryWorkingMinutes: 60 },
      progress(1, '2026-01-21T08:00:00Z'),
      null,
      '2026-01-21T08:30:00Z',
      'reminder',
      2,
      '2026-01-21T09:00:00.000Z',
    ],
    [
      'snoozed to Saturday: the next working instant after it',
      MADRID,
      fridayEvening,
      P,
      progress(1, '2026-01-21T08:00:00Z'),
      '2026-01-24T10:00:00Z',
      '2026-01-21T08:00:00Z',
      'reminder',
      2,
      '2026-01-26T08:00:00.000Z',
    ],
    [
      'fell due while the worker was down over the weekend: Monday, not Saturday',
      MADRID,
      fridayEvening,
      P,
      progress(0),
      null,
      '2026-01-24T12:00:00Z',
      'reminder',
      1,
      '2026-01-26T08:00:00.000Z',
    ],
    [
      'fewer reminders than already sent: escalate',
      MADRID,
      fridayEvening,
      { ...P, maxReminders: 1 },
      progress(2, '2026-01-22T08:00:00Z'),
      null,
      '2026-01-22T08:00:00Z',
      'escalation',
      undefined,
      '2026-01-23T08:00:00.000Z',
    ],
    [
      'overdue task: no delay, the next working instant',
      SHANGHAI,
      '2026-01-17T00:00:00Z',
      { ...P, firstAfterWorkingMinutes: 0 },
      progress(0),
      null,
      '2026-01-17T00:00:00Z',
      'reminder',
      1,
      '2026-01-19T01:00:00.000Z',
    ],
  ] as const)('%s', (_case, zone, since, policy, prog, notBefore, now, kind, n, expected) => {
    const next = nextFollowUp({
      since: at(since),
      policy,
      timeZone: zone,
      hours: DEF,
      progress: prog,
      notBefore: notBefore ? at(notBefore) : null,
      now: at(now),
    });
    expect(next?.kind).toBe(kind);
    expect(next?.kind === 'reminder' ? next.reminderNumber : undefined).toBe(n);
    expect(next?.at.toISOString()).toBe(expected);
    expect(insideByWallClock(next!.at, zone, DEF)).toBe(true);
  });

  it('keeps the planned instant when the timer rang a little late, so the schedule does not drift', () => {
    const next = nextFollowUp({
      since: at(fridayEvening),
      policy: P,
      timeZone: MADRID,
      hours: DEF,
      progress: progress(1, '2026-01-21T08:00:00Z'),
      now: at('2026-01-22T08:00:00.050Z'),
    });
    expect(next?.at.toISOString()).toBe('2026-01-22T08:00:00.000Z');
  });

  it('has nothing left when the policy does not escalate', () => {
    const next = nextFollowUp({
      since: at(fridayEvening),
      policy: { ...P, escalate: false },
      timeZone: MADRID,
      hours: DEF,
      progress: progress(3, '2026-01-23T08:00:00Z'),
      now: at('2026-01-23T08:00:00Z'),
    });
    expect(next).toBeUndefined();
  });

  it('honours a per-contact working week (Sunday to Thursday in Riyadh)', () => {
    const next = nextFollowUp({
      since: at('2026-01-15T15:30:00Z'), // Thursday 18:30 in Riyadh
      policy: { ...P, firstAfterWorkingMinutes: 60 },
      timeZone: RIYADH,
      hours: SUN_THU,
      progress: progress(0),
      now: at('2026-01-15T15:30:00Z'),
    });
    expect(next?.at.toISOString()).toBe('2026-01-18T07:00:00.000Z'); // Sunday 10:00
  });

  it('refuses an invalid lastAt', () => {
    expect(() =>
      nextFollowUp({
        since: at(fridayEvening),
        policy: P,
        timeZone: MADRID,
        hours: DEF,
        progress: progress(1, 'yesterday'),
        now: at(fridayEvening),
      }),
    ).toThrow(DomainError);
  });
});

describe(overdueFrom.name, () => {
  it.each([
    ['2026-01-16', MADRID, '2026-01-16T23:00:00.000Z'],
    ['2026-03-28', MADRID, '2026-03-28T23:00:00.000Z'], // the night clocks spring forward
    ['2026-03-29', MADRID, '2026-03-29T22:00:00.000Z'], // the first summer-time midnight
    ['2026-01-16', SHANGHAI, '2026-01-16T16:00:00.000Z'],
    ['2026-12-31', 'UTC', '2027-01-01T00:00:00.000Z'],
  ])('%s in %s', (due, zone, expected) => {
    expect(overdueFrom(due, zone).toISOString()).toBe(expected);
  });
  it('refuses a malformed date or zone', () => {
    expect(() => overdueFrom('16/01/2026', MADRID)).toThrow(DomainError);
    expect(() => overdueFrom('2026-01-16', 'Mars/Olympus')).toThrow(DomainError);
  });
});
