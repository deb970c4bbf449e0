import type { Client } from '@temporalio/client';
import { sync as ical } from 'node-ical';
import type { CalendarEventView } from '@workflows/calendar-events/calendar-event.contract';
import { createCalendarEventActivities } from '../../apps/worker/src/calendar-events/calendar-event.activities';
import type { VEvent } from 'node-ical';
import { eventReminderAt } from '@libs/domain';
import {
  calendarAhead,
  CHENGDU,
  DAY_MS,
  holidaySeminar,
  localTime,
  utcSpan,
} from '../support/event-dates';
import { foundingCaseRequest } from '../support/fixtures';
import {
  awaitMessages,
  calendarPart,
  eventToken,
  MailpitMessage,
  messagesTo,
} from '../support/mailpit';
import { http, RunningApi, waitFor } from '../support/stack';
import { usePlatform } from '../support/use-platform';

type Json = Record<string, any>;

/**
 * A seminar of the founding case end to end, everything real: Raquel in Valencia (Spanish) and
 * 李伟 in Chengdu (Chinese) get their invitations in Mailpit with an ICS part that node-ical
 * parses; the reminders are planned inside each one's working hours and calendar (the seminar is
 * on the weekday after the next Valencian public holiday, so Raquel's reminder skips it); Raquel
 * accepts through her link; 李伟 is taken off and Jordi invited (his REQUEST in English, 李伟's
 * CANCEL in Chinese); a reschedule and the cancellation go out with a rising SEQUENCE under the
 * same UID.
 */
