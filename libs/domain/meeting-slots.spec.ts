import { DomainError, ErrorCode } from './errors';
import {
  findMeetingSlots,
  MeetingAttendee,
  MeetingSlot,
  MeetingSlotProposals,
  MeetingSlotQuery,
} from './meeting-slots';
import { WorkingCalendar } from './working-calendar';
import { WorkingHours } from './working-hours';

const MADRID = 'Europe/Madrid';
const SHANGHAI = 'Asia/Shanghai';
const LOS_ANGELES = 'America/Los_Angeles';

const NINE_TO_SIX: WorkingHours = { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] };
const NINE_TO_FIVE: WorkingHours = { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] };
const EVERY_DAY: WorkingHours = { ...NINE_TO_SIX, days: [1, 2, 3, 4, 5, 6, 7] };

const INMACULADA: WorkingCalendar = {
  offDays: [{ date: '2026-12-08', name: 'Inmaculada Concepción', kind: 'public_holiday' }],
  workingDays: [],
};
/** Saturday 10 October 2026 worked in China (as an example of 调休, not checked against data). */
const CN_WORKING_SATURDAY: WorkingCalendar = {
  offDays: [],
  workingDays: [{ date: '2026-10-10', name: '补班', kind: 'adjusted_working_day' }],
};
const ES_WORKING_SATURDAY: WorkingCalendar = {
  offDays: [],
  workingDays: [{ date: '2026-10-10', name: 'Jornada de recuperación', kind: 'closure' }],
};

const madrid = (hours = NINE_TO_SIX, calendar?: WorkingCalendar): MeetingAttendee => ({
  id: 'madrid',
  timeZone: MADRID,
  workingHours: hours,
  calendar,
});
const shanghai = (hours = NINE_TO_SIX, calendar?: WorkingCalendar): MeetingAttendee => ({
  id: 'shanghai',
  timeZone: SHANGHAI,
  workingHours: hours,
  calendar,
});
const losAngeles = (hours = NINE_TO_FIVE): MeetingAttendee => ({
  id: 'la',
  timeZone: LOS_ANGELES,
  workingHours: hours,
});

function find(
  attendees: MeetingAttendee[],
  from: string,
  to: string,
  more: Partial<MeetingSlotQuery> = {},
): MeetingSlotProposals {
  return findMeetingSlots({
    attendees,
    from: new Date(from),
    to: new Date(to),
    durationMinutes: 30,
    stepMinutes: 30,
    maxResults: 100,
    ...more,
  });
}

/**
 * The proposed slots merged into windows, per local date of the first attendee, as a picker
 * would show them: { "2027-01-11": ["09:00–11:00 madrid · 16:00–18:00 shanghai"] }.
 */
function windows(result: MeetingSlotProposals): Record<string, string[]> {
  const byDate: Record<string, string[]> = {};
  let open: MeetingSlot[] = [];
  const close = () => {
    if (open.length === 0) return;
    const [first, last] = [open[0], open[open.length - 1]];
    const text = first.attendees
      .map((a, i) => `${a.start.time}–${last.attendees[i].end.time} ${a.id}`)
      .join(' · ');
    (byDate[first.attendees[0].start.date] ??= []).push(text);
    open = [];
  };
  for (const slot of [...result.slots].sort((a, b) => a.start.localeCompare(b.start))) {
    if (open.length > 0 && open[open.length - 1].end !== slot.start) close();
    open.push(slot);
  }
  close();
  return byDate;
}

const WINTER_2H = ['09:00–11:00 madrid · 16:00–18:00 shanghai'];
const SUMMER_3H = ['09:00–12:00 madrid · 15:00–18:00 shanghai'];

