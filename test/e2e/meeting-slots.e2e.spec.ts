import { randomUUID } from 'node:crypto';
import { foundingCaseRequest } from '../support/fixtures';
import { http, RunningApi } from '../support/stack';
import { usePlatform } from '../support/use-platform';

type Json = Record<string, any>;

/**
 * The meeting-time finder over HTTP with everything real: the founding case's contacts, Raquel in
 * Valencia (Europe/Madrid, the default 09:00–18:00 Monday to Friday) and 李伟 in Chengdu
 * (Asia/Shanghai, 08:30–17:30), with their organisations' calendars (Spain's and the Valencian
 * Community's holidays; China's arrangement).
 */
describe('GET /partnerships/:id/meeting-slots (end to end)', () => {
  let api: RunningApi;
  usePlatform((platform) => ({ api } = platform));

  const url = (path: string): string => `${api.url}/api/v1${path}`;
  let partnership: Json;
  let other: Json;
  const contactOf = (p: Json, country: string): Json =>
    p.organisations.find((o: Json) => o.country === country).contacts[0];

  beforeAll(async () => {
    const created = await http('POST', url('/partnerships'), foundingCaseRequest());
    expect(created.status).toBe(201);
    partnership = created.body;
    const second = await http('POST', url('/partnerships'), foundingCaseRequest());
    expect(second.status).toBe(201);
    other = second.body;
  });

  async function slots(query: string, id: string = partnership.id) {
    return http('GET', url(`/partnerships/${id}/meeting-slots?${query}`));
  }

  /**
   * "2027-01-11 09:00–10:00 Europe/Madrid · 2027-01-11 16:00–17:00 Asia/Shanghai" per slot, the
   * zones in the order given (the API lists attendees in the partnership's order, by name).
   */
  const wall = (body: Json, zones = ['Europe/Madrid', 'Asia/Shanghai']): string[] =>
    (body.slots as Json[]).map((s) =>
      zones
        .map((zone) => (s.attendees as Json[]).find((a) => a.timeZone === zone)!)
        .map((a) => `${a.start.date} ${a.start.time}–${a.end.time} ${a.timeZone}`)
        .join(' · '),
    );

  it('a winter week: only the slots inside Madrid 09:00–10:30 and Shanghai 16:00–17:30, with names and organisations', async () => {
    const res = await slots('from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=60');
    expect(res.status).toBe(200);
    expect(res.body.mode).toBe('common');
    expect(res.body.commonSlotCount).toBe(10);
    expect(res.body.truncated).toBe(false);
    const raquel = contactOf(partnership, 'ES');
    const li = contactOf(partnership, 'CN');
    const es = partnership.organisations.find((o: Json) => o.country === 'ES');
    const cn = partnership.organisations.find((o: Json) => o.country === 'CN');
    // The partnership's order: organisations by name (EIRI, then IVACE).
    expect(res.body.attendees).toEqual([
      expect.objectContaining({
        id: li.id,
        kind: 'contact',
        name: '李伟',
        organisationId: cn.id,
        organisationName: cn.name,
        timeZone: 'Asia/Shanghai',
        workingHours: { start: '08:30', end: '17:30', days: [1, 2, 3, 4, 5] },
      }),
      expect.objectContaining({
        id: raquel.id,
        kind: 'contact',
        name: 'Raquel Aguado Muñoz',
        organisationId: es.id,
        organisationName: es.name,
        timeZone: 'Europe/Madrid',
        workingHours: { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] },
      }),
    ]);
    const expected = ['11', '12', '13', '14', '15'].flatMap((d) => [
      `2027-01-${d} 09:00–10:00 Europe/Madrid · 2027-01-${d} 16:00–17:00 Asia/Shanghai`,
      `2027-01-${d} 09:30–10:30 Europe/Madrid · 2027-01-${d} 16:30–17:30 Asia/Shanghai`,
    ]);
    expect(wall(res.body)).toEqual(expected);
    expect(res.body.slots[0]).toMatchObject({
      start: '2027-01-11T08:00:00.000Z',
      end: '2027-01-11T09:00:00.000Z',
      fitsEveryone: true,
      worstInconvenience: 0,
    });
    expect(res.body.slots[0].attendees.map((a: Json) => a.id)).toEqual([li.id, raquel.id]);
  });

  it('a range over Tuesday 8 December 2026 (Inmaculada): no slot that day, the days around it keep theirs', async () => {
    const res = await slots('from=2026-12-07T00:00:00Z&to=2026-12-10T00:00:00Z&durationMinutes=60');
    expect(res.status).toBe(200);
    expect(res.body.mode).toBe('common');
    const days = new Set(
      (res.body.slots as Json[]).map(
        (s) => s.attendees.find((a: Json) => a.timeZone === 'Europe/Madrid').start.date,
      ),
    );
    expect(days.has('2026-12-08')).toBe(false);
    expect(days.has('2026-12-09')).toBe(true);
  });

  it('each organisation’s calendar covers its own local dates: New Year’s Day in Auckland and Los Angeles falls on 31 December and 2 January in UTC', async () => {
    const request = foundingCaseRequest();
    const [auckland, losAngeles] = request.organisations;
    Object.assign(auckland, { country: 'NZ', region: null });
    auckland.contacts[0].timeZone = 'Pacific/Auckland';
    Object.assign(losAngeles, { country: 'US', region: 'CA' });
    losAngeles.contacts[0].timeZone = 'America/Los_Angeles';
    losAngeles.contacts[0].workingHours = { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] };
    const created = await http('POST', url('/partnerships'), request);
    expect(created.status).toBe(201);
    const contact = (zone: string): string =>
      (created.body.organisations as Json[])
        .flatMap((o) => o.contacts as Json[])
        .find((c) => c.timeZone === zone)!.id;

    // New Year's Day, working hours on the local wall clock: Friday 1 January 2027 09:00–12:30
    // in Auckland (UTC+13) is 20:00–23:30 UTC on 31 December; 16:00–18:00 in Los Angeles (UTC−8)
    // is 00:00–02:00 UTC on 2 January. Each is an off day there, counted in full.
    for (const [zone, from, to] of [
      ['Pacific/Auckland', '2026-12-31T20:00:00Z', '2026-12-31T23:30:00Z'],
      ['America/Los_Angeles', '2027-01-02T00:00:00Z', '2027-01-02T02:00:00Z'],
    ]) {
      const res = await slots(
        `contactIds=${contact(zone)}&from=${from}&to=${to}&durationMinutes=60`,
        created.body.id,
      );
      expect({ zone, status: res.status, common: res.body.commonSlotCount }).toEqual({
        zone,
        status: 200,
        common: 0,
      });
      expect(res.body.slots[0].attendees[0]).toMatchObject({
        start: { date: '2027-01-01' },
        offDayMinutes: 60,
      });
    }

    // The control: the Monday after, the same hours are working time.
    const monday = await slots(
      `contactIds=${contact('America/Los_Angeles')}&from=2027-01-05T00:00:00Z&to=2027-01-05T02:00:00Z&durationMinutes=60`,
      created.body.id,
    );
    expect(monday.body.commonSlotCount).toBe(3);
  });

  it('contactIds chooses the attendees: Raquel alone has her whole day, 20 proposals of 85', async () => {
    const raquel = contactOf(partnership, 'ES');
    const res = await slots(
      `contactIds=${raquel.id}&from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=60`,
    );
    expect(res.status).toBe(200);
    expect(res.body.attendees.map((a: Json) => a.id)).toEqual([raquel.id]);
    expect(res.body.commonSlotCount).toBe(5 * 17); // 09:00 … 17:00 starts
    expect(res.body.truncated).toBe(true);
    expect(res.body.slots).toHaveLength(20);
    expect(wall(res.body, ['Europe/Madrid'])[0]).toBe('2027-01-11 09:00–10:00 Europe/Madrid');
  });

  it('stepMinutes moves the starts: with 60, one slot a day', async () => {
    const res = await slots(
      'from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=60&stepMinutes=60',
    );
    expect(res.status).toBe(200);
    expect(res.body.commonSlotCount).toBe(5);
  });

  it('coordinatorTimeZone adds the caller (09:00–18:00, Monday to Friday): from London nothing fits everyone', async () => {
    const res = await slots(
      'from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=60&coordinatorTimeZone=Europe/London',
    );
    expect(res.status).toBe(200);
    expect(res.body.attendees[0]).toEqual({
      id: 'coordinator',
      kind: 'coordinator',
      name: expect.any(String),
      organisationId: null,
      organisationName: null,
      timeZone: 'Europe/London',
      workingHours: { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] },
    });
    expect(res.body.attendees).toHaveLength(3);
    expect(res.body.mode).toBe('fair');
    expect(res.body.commonSlotCount).toBe(0);
    expect(res.body.slots[0].attendees[0]).toMatchObject({
      id: 'coordinator',
      timeZone: 'Europe/London',
    });

    const madrid = await slots(
      'from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=60&coordinatorTimeZone=Europe/Madrid',
    );
    expect(madrid.body.commonSlotCount).toBe(10);
  });

  it('a partnership without contacts: 400 naming contactIds, unless the caller attends alone', async () => {
    const request = foundingCaseRequest();
    for (const o of request.organisations) o.contacts = [];
    const created = await http('POST', url('/partnerships'), request);
    expect(created.status).toBe(201);
    const range = 'from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=60';
    const none = await slots(range, created.body.id);
    expect(none.status).toBe(400);
    expect(none.body.errors.map((e: Json) => e.field)).toEqual(['contactIds']);
    const alone = await slots(`${range}&coordinatorTimeZone=Asia/Shanghai`, created.body.id);
    expect(alone.status).toBe(200);
    expect(alone.body.commonSlotCount).toBe(5 * 17);
  });

  it.each([
    // Each beside one of the partnership's own contacts, so that it is the stranger refused.
    [
      'a contact of another partnership',
      () => `contactIds=${contactOf(partnership, 'CN').id},${contactOf(other, 'ES').id}`,
      'contactIds',
    ],
    [
      'an unknown contact id',
      () => `contactIds=${contactOf(partnership, 'CN').id},${randomUUID()}`,
      'contactIds',
    ],
    [
      'a contact id that is no id',
      () => `contactIds=${contactOf(partnership, 'CN').id},raquel`,
      'contactIds',
    ],
    ['an empty contactIds', () => 'contactIds=', 'contactIds'],
    [
      'a repeated contact',
      () => `contactIds=${contactOf(partnership, 'ES').id},${contactOf(partnership, 'ES').id}`,
      'contactIds',
    ],
  ])('400 VALIDATION_FAILED naming contactIds: %s', async (_, extra, field) => {
    const res = await slots(
      `${extra()}&from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=60`,
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: Json) => e.field)).toEqual([field]);
  });

  it.each([
    [
      'a reversed range',
      'from=2027-01-16T00:00:00Z&to=2027-01-11T00:00:00Z&durationMinutes=60',
      'to',
    ],
    [
      'an empty range',
      'from=2027-01-11T00:00:00Z&to=2027-01-11T00:00:00Z&durationMinutes=60',
      'to',
    ],
    [
      'a range over 31 days',
      'from=2027-01-01T00:00:00Z&to=2027-02-02T00:00:00Z&durationMinutes=60',
      'to',
    ],
    [
      'a duration of 0',
      'from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=0',
      'durationMinutes',
    ],
    [
      'a duration of 1.5',
      'from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=1.5',
      'durationMinutes',
    ],
    [
      'a duration of words',
      'from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=long',
      'durationMinutes',
    ],
    [
      'a duration over a day',
      'from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=1441',
      'durationMinutes',
    ],
    [
      'a duration longer than the range',
      'from=2027-01-11T08:00:00Z&to=2027-01-11T08:30:00Z&durationMinutes=60',
      'durationMinutes',
    ],
    ['no duration', 'from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z', 'durationMinutes'],
    [
      'a step that does not divide a day',
      'from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=60&stepMinutes=7',
      'stepMinutes',
    ],
    ['no from', 'to=2027-01-16T00:00:00Z&durationMinutes=60', 'from'],
    ['a date without a time', 'from=2027-01-11&to=2027-01-16T00:00:00Z&durationMinutes=60', 'from'],
    [
      'a time without an offset',
      'from=2027-01-11T00:00:00Z&to=2027-01-16T00:00&durationMinutes=60',
      'to',
    ],
    [
      'an unknown zone',
      'from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=60&coordinatorTimeZone=Mars/Olympus',
      'coordinatorTimeZone',
    ],
    [
      'an unknown parameter',
      'from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=60&maxSlots=3',
      'maxSlots',
    ],
  ])('400 VALIDATION_FAILED naming the field: %s', async (_, query, field) => {
    const res = await slots(query);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: Json) => e.field)).toEqual([field]);
  });

  it.each([
    ['an unknown partnership', randomUUID()],
    ['an id that is no id', 'nope'],
  ])('404 PARTNERSHIP_NOT_FOUND: %s', async (_, id) => {
    const res = await slots(
      'from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=60',
      id,
    );
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('PARTNERSHIP_NOT_FOUND');
  });
});