describe('events of a partnership (end to end)', () => {
  let api: RunningApi;
  let temporal: Client;
  usePlatform((platform) => ({ api, client: temporal } = platform));

  const v1 = (path: string): string => `${api.url}/api/v1${path}`;
  // 10:00 in Madrid on the weekday after the next Valencian public holiday on a weekday.
  const seminarDates = holidaySeminar();
  const startMs = seminarDates.start;
  const START = new Date(startMs).toISOString();
  const END = new Date(startMs + 3_600_000).toISOString();

  let partnership: Json;
  let raquel: Json;
  let li: Json;
  let jordi: Json;
  let event: Json;

  const contactOf = (p: Json, country: string, name?: string): Json =>
    p.organisations
      .find((o: Json) => o.country === country)
      .contacts.find((c: Json) => name === undefined || c.name === name);
  const eventPath = () => v1(`/partnerships/${partnership.id}/calendar-events/${event.id}`);

  function seminar(extra: Json = {}): Json {
    return {
      kind: 'seminar',
      title: 'Funding environment; start-up support, in both regions',
      start: START,
      end: END,
      onlineUrl: 'https://meet.example/seminar-1',
      place: 'IVACE, Sala 2, València',
      contactIds: [raquel.id, li.id],
      timeZone: 'Europe/Madrid',
      ...extra,
    };
  }

  /** The e-mail's ICS part, parsed by node-ical, with its METHOD and Content-Type. */
  async function invitation(
    message: MailpitMessage,
  ): Promise<{ contentType: string; method: string; event: VEvent }> {
    const { contentType, content } = await calendarPart(message);
    const parsed = ical.parseICS(content);
    const events = Object.values(parsed).filter((c): c is VEvent => c?.type === 'VEVENT');
    expect(events).toHaveLength(1);
    const method = /^METHOD:(\w+)/m.exec(content)?.[1] ?? '';
    return { contentType, method, event: events[0] };
  }

  beforeAll(async () => {
    const request = foundingCaseRequest();
    // A second contact at IVACE, who reads English: invited once the seminar is scheduled.
    const ivace = request.organisations.find((o: Json) => o.country === 'ES');
    ivace.contacts.push({
      name: 'Jordi Puig',
      email: `jordi+${request.title.slice(-8)}@ivace.example`,
      language: 'en',
      timeZone: 'Europe/Madrid',
    });
    const created = await http('POST', v1('/partnerships'), request);
    expect(created.status).toBe(201);
    partnership = created.body;
    raquel = contactOf(partnership, 'ES', 'Raquel Aguado Muñoz');
    jordi = contactOf(partnership, 'ES', 'Jordi Puig');
    li = contactOf(partnership, 'CN');
  });

  it('schedules a seminar: invitations in Spanish and Chinese with a parsable ICS REQUEST, SEQUENCE 0', async () => {
    const res = await http(
      'POST',
      v1(`/partnerships/${partnership.id}/calendar-events`),
      seminar(),
      {
        'idempotency-key': `seminar-${partnership.id}`,
      },
    );
    expect(res.status).toBe(201);
    event = res.body;
    expect(event).toMatchObject({
      kind: 'seminar',
      start: START,
      end: END,
      status: 'scheduled',
      sequence: 0,
    });
    expect(event.attendees.map((a: Json) => [a.kind, a.name, a.answer])).toEqual([
      ['contact', '李伟', 'pending'],
      ['contact', 'Raquel Aguado Muñoz', 'pending'],
      ['user', expect.any(String), 'accepted'],
    ]);

    const [es] = await awaitMessages(raquel.email, 1);
    expect(es.Subject).toBe(
      `Invitación: Funding environment; start-up support, in both regions – ${partnership.title}`,
    );
    expect(es.Text).toContain('10:00');
    expect(es.Text).toContain('(su hora, Europe/Madrid)');
    expect(es.Text).toContain(`En UTC: ${utcSpan(startMs, startMs + 3_600_000)}`);
    const esIcs = await invitation(es);
    expect(esIcs.contentType).toMatch(/^text\/calendar; charset=utf-8; method=REQUEST/i);
    expect(esIcs.method).toBe('REQUEST');
    expect(esIcs.event).toMatchObject({
      uid: `${event.id}@entente`,
      sequence: 0,
      summary: 'Funding environment; start-up support, in both regions',
      location: 'IVACE, Sala 2, València',
      status: 'CONFIRMED',
    });
    expect(new Date(esIcs.event.start!).toISOString()).toBe(START);
    expect(new Date(esIcs.event.end!).toISOString()).toBe(END);

    const [zh] = await awaitMessages(li.email, 1);
    expect(zh.Subject).toBe(
      `邀请：Funding environment; start-up support, in both regions – ${partnership.title}`,
    );
    // 10:00 in Madrid is 17:00 in Shanghai in winter, 16:00 in summer.
    expect(zh.Text).toContain(localTime(startMs, 'Asia/Shanghai'));
    expect(zh.Text).toContain('（您的时间，Asia/Shanghai）');
    const zhIcs = await invitation(zh);
    expect(zhIcs.event.uid).toBe(`${event.id}@entente`);
    expect(zhIcs.event.sequence).toBe(0);
  });

  it('plans each reminder inside the attendee’s working hours and calendar, read through the API', async () => {
    const res = await http(
      'GET',
      v1(`/partnerships/${partnership.id}/calendar-events/${event.id}`),
    );
    expect(res.status).toBe(200);
    const reminderOf = (id: string) => res.body.attendees.find((a: Json) => a.id === id).reminderAt;
    // 24 hours before lies on the holiday (or the weekend after it): the last working day before
    // it, 17:30 in Valencia, half an hour before the end of Raquel's day.
    const { holiday, reminderDay, raquelReminder } = seminarDates;
    expect(reminderDay < holiday).toBe(true);
    expect(reminderOf(raquel.id)).toBe(new Date(raquelReminder).toISOString());
    // Chengdu, 08:30–17:30 on China's working days (its own holidays and adjusted days).
    const inChengdu = eventReminderAt({
      start: new Date(startMs),
      now: new Date(),
      timeZone: 'Asia/Shanghai',
      workingHours: { start: '08:30', end: '17:30', days: [1, 2, 3, 4, 5] },
      calendar: calendarAhead(CHENGDU),
    });
    expect(reminderOf(li.id)).toBe(inChengdu!.toISOString());
    expect(reminderOf(li.id)).not.toBe(reminderOf(raquel.id));
  });

  it('the same Idempotency-Key answers the same event; another body under it is refused', async () => {
    const again = await http(
      'POST',
      v1(`/partnerships/${partnership.id}/calendar-events`),
      seminar(),
      {
        'idempotency-key': `seminar-${partnership.id}`,
      },
    );
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(event.id);
    const other = await http(
      'POST',
      v1(`/partnerships/${partnership.id}/calendar-events`),
      seminar({ title: 'Another' }),
      { 'idempotency-key': `seminar-${partnership.id}` },
    );
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const list = await http('GET', v1(`/partnerships/${partnership.id}/calendar-events`));
    expect(list.body.items.map((e: Json) => e.id)).toEqual([event.id]);
  });

  it('Raquel accepts through her link: the page is in Spanish, the answer shows on the event, twice is once', async () => {
    const [es] = await awaitMessages(raquel.email, 1);
    const token = eventToken(es);
    const page = await fetch(`${api.url}/e/${token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('lang="es"');
    expect(html).toContain('Aceptar');
    const answer = () =>
      fetch(`${api.url}/e/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'answer=accepted',
      });
    const first = await answer();
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('Gracias: ha aceptado.');
    const after = await http(
      'GET',
      v1(`/partnerships/${partnership.id}/calendar-events/${event.id}`),
    );
    const mine = after.body.attendees.find((a: Json) => a.id === raquel.id);
    expect(mine.answer).toBe('accepted');
    expect((await answer()).status).toBe(200);
    const again = await http(
      'GET',
      v1(`/partnerships/${partnership.id}/calendar-events/${event.id}`),
    );
    expect(again.body.attendees.find((a: Json) => a.id === raquel.id)).toEqual(mine);
    // A tampered link opens nothing.
    const forged = await fetch(`${api.url}/e/${token.slice(0, -2)}xx`);
    expect(forged.status).toBe(400);
  });

  it('refuses a bad event with a problem naming the field, and changes nothing', async () => {
    const bad = await http(
      'POST',
      v1(`/partnerships/${partnership.id}/calendar-events`),
      seminar({ end: START }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors).toEqual([{ field: 'end', messages: ['must be after start'] }]);
    const stranger = await http(
      'POST',
      v1(`/partnerships/${partnership.id}/calendar-events`),
      seminar({ contactIds: ['00000000-0000-4000-8000-000000000000'] }),
    );
    expect(stranger.status).toBe(400);
    expect(stranger.body.errors[0].field).toBe('contactIds');
    const missing = await http(
      'GET',
      v1(`/partnerships/${partnership.id}/calendar-events/00000000-0000-4000-8000-000000000000`),
    );
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('CALENDAR_EVENT_NOT_FOUND');
    // A malformed partnership id is unknown (the fuzzer once got a 500 here).
    const malformed = await http(
      'GET',
      v1(`/partnerships/%2A0%23/calendar-events/${event.id as string}`),
    );
    expect([malformed.status, malformed.body.code]).toEqual([404, 'PARTNERSHIP_NOT_FOUND']);
    const list = await http('GET', v1(`/partnerships/${partnership.id}/calendar-events`));
    expect(list.body.items).toHaveLength(1);
  });

  it('takes 李伟 off and invites Jordi: his REQUEST in English, her CANCEL in Chinese, Raquel’s answer kept and nothing sent to her', async () => {
    const edited = await http('PATCH', eventPath(), { contactIds: [raquel.id, jordi.id] });
    expect(edited.status).toBe(200);
    expect(edited.body.sequence).toBe(1);
    const who = (edited.body.attendees as Json[]).map((a) => [a.kind, a.name, a.answer]);
    expect(who.sort()).toEqual([
      ['contact', 'Jordi Puig', 'pending'],
      ['contact', 'Raquel Aguado Muñoz', 'accepted'],
      ['user', expect.any(String), 'accepted'],
    ]);
    // Jordi's reminder in his working hours and IVACE's calendar: it skips the holiday too.
    const jordiView = edited.body.attendees.find((a: Json) => a.id === jordi.id);
    expect(jordiView.reminderAt).toBe(new Date(seminarDates.raquelReminder).toISOString());

    const [en] = await awaitMessages(jordi.email, 1);
    expect(en.Subject).toBe(
      `Invitation: Funding environment; start-up support, in both regions – ${partnership.title}`,
    );
    expect(en.Text).toContain('(your time, Europe/Madrid)');
    const request = await invitation(en);
    expect(request.contentType).toMatch(/method=REQUEST/i);
    expect(request.method).toBe('REQUEST');
    expect(request.event).toMatchObject({ uid: `${event.id}@entente`, sequence: 1 });
    const invited = JSON.stringify(request.event.attendee);
    expect(invited).toContain(jordi.email);
    expect(invited).toContain(raquel.email);
    expect(invited).not.toContain(li.email);

    const [removal] = await awaitMessages(li.email, 2);
    expect(removal.Subject).toBe(
      `不再受邀：Funding environment; start-up support, in both regions – ${partnership.title}`,
    );
    const cancel = await invitation(removal);
    expect(cancel.contentType).toMatch(/method=CANCEL/i);
    expect(cancel.method).toBe('CANCEL');
    // Her copy goes; the event does not: no STATUS:CANCELLED, and she alone is named.
    expect(cancel.event).toMatchObject({ uid: `${event.id}@entente`, sequence: 1 });
    expect(cancel.event.status).toBeUndefined();
    expect(JSON.stringify(cancel.event.attendee)).toContain(li.email);
    expect(JSON.stringify(cancel.event.attendee)).not.toContain(raquel.email);

    // Raquel stays, and what she sees of the event did not change: no update for her.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await messagesTo(raquel.email)).toHaveLength(1);
  });

  it('李伟’s link no longer opens the event: a page in Chinese says so, and an answer changes nothing', async () => {
    const [, invitationToLi] = await awaitMessages(li.email, 2);
    const token = eventToken(invitationToLi);
    const page = await fetch(`${api.url}/e/${token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain('您已不再受邀参加此活动');
    expect(html).not.toContain('name="answer"');
    const answered = await fetch(`${api.url}/e/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'answer=accepted',
    });
    expect(answered.status).toBe(409);
    const after = await http('GET', eventPath());
    expect(after.body.attendees.some((a: Json) => a.id === li.id)).toBe(false);
    expect(after.body.sequence).toBe(1);
  });

  it('the same attendee edit again, and bad ones, change nothing and send nothing', async () => {
    const before = await http('GET', eventPath());
    const again = await http('PATCH', eventPath(), { contactIds: [jordi.id, raquel.id] });
    expect([again.status, again.body.code]).toEqual([409, 'NOTHING_TO_CHANGE']);
    const refused = async (body: Json, field: string) => {
      const res = await http('PATCH', eventPath(), body);
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: Json) => e.field)).toContain(field);
    };
    await refused({ contactIds: ['00000000-0000-4000-8000-000000000000'] }, 'contactIds');
    await refused({ contactIds: [raquel.id, raquel.id] }, 'contactIds');
    await refused({ contactIds: [] }, 'contactIds');
    await refused({ userIds: ['00000000-0000-4000-8000-000000000000'] }, 'userIds');
    // A bad attendee list refuses the whole edit, the title too.
    await refused({ title: 'Not this either', contactIds: [] }, 'contactIds');
    const after = await http('GET', eventPath());
    expect(after.body).toEqual(before.body);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await messagesTo(jordi.email)).toHaveLength(1);
    expect(await messagesTo(li.email)).toHaveLength(2);
    expect(await messagesTo(raquel.email)).toHaveLength(1);
  });

  it('a reschedule goes out as SEQUENCE 2 under the same UID to those who attend; the cancellation as METHOD:CANCEL, SEQUENCE 3', async () => {
    const movedStart = new Date(startMs + DAY_MS).toISOString();
    const moved = await http('PATCH', eventPath(), {
      start: movedStart,
      end: new Date(startMs + DAY_MS + 90 * 60_000).toISOString(),
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ sequence: 2, start: movedStart });
    const [update] = await awaitMessages(raquel.email, 2);
    expect(update.Subject).toMatch(/^Modificado: /);
    const updated = await invitation(update);
    expect(updated.method).toBe('REQUEST');
    expect(updated.event).toMatchObject({ uid: `${event.id}@entente`, sequence: 2 });
    expect(new Date(updated.event.start!).toISOString()).toBe(movedStart);
    const [jordiUpdate] = await awaitMessages(jordi.email, 2);
    expect(jordiUpdate.Subject).toMatch(/^Changed: /);

    const cancelled = await http(
      'POST',
      v1(`/partnerships/${partnership.id}/calendar-events/${event.id}/cancel`),
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', sequence: 3 });
    const [cancellation] = await awaitMessages(raquel.email, 3);
    expect(cancellation.Subject).toMatch(/^Cancelado: /);
    const cancel = await invitation(cancellation);
    expect(cancel.contentType).toMatch(/method=CANCEL/i);
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.event).toMatchObject({
      uid: `${event.id}@entente`,
      sequence: 3,
      status: 'CANCELLED',
    });
    // 李伟 no longer attends: her CANCEL came with her removal, not again now.
    await awaitMessages(jordi.email, 3);
    expect(await messagesTo(li.email)).toHaveLength(2);

    const late = await http(
      'PATCH',
      v1(`/partnerships/${partnership.id}/calendar-events/${event.id}`),
      {
        title: 'Too late',
      },
    );
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('CALENDAR_EVENT_CANCELLED');
    const lateAttendees = await http('PATCH', eventPath(), { contactIds: [raquel.id, li.id] });
    expect([lateAttendees.status, lateAttendees.body.code]).toEqual([
      409,
      'CALENDAR_EVENT_CANCELLED',
    ]);
  });

  it('the timeline has the event scheduled, answered, changed and cancelled, each once', async () => {
    const entries = await waitFor(
      async () => {
        const res = await http('GET', v1(`/partnerships/${partnership.id}/timeline?pageSize=100`));
        const items = (res.body.items as Json[]).filter((e) =>
          e.type.startsWith('calendar_event.'),
        );
        return items.length >= 5 ? items : undefined;
      },
      { timeoutMs: 15_000, what: 'five calendar_event entries on the timeline' },
    );
    const oldestFirst = [...entries].sort((a, b) => a.sequence - b.sequence);
    expect(oldestFirst.map((e) => e.type)).toEqual([
      'calendar_event.scheduled',
      'calendar_event.answered',
      'calendar_event.updated',
      'calendar_event.updated',
      'calendar_event.cancelled',
    ]);
    expect(oldestFirst[2].payload).toMatchObject({
      eventId: event.id,
      sequence: 1,
      attendeesAdded: [{ kind: 'contact', id: jordi.id, name: 'Jordi Puig' }],
      attendeesRemoved: [{ kind: 'contact', id: li.id, name: '李伟' }],
    });
    expect(oldestFirst[3].payload.attendeesAdded).toBeUndefined();
    expect(oldestFirst[1].payload).toMatchObject({
      eventId: event.id,
      answer: 'accepted',
      attendee: { kind: 'contact', id: raquel.id, name: 'Raquel Aguado Muñoz' },
    });
    expect(oldestFirst[1].actor).toMatchObject({ kind: 'contact', id: raquel.id });
    expect(oldestFirst[4].payload).toMatchObject({ eventId: event.id, sequence: 3 });
  });

  it('after the end, the follow-up task goes onto the partnership once, in the organiser’s language', async () => {
    // The activity the event's workflow runs when the event has ended, against the real
    // partnership workflow; run twice, as a retry would.
    const { addCalendarEventFollowUpTask } = createCalendarEventActivities({
      temporal,
      dataSource: undefined as never,
      mailer: undefined as never,
      linkSecret: 'unused',
      baseUrl: 'http://entente.test',
    });
    const ended = {
      ...event,
      details: { ...event, title: 'Seminario de financiación' },
      organiser: { ...event.organiser, language: 'es' },
    } as CalendarEventView;
    const first = await addCalendarEventFollowUpTask(ended);
    const again = await addCalendarEventFollowUpTask(ended);
    expect(first).toEqual(expect.any(String));
    expect(again).toBe(first);
    const detail = await http('GET', v1(`/partnerships/${partnership.id}`));
    const tasks = Object.values(detail.body.tasksByStage as Record<string, Json[]>).flat();
    const followUps = tasks.filter(
      (t) => t.title === 'Acta y próximos pasos: Seminario de financiación',
    );
    expect(followUps).toHaveLength(1);
    expect(followUps[0]).toMatchObject({ id: first, status: 'open', required: false });
  });

  it('an event that has started takes no attendee edit', async () => {
    const soon = Date.now() + 4_000;
    const created = await http(
      'POST',
      v1(`/partnerships/${partnership.id}/calendar-events`),
      seminar({
        title: 'Quick call',
        start: new Date(soon).toISOString(),
        end: new Date(soon + 30 * 60_000).toISOString(),
        contactIds: [jordi.id],
      }),
    );
    expect(created.status).toBe(201);
    await new Promise((r) => setTimeout(r, Math.max(soon - Date.now(), 0) + 500));
    const path = v1(`/partnerships/${partnership.id}/calendar-events/${created.body.id}`);
    const late = await http('PATCH', path, { contactIds: [jordi.id, raquel.id] });
    expect([late.status, late.body.code]).toEqual([409, 'CALENDAR_EVENT_STARTED']);
    const after = await http('GET', path);
    expect(after.body.attendees.map((a: Json) => a.id)).not.toContain(raquel.id);
    expect(after.body.sequence).toBe(0);
  });
});
