import type { Client } from '@temporalio/client';
import { sync as ical } from 'node-ical';
import type { CalendarEventView } from '@workflows/calendar-events/calendar-event.contract';
import { createCalendarEventActivities } from '../../apps/worker/src/calendar-events/calendar-event.activities';
import type { VEvent } from 'node-ical';
import { foundingCaseRequest } from '../support/fixtures';
import { awaitMessages, calendarPart, eventToken, MailpitMessage } from '../support/mailpit';
import { http, RunningApi, waitFor } from '../support/stack';
import { usePlatform } from '../support/use-platform';

type Json = Record<string, any>;

/**
 * A seminar of the founding case end to end, everything real: Raquel in Valencia (Spanish) and
 * 李伟 in Chengdu (Chinese) get their invitations in Mailpit with an ICS part that node-ical
 * parses; the reminders are planned inside each one's working hours and calendar (Valencia's
 * Sant Josep, Friday 19 March 2027, is skipped); Raquel accepts through her link; a reschedule
 * and the cancellation go out with a rising SEQUENCE under the same UID.
 */
describe('events of a partnership (end to end)', () => {
  let api: RunningApi;
  let temporal: Client;
  usePlatform((platform) => ({ api, client: temporal } = platform));

  const v1 = (path: string): string => `${api.url}/api/v1${path}`;
  // Monday 22 March 2027, 10:00 in Madrid (UTC+1), 17:00 in Shanghai.
  const START = '2027-03-22T09:00:00.000Z';
  const END = '2027-03-22T10:00:00.000Z';

  let partnership: Json;
  let raquel: Json;
  let li: Json;
  let event: Json;

  const contactOf = (p: Json, country: string): Json =>
    p.organisations.find((o: Json) => o.country === country).contacts[0];

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
    const created = await http('POST', v1('/partnerships'), foundingCaseRequest());
    expect(created.status).toBe(201);
    partnership = created.body;
    raquel = contactOf(partnership, 'ES');
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
    expect(es.Text).toContain('En UTC: 2027-03-22 09:00–10:00 UTC');
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
    expect(zh.Text).toContain('17:00');
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
    // Sunday is no working day, nor is Sant Josep (Friday 19 March) in Valencia: Thursday 17:30.
    expect(reminderOf(raquel.id)).toBe('2027-03-18T16:30:00.000Z');
    // Chengdu works on Friday 19 March: 17:00, half an hour before the end of the day.
    expect(reminderOf(li.id)).toBe('2027-03-19T09:00:00.000Z');
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

  it('a reschedule goes out as SEQUENCE 1 under the same UID; the cancellation as METHOD:CANCEL, SEQUENCE 2', async () => {
    const moved = await http(
      'PATCH',
      v1(`/partnerships/${partnership.id}/calendar-events/${event.id}`),
      {
        start: '2027-03-23T09:00:00Z',
        end: '2027-03-23T10:30:00Z',
      },
    );
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ sequence: 1, start: '2027-03-23T09:00:00.000Z' });
    const [update] = await awaitMessages(raquel.email, 2);
    expect(update.Subject).toMatch(/^Modificado: /);
    const updated = await invitation(update);
    expect(updated.method).toBe('REQUEST');
    expect(updated.event).toMatchObject({ uid: `${event.id}@entente`, sequence: 1 });
    expect(new Date(updated.event.start!).toISOString()).toBe('2027-03-23T09:00:00.000Z');

    const cancelled = await http(
      'POST',
      v1(`/partnerships/${partnership.id}/calendar-events/${event.id}/cancel`),
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', sequence: 2 });
    const [cancellation] = await awaitMessages(li.email, 3);
    expect(cancellation.Subject).toMatch(/^已取消：/);
    const cancel = await invitation(cancellation);
    expect(cancel.contentType).toMatch(/method=CANCEL/i);
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.event).toMatchObject({
      uid: `${event.id}@entente`,
      sequence: 2,
      status: 'CANCELLED',
    });

    const late = await http(
      'PATCH',
      v1(`/partnerships/${partnership.id}/calendar-events/${event.id}`),
      {
        title: 'Too late',
      },
    );
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('CALENDAR_EVENT_CANCELLED');
  });

  it('the timeline has the event scheduled, answered, changed and cancelled, each once', async () => {
    const entries = await waitFor(
      async () => {
        const res = await http('GET', v1(`/partnerships/${partnership.id}/timeline?pageSize=100`));
        const items = (res.body.items as Json[]).filter((e) =>
          e.type.startsWith('calendar_event.'),
        );
        return items.length >= 4 ? items : undefined;
      },
      { timeoutMs: 15_000, what: 'four calendar_event entries on the timeline' },
    );
    const oldestFirst = [...entries].sort((a, b) => a.sequence - b.sequence);
    expect(oldestFirst.map((e) => e.type)).toEqual([
      'calendar_event.scheduled',
      'calendar_event.answered',
      'calendar_event.updated',
      'calendar_event.cancelled',
    ]);
    expect(oldestFirst[1].payload).toMatchObject({
      eventId: event.id,
      answer: 'accepted',
      attendee: { kind: 'contact', id: raquel.id, name: 'Raquel Aguado Muñoz' },
    });
    expect(oldestFirst[1].actor).toMatchObject({ kind: 'contact', id: raquel.id });
    expect(oldestFirst[3].payload).toMatchObject({ eventId: event.id, sequence: 2 });
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
});
