/**
 * The rules of a partnership's events over real dates: the calendars come from the maintained
 * data (libs/calendars) the API snapshots for the event workflow.
 */
import { workingCalendarFor } from '../calendars';
import {
  attendeeKey,
  attendeeListProblems,
  CalendarEventAttendee,
  CalendarEventDetails,
  calendarEventProblems,
  eventReminderAt,
  withAnswer,
  withAttendees,
} from './calendar-events';
import { DEFAULT_WORKING_HOURS } from './working-hours';

const ES_VC = workingCalendarFor(
  { country: 'ES', region: 'Valencian Community' },
  '2026-01-01',
  '2027-12-31',
);
const CN = workingCalendarFor({ country: 'CN', region: 'Sichuan' }, '2026-01-01', '2027-12-31');
const VALENCIA = {
  timeZone: 'Europe/Madrid',
  workingHours: DEFAULT_WORKING_HOURS,
  calendar: ES_VC,
};
const CHENGDU = {
  timeZone: 'Asia/Shanghai',
  workingHours: { start: '08:30', end: '17:30', days: [1, 2, 3, 4, 5] },
  calendar: CN,
};

describe(eventReminderAt.name, () => {
  const now = new Date('2026-09-01T00:00:00Z');
  it.each([
    // [who, event start (UTC), reminder (UTC), why]
    [
      VALENCIA,
      '2027-01-14T10:00:00Z',
      '2027-01-13T10:00:00.000Z',
      'exactly 24 h before: inside hours',
    ],
    [VALENCIA, '2027-01-11T08:00:00Z', '2027-01-08T16:30:00.000Z', 'a Monday 09:00: Friday 17:30'],
    [
      VALENCIA,
      '2027-01-14T07:00:00Z',
      '2027-01-12T16:30:00.000Z',
      '08:00 start: the day before opens too late',
    ],
    [VALENCIA, '2026-12-09T09:00:00Z', '2026-12-07T16:30:00.000Z', 'over Inmaculada (8 Dec)'],
    [
      VALENCIA,
      '2027-03-22T09:00:00Z',
      '2027-03-18T16:30:00.000Z',
      'Monday after Sant Josep (19 Mar, Friday)',
    ],
    [
      CHENGDU,
      '2026-10-08T01:00:00Z',
      '2026-09-30T09:00:00.000Z',
      'National Day week: the last day before it',
    ],
    [
      CHENGDU,
      '2026-10-12T02:00:00Z',
      '2026-10-10T09:00:00.000Z',
      'the make-up Saturday 10 Oct counts',
    ],
  ])('%# %s: event %s → reminder %s (%s)', (who, start, expected) => {
    const at = eventReminderAt({ start: new Date(start), now, ...who });
    expect(at?.toISOString()).toBe(expected);
  });

  it('none when the last working moment before the lead has passed', () => {
    const start = new Date('2027-01-14T10:00:00Z');
    expect(eventReminderAt({ start, now: new Date('2027-01-13T10:00:01Z'), ...VALENCIA })).toBe(
      undefined,
    );
    expect(
      eventReminderAt({ start, now: new Date('2027-01-13T09:59:59Z'), ...VALENCIA })?.toISOString(),
    ).toBe('2027-01-13T10:00:00.000Z');
  });

  it('a shorter lead lands the same day', () => {
    const at = eventReminderAt({
      start: new Date('2027-01-14T15:00:00Z'),
      now,
      leadHours: 2,
      ...VALENCIA,
    });
    expect(at?.toISOString()).toBe('2027-01-14T13:00:00.000Z');
  });
});

describe(calendarEventProblems.name, () => {
  const now = new Date('2027-01-01T00:00:00Z');
  const valid: CalendarEventDetails = {
    kind: 'meeting',
    title: 'Introductory meeting',
    start: '2027-01-11T08:00:00Z',
    end: '2027-01-11T09:00:00Z',
    onlineUrl: 'https://meet.example/intro',
    place: null,
    taskId: null,
  };
  it('accepts a valid event', () => expect(calendarEventProblems(valid, now)).toEqual([]));
  it.each([
    [{ end: '2027-01-11T08:00:00Z' }, 'end', 'must be after start'],
    [{ end: '2027-01-11T20:00:01Z' }, 'end', 'must be at most 12 hours after start'],
    [
      { start: '2026-12-31T23:00:00Z', end: '2027-01-01T01:00:00Z' },
      'start',
      'must not be in the past',
    ],
    [
      { start: '2028-03-01T08:00:00Z', end: '2028-03-01T09:00:00Z' },
      'start',
      'must be within 400 days',
    ],
    [{ title: '  ' }, 'title', 'must not be empty'],
    [{ title: 'x'.repeat(201) }, 'title', 'must be at most 200 characters'],
    [{ onlineUrl: null }, 'place', 'give a place or an onlineUrl'],
    [{ onlineUrl: 'http://meet.example/x' }, 'onlineUrl', 'must be an https URL'],
    [{ onlineUrl: 'https://meet.example/x\r\nMETHOD:CANCEL' }, 'onlineUrl', 'must be an https URL'],
    [{ kind: 'party' }, 'kind', 'must be one of meeting, seminar, training'],
  ])('%# %j → %s %s', (change, field, message) => {
    const problems = calendarEventProblems({ ...valid, ...change } as CalendarEventDetails, now);
    expect(problems).toEqual([{ field, messages: [message] }]);
  });
  it('a place alone is enough', () =>
    expect(calendarEventProblems({ ...valid, onlineUrl: null, place: 'Sala 2' }, now)).toEqual([]));
});