describe(findMeetingSlots.name, () => {
  describe('the common window of Madrid and Shanghai, both 09:00–18:00', () => {
    it.each<[string, MeetingAttendee[], string, string, Record<string, string[]>]>([
      [
        'a week in January 2027: two hours a day',
        [madrid(), shanghai()],
        '2027-01-11T00:00:00Z', // Monday
        '2027-01-18T00:00:00Z',
        {
          '2027-01-11': WINTER_2H,
          '2027-01-12': WINTER_2H,
          '2027-01-13': WINTER_2H,
          '2027-01-14': WINTER_2H,
          '2027-01-15': WINTER_2H,
        },
      ],
      [
        'a week in June 2026: three hours a day',
        [madrid(), shanghai()],
        '2026-06-15T00:00:00Z', // Monday
        '2026-06-22T00:00:00Z',
        {
          '2026-06-15': SUMMER_3H,
          '2026-06-16': SUMMER_3H,
          '2026-06-17': SUMMER_3H,
          '2026-06-18': SUMMER_3H,
          '2026-06-19': SUMMER_3H,
        },
      ],
      [
        "Spain's DST change on Sunday 28 March 2027: two hours before, three after",
        [madrid(), shanghai()],
        '2027-03-25T00:00:00Z', // Thursday
        '2027-03-31T00:00:00Z',
        {
          '2027-03-25': WINTER_2H,
          '2027-03-26': WINTER_2H,
          '2027-03-29': SUMMER_3H,
          '2027-03-30': SUMMER_3H,
        },
      ],
      [
        'the same week working every day: Saturday two hours, Sunday (the change) three',
        [madrid(EVERY_DAY), shanghai(EVERY_DAY)],
        '2027-03-26T00:00:00Z',
        '2027-03-30T00:00:00Z',
        {
          '2027-03-26': WINTER_2H,
          '2027-03-27': WINTER_2H,
          '2027-03-28': SUMMER_3H,
          '2027-03-29': SUMMER_3H,
        },
      ],
      [
        'a week in December 2026 without the holiday',
        [madrid(), shanghai()],
        '2026-12-07T00:00:00Z', // Monday
        '2026-12-12T00:00:00Z',
        {
          '2026-12-07': WINTER_2H,
          '2026-12-08': WINTER_2H,
          '2026-12-09': WINTER_2H,
          '2026-12-10': WINTER_2H,
          '2026-12-11': WINTER_2H,
        },
      ],
      [
        'the same week, 8 December a holiday in Madrid: no common slot that day',
        [madrid(NINE_TO_SIX, INMACULADA), shanghai()],
        '2026-12-07T00:00:00Z',
        '2026-12-12T00:00:00Z',
        {
          '2026-12-07': WINTER_2H,
          '2026-12-09': WINTER_2H,
          '2026-12-10': WINTER_2H,
          '2026-12-11': WINTER_2H,
        },
      ],
      [
        'Saturday 10 October 2026 worked in Shanghai only: no common slot that day',
        [madrid(), shanghai(NINE_TO_SIX, CN_WORKING_SATURDAY)],
        '2026-10-09T00:00:00Z', // Friday (Madrid still on summer time)
        '2026-10-11T00:00:00Z',
        { '2026-10-09': SUMMER_3H },
      ],
      [
        'the same Saturday worked on both sides: a common window',
        [madrid(NINE_TO_SIX, ES_WORKING_SATURDAY), shanghai(NINE_TO_SIX, CN_WORKING_SATURDAY)],
        '2026-10-09T00:00:00Z',
        '2026-10-11T00:00:00Z',
        { '2026-10-09': SUMMER_3H, '2026-10-10': SUMMER_3H },
      ],
    ])('%s', (_case, attendees, from, to, expected) => {
      const result = find(attendees, from, to);
      expect(result.mode).toBe('common');
      expect(result.slots.every((s) => s.fitsEveryone && s.worstInconvenience === 0)).toBe(true);
      expect(windows(result)).toEqual(expected);
      expect(result.commonSlotCount).toBe(result.slots.length);
      expect(result.truncated).toBe(false);
    });
  });

  describe('inconvenience of one attendee (Madrid, 09:00–18:00 Mon–Fri, 8 Dec 2026 off)', () => {
    it.each<[string, string, number, string, string, [number, number, number, number]]>([
      // [case, start (UTC), minutes, local start, local end, [inconvenience, outside, night, off day]]
      [
        'Wed 10:00, inside',
        '2026-12-09T09:00:00Z',
        60,
        '2026-12-09 10:00',
        '2026-12-09 11:00',
        [0, 0, 0, 0],
      ],
      [
        'Wed 17:30, half outside',
        '2026-12-09T16:30:00Z',
        60,
        '2026-12-09 17:30',
        '2026-12-09 18:30',
        [30, 30, 0, 0],
      ],
      [
        'Wed 19:00, evening',
        '2026-12-09T18:00:00Z',
        60,
        '2026-12-09 19:00',
        '2026-12-09 20:00',
        [60, 60, 0, 0],
      ],
      [
        'Wed 23:00, night',
        '2026-12-09T22:00:00Z',
        60,
        '2026-12-09 23:00',
        '2026-12-10 00:00',
        [180, 60, 60, 0],
      ],
      [
        'Mon 06:30, half night',
        '2026-12-07T05:30:00Z',
        60,
        '2026-12-07 06:30',
        '2026-12-07 07:30',
        [120, 60, 30, 0],
      ],
      [
        'Sat 10:00, weekend',
        '2026-12-12T09:00:00Z',
        60,
        '2026-12-12 10:00',
        '2026-12-12 11:00',
        [120, 60, 0, 60],
      ],
      [
        'Tue 8 Dec 10:00, holiday',
        '2026-12-08T09:00:00Z',
        60,
        '2026-12-08 10:00',
        '2026-12-08 11:00',
        [120, 60, 0, 60],
      ],
      [
        'Tue 8 Dec 23:00, holiday night',
        '2026-12-08T22:00:00Z',
        60,
        '2026-12-08 23:00',
        '2026-12-09 00:00',
        [240, 60, 60, 60],
      ],
      [
        'Fri 17:00 → Sat 01:00, into the weekend',
        '2026-12-11T16:00:00Z',
        480,
        '2026-12-11 17:00',
        '2026-12-12 01:00',
        [840, 420, 180, 60],
      ],
      // 01:30 CET → 03:30 CEST is one real hour: night, on a Sunday.
      [
        'Sun 28 Mar 2027 01:30, across the DST jump',
        '2027-03-28T00:30:00Z',
        60,
        '2027-03-28 01:30',
        '2027-03-28 03:30',
        [240, 60, 60, 60],
      ],
    ])(
      '%s',
      (_case, startIso, minutes, localStart, localEnd, [inconvenience, outside, night, off]) => {
        const start = new Date(startIso);
        const end = new Date(start.getTime() + minutes * 60_000);
        const result = findMeetingSlots({
          attendees: [madrid(NINE_TO_SIX, INMACULADA)],
          from: start,
          to: end,
          durationMinutes: minutes,
          stepMinutes: 30,
        });
        expect(result.slots).toHaveLength(1);
        const [slot] = result.slots;
        const [a] = slot.attendees;
        expect(slot.start).toBe(start.toISOString());
        expect(`${a.start.date} ${a.start.time}`).toBe(localStart);
        expect(`${a.end.date} ${a.end.time}`).toBe(localEnd);
        expect([a.inconvenience, a.outsideMinutes, a.nightMinutes, a.offDayMinutes]).toEqual([
          inconvenience,
          outside,
          night,
          off,
        ]);
        expect(slot.fitsEveryone).toBe(inconvenience === 0);
        expect(result.mode).toBe(inconvenience === 0 ? 'common' : 'fair');
      },
    );
  });

  describe('no common slot: the inconvenience is ranked and shared', () => {
    /** Who carries a proposal: the attendees with the largest inconvenience in it. */
    const bearer = (slot: MeetingSlot) =>
      slot.attendees
        .filter((a) => a.inconvenience === slot.worstInconvenience)
        .map((a) => a.id)
        .join('+');
    const count = (ids: string[]) =>
      ids.reduce<Record<string, number>>((n, id) => ({ ...n, [id]: (n[id] ?? 0) + 1 }), {});

    it.each<
      [string, MeetingAttendee[], string, string, number[], number[], Record<string, number>]
    >([
      [
        // Madrid works 08:00–16:00 UTC, Los Angeles 17:00–01:00: an hour apart. An hour-long
        // meeting costs one side an hour: Los Angeles at 07:00 (once a day, 06:45 is night) or
        // Madrid any evening hour from 18:00 to 22:00 (thirteen starts a day).
        'Madrid and Los Angeles, both 09:00–17:00, a week in January 2027',
        [madrid(NINE_TO_FIVE), losAngeles()],
        '2027-01-11T00:00:00Z',
        '2027-01-16T00:00:00Z',
        [60, 60, 60, 60, 60, 60, 60, 60, 60, 60],
        [60, 60, 60, 60, 60, 60, 60, 60, 60, 60],
        { madrid: 5, la: 5 },
      ],
      [
        // Shanghai 09:00–18:00 is 01:00–10:00 UTC, Los Angeles (summer time) 16:00–24:00.
        'Shanghai 09:00–18:00 and Los Angeles 09:00–17:00, a week in June 2026',
        [shanghai(), losAngeles()],
        '2026-06-15T00:00:00Z',
        '2026-06-20T00:00:00Z',
        [60, 60, 60, 60, 60, 60, 60, 60, 60, 60],
        // Shanghai's mornings free of Los Angeles' hours are used up: 07:15 costs both.
        [60, 60, 60, 60, 60, 60, 60, 60, 60, 75],
        { shanghai: 5, la: 5 },
      ],
      [
        // Los Angeles 09:00–17:00 is 17:00–01:00 UTC, Shanghai 09:00–18:00 01:00–10:00: back to
        // back. Half an hour each (Los Angeles 16:30, Shanghai 08:30) beats an hour for one side.
        'Shanghai and Los Angeles back to back, a week in January 2027',
        [shanghai(), losAngeles()],
        '2027-01-11T00:00:00Z',
        '2027-01-16T00:00:00Z',
        [30, 30, 30, 30, 45, 45, 45, 45, 45, 45],
        [60, 60, 60, 60, 60, 60, 60, 60, 60, 60],
        { 'shanghai+la': 4, shanghai: 3, la: 3 },
      ],
      [
        // Shanghai 10:00–11:00 is 03:00–04:00 in Madrid: Madrid's share would be a night (180),
        // Shanghai's an evening (60). Balance is not bought with a slot three times worse.
        'Madrid 09:00–18:00 and a narrow Shanghai window 10:00–11:00, January 2027',
        [madrid(), shanghai({ start: '10:00', end: '11:00', days: [1, 2, 3, 4, 5] })],
        '2027-01-11T00:00:00Z',
        '2027-01-16T00:00:00Z',
        [60, 60, 60, 60, 60, 60, 60, 60, 60, 60],
        [60, 60, 60, 60, 60, 60, 60, 60, 60, 60],
        { shanghai: 10 },
      ],
    ])('%s', (_case, attendees, from, to, worst, totals, bearers) => {
      const result = find(attendees, from, to, {
        durationMinutes: 60,
        stepMinutes: 15,
        maxResults: 10,
      });
      expect(result.mode).toBe('fair');
      expect(result.commonSlotCount).toBe(0);
      expect(result.truncated).toBe(true);
      expect(result.slots.map((s) => s.worstInconvenience)).toEqual(worst);
      expect(result.slots.map((s) => s.totalInconvenience)).toEqual(totals);
      expect(count(result.slots.map(bearer))).toEqual(bearers);
    });

    it('ranks by the worst-off attendee before the total, and shares what is left', () => {
      // Shanghai 09:00–18:00 is 01:00–10:00 UTC; a Madrid attendee free only 11:00–12:00 (10:00–
      // 11:00 UTC). Two hours from 09:00 UTC cost each side one (60 + 60); the next best put 90
      // minutes on one side: Madrid from 08:30 UTC (total 120) or Shanghai from 09:30 (total 150).
      // Ranked by the total first, the choice would stop at the slots that cost one side 120
      // alone (total 120) and never reach Shanghai's: Madrid would carry all five.
      const result = find(
        [shanghai(), madrid({ start: '11:00', end: '12:00', days: [1, 2, 3, 4, 5] })],
        '2027-01-11T00:00:00Z',
        '2027-01-16T00:00:00Z',
        { durationMinutes: 120, maxResults: 10 },
      );
      expect(result.slots.map((s) => s.worstInconvenience)).toEqual([
        60, 60, 60, 60, 60, 90, 90, 90, 90, 90,
      ]);
      expect(result.slots.map(bearer)).toEqual([
        ...Array(5).fill('shanghai+madrid'),
        'madrid',
        'shanghai',
        'shanghai',
        'madrid',
        'shanghai',
      ]);
    });

    it('proposes first the cheapest slot, earliest first: Los Angeles at 07:00 on Monday', () => {
      const [first] = find(
        [madrid(NINE_TO_FIVE), losAngeles()],
        '2027-01-11T00:00:00Z',
        '2027-01-16T00:00:00Z',
        {
          durationMinutes: 60,
          stepMinutes: 15,
        },
      ).slots;
      expect(first.start).toBe('2027-01-11T15:00:00.000Z');
      expect(
        first.attendees.map((a) => `${a.start.time}–${a.end.time} ${a.id} ${a.inconvenience}`),
      ).toEqual(['16:00–17:00 madrid 0', '07:00–08:00 la 60']);
    });

    it('a Saturday worked in Shanghai counts as its working day, not as an off day', () => {
      const result = find(
        [madrid(), shanghai(NINE_TO_SIX, CN_WORKING_SATURDAY)],
        '2026-10-10T00:00:00Z',
        '2026-10-11T00:00:00Z',
        { durationMinutes: 60, maxResults: 5 },
      );
      expect(result.mode).toBe('fair');
      for (const slot of result.slots) {
        const [m, s] = slot.attendees;
        expect([m.offDayMinutes, s.offDayMinutes, s.inconvenience]).toEqual([60, 0, 0]);
      }
    });
  });

  it('has no working time on a day whose working hours the DST jump skips', () => {
    // 02:15–02:45 does not exist in Madrid on Sunday 28 March 2027 (02:00 CET → 03:00 CEST).
    const result = find(
      [madrid({ start: '02:15', end: '02:45', days: [1, 2, 3, 4, 5, 6, 7] })],
      '2027-03-27T00:00:00Z',
      '2027-03-30T00:00:00Z',
      { stepMinutes: 15 },
    );
    expect(windows(result)).toEqual({
      '2027-03-27': ['02:15–02:45 madrid'],
      '2027-03-29': ['02:15–02:45 madrid'],
    });
  });

  describe('the answer', () => {
    it('starts slots on multiples of the step in UTC and ends them inside the range', () => {
      const result = find([madrid(), shanghai()], '2027-01-11T08:07:00Z', '2027-01-11T09:50:00Z', {
        durationMinutes: 45,
        stepMinutes: 15,
      });
      expect(result.slots.map((s) => `${s.start}–${s.end}`)).toEqual([
        '2027-01-11T08:15:00.000Z–2027-01-11T09:00:00.000Z',
        '2027-01-11T08:30:00.000Z–2027-01-11T09:15:00.000Z',
        '2027-01-11T08:45:00.000Z–2027-01-11T09:30:00.000Z',
        '2027-01-11T09:00:00.000Z–2027-01-11T09:45:00.000Z',
      ]);
      expect(result.candidateCount).toBe(4);
    });

    it('keeps to maxResults and says when there were more', () => {
      const result = find([madrid(), shanghai()], '2027-01-11T00:00:00Z', '2027-01-18T00:00:00Z', {
        maxResults: 3,
      });
      expect(result.slots.map((s) => s.start)).toEqual([
        '2027-01-11T08:00:00.000Z',
        '2027-01-11T08:30:00.000Z',
        '2027-01-11T09:00:00.000Z',
      ]);
      expect([result.commonSlotCount, result.truncated]).toEqual([20, true]);
    });

    it('is plain JSON, the same for the same query, for ten attendees over a week of 15-minute steps', () => {
      const zones = [MADRID, SHANGHAI, LOS_ANGELES, 'Asia/Kolkata', 'America/Sao_Paulo'];
      const attendees: MeetingAttendee[] = Array.from({ length: 10 }, (_, i) => ({
        id: `a${i}`,
        timeZone: zones[i % zones.length],
        workingHours: i < 5 ? NINE_TO_SIX : { start: '08:00', end: '16:30', days: [1, 2, 3, 4, 5] },
        calendar: i === 0 ? INMACULADA : undefined,
      }));
      const query: MeetingSlotQuery = {
        attendees,
        from: new Date('2026-12-07T00:00:00Z'),
        to: new Date('2026-12-14T00:00:00Z'),
        durationMinutes: 60,
        stepMinutes: 15,
        maxResults: 100,
      };
      const result = findMeetingSlots(query);
      expect(result.candidateCount).toBe(7 * 96 - 3);
      expect(result.slots).toHaveLength(100);
      expect(JSON.parse(JSON.stringify(result))).toEqual(result);
      expect(findMeetingSlots(query)).toEqual(result);
    });
  });

  describe('validation', () => {
    const valid: MeetingSlotQuery = {
      attendees: [madrid(), shanghai()],
      from: new Date('2027-01-11T00:00:00Z'),
      to: new Date('2027-01-18T00:00:00Z'),
      durationMinutes: 60,
    };
    it.each<[string, Partial<MeetingSlotQuery>, string[]]>([
      ['no attendees', { attendees: [] }, ['attendees']],
      [
        'too many attendees',
        { attendees: Array.from({ length: 51 }, (_, i) => ({ ...madrid(), id: `m${i}` })) },
        ['attendees'],
      ],
      [
        'an unknown zone',
        { attendees: [madrid(), { ...shanghai(), timeZone: 'Asia/Chengdu' }] },
        ['attendees[1].timeZone'],
      ],
      [
        'a repeated id',
        { attendees: [madrid(), { ...shanghai(), id: 'madrid' }] },
        ['attendees[1].id'],
      ],
      ['an empty id', { attendees: [{ ...madrid(), id: '' }] }, ['attendees[0].id']],
      [
        'working hours ending before they start',
        { attendees: [madrid({ start: '18:00', end: '09:00', days: [1] })] },
        ['attendees[0].workingHours'],
      ],
      [
        'a calendar date that is not YYYY-MM-DD',
        {
          attendees: [
            madrid(NINE_TO_SIX, {
              offDays: [{ date: '8/12/2026', name: 'x', kind: 'public_holiday' }],
              workingDays: [],
            }),
          ],
        },
        ['attendees[0].calendar'],
      ],
      ['a duration of 0', { durationMinutes: 0 }, ['durationMinutes']],
      ['a negative duration', { durationMinutes: -30 }, ['durationMinutes']],
      ['a duration longer than a day', { durationMinutes: 1441 }, ['durationMinutes']],
      ['a fractional duration', { durationMinutes: 30.5 }, ['durationMinutes']],
      [
        'a duration longer than the range',
        { to: new Date('2027-01-11T00:30:00Z'), durationMinutes: 60 },
        ['durationMinutes'],
      ],
      [
        'a reversed range',
        { from: new Date('2027-01-18T00:00:00Z'), to: new Date('2027-01-11T00:00:00Z') },
        ['to'],
      ],
      ['an empty range', { to: new Date('2027-01-11T00:00:00Z') }, ['to']],
      ['a range of 31 days and a minute', { to: new Date('2027-02-11T00:01:00Z') }, ['to']],
      ['an invalid date', { from: new Date('not a date') }, ['from']],
      ['a step that does not divide a day', { stepMinutes: 7 }, ['stepMinutes']],
      ['a step below 5 minutes', { stepMinutes: 1 }, ['stepMinutes']],
      ['no results asked for', { maxResults: 0 }, ['maxResults']],
      ['too many results asked for', { maxResults: 101 }, ['maxResults']],
      [
        'several problems at once',
        {
          attendees: [{ ...madrid(), timeZone: 'Mars/Olympus' }],
          durationMinutes: 0,
          stepMinutes: 0,
        },
        ['attendees[0].timeZone', 'durationMinutes', 'stepMinutes'],
      ],
    ])('%s', (_case, change, fields) => {
      let error: unknown;
      try {
        findMeetingSlots({ ...valid, ...change });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      const domainError = error as DomainError;
      expect(domainError.code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(domainError.details.errors?.map((e) => e.field)).toEqual(fields);
      expect(domainError.details.errors?.every((e) => e.messages.length > 0)).toBe(true);
    });

    it.each<[string, Partial<MeetingSlotQuery>]>([
      ['a range of exactly 31 days', { to: new Date('2027-02-11T00:00:00Z') }],
      ['a meeting of a whole day', { durationMinutes: 1440 }],
      [
        '50 attendees',
        { attendees: Array.from({ length: 50 }, (_, i) => ({ ...madrid(), id: `m${i}` })) },
      ],
    ])('accepts %s', (_case, change) => {
      expect(() => findMeetingSlots({ ...valid, ...change })).not.toThrow();
    });
  });
});