describe(withAnswer.name, () => {
  const li: CalendarEventAttendee = {
    kind: 'contact',
    id: 'c1',
    name: '李伟',
    email: 'li@eiri.example',
    language: 'zh',
    ...CHENGDU,
    answer: 'pending',
    answeredAt: null,
  };
  it('records an answer, refuses nothing-to-change, allows a change of mind', () => {
    const accepted = withAnswer([li], attendeeKey(li), 'accepted', '2027-01-02T00:00:00Z');
    expect(accepted?.[0]).toMatchObject({ answer: 'accepted', answeredAt: '2027-01-02T00:00:00Z' });
    expect(withAnswer(accepted!, 'contact:c1', 'accepted', '2027-01-03T00:00:00Z')).toBeNull();
    expect(
      withAnswer(accepted!, 'contact:c1', 'declined', '2027-01-03T00:00:00Z')?.[0],
    ).toMatchObject({ answer: 'declined', answeredAt: '2027-01-03T00:00:00Z' });
    expect(withAnswer([li], 'contact:other', 'accepted', '2027-01-02T00:00:00Z')).toBeNull();
  });
});

describe(withAttendees.name, () => {
  const person = (kind: 'contact' | 'user', id: string): CalendarEventAttendee => ({
    kind,
    id,
    name: id,
    email: `${id}@example.org`,
    language: 'es',
    timeZone: 'Europe/Madrid',
    workingHours: DEFAULT_WORKING_HOURS,
    answer: 'pending',
    answeredAt: null,
  });
  const raquel = {
    ...person('contact', 'raquel'),
    answer: 'accepted' as const,
    answeredAt: 'then',
  };
  const li = person('contact', 'li');
  const ana = { ...person('user', 'ana'), answer: 'accepted' as const };
  const pablo = { ...person('contact', 'pablo'), calendar: { offDays: [], workingDays: [] } };

  it('adds and removes, in the order named; who stays keeps their own record (the answer)', () => {
    const change = withAttendees([li, raquel, ana], [pablo, { ...raquel, answer: 'pending' }, ana]);
    expect(change).toEqual({
      attendees: [pablo, raquel, ana],
      added: [pablo],
      removed: [li],
    });
    expect(change!.attendees[1]).toBe(raquel);
  });

  it('is null for the same people, in whatever order', () => {
    expect(withAttendees([li, raquel, ana], [ana, raquel, li])).toBeNull();
  });
});

describe(attendeeListProblems.name, () => {
  const c = (id: string) => ({ kind: 'contact' as const, id });
  const u = (id: string) => ({ kind: 'user' as const, id });

  it('accepts the organiser with anyone else, contact or user', () => {
    expect(attendeeListProblems([c('raquel'), u('ana')], 'ana')).toEqual([]);
    expect(attendeeListProblems([u('ana'), u('luis')], 'ana')).toEqual([]);
  });

  it.each([
    [
      'no one left but the organiser',
      [u('ana')],
      [
        {
          field: 'contactIds',
          messages: [
            'must leave at least one attendee besides the organiser: cancel the event instead',
          ],
        },
      ],
    ],
    [
      'a contact named twice',
      [c('raquel'), c('raquel'), u('ana')],
      [{ field: 'contactIds', messages: ['raquel is named twice'] }],
    ],
    [
      'the organiser left out',
      [c('raquel'), u('luis')],
      [{ field: 'userIds', messages: ['the organiser always attends'] }],
    ],
  ])('refuses %s', (_why, wanted, problems) => {
    expect(attendeeListProblems(wanted, 'ana')).toEqual(problems);
  });
});
