import chineseDays from 'chinese-days/dist/chinese-days.json';
import { foundingCaseRequest } from '../support/fixtures';
import { http, RunningApi } from '../support/stack';
import { usePlatform } from '../support/use-platform';

type Json = Record<string, any>;

/**
 * GET /api/v1/partnerships/:id/working-calendars with everything real, for the founding case:
 * IVACE in the Valencian Community (Europe/Madrid, 09:00–18:00) and EIRI in Sichuan
 * (Asia/Shanghai, 08:30–17:30), over dates a coordinator can check on a wall calendar.
 */
describe('working calendars of a partnership (end to end)', () => {
  let api: RunningApi;
  usePlatform((platform) => ({ api } = platform));

  const v1 = (path: string): string => `${api.url}/api/v1${path}`;
  let id = '';
  async function calendars(query: string, partnership = id): Promise<Json> {
    return http('GET', v1(`/partnerships/${partnership}/working-calendars${query}`));
  }
  /** "date localStart–localEnd start–end" per day of the contact of the organisation `country`. */
  const daysOf = (body: Json, country: string): string[] =>
    (body.organisations as Json[])
      .find((o) => o.country === country)!
      .contacts[0].nextWorkingDays.map(
        (d: Json) =>
          `${d.date} ${d.localStart}–${d.localEnd} ${d.start}–${d.end}${d.adjusted ? ' adjusted' : ''}`,
      );
  const org = (body: Json, country: string): Json =>
    (body.organisations as Json[]).find((o) => o.country === country)!;

  beforeAll(async () => {
    const created = await http('POST', v1('/partnerships'), foundingCaseRequest());
    expect(created.status).toBe(201);
    id = created.body.id;
  });

  it('lists Valencia’s December holidays and each contact’s next working days in their zone and in UTC', async () => {
    const res = await calendars('?from=2026-12-03&days=5');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: '2026-12-03', to: '2026-12-10', days: 5 });
    expect(org(res.body, 'ES')).toMatchObject({
      region: 'Valencian Community',
      holidayStateCode: 'VC',
      regionNotRecognised: false,
      offDays: [
        { date: '2026-12-06', kind: 'public_holiday', name: 'Día de la Constitución Española' },
        { date: '2026-12-08', kind: 'public_holiday', name: 'La inmaculada concepción' },
      ],
      workingDays: [],
    });
    // Raquel skips the weekend and Tuesday 8 December; Monday 7 is worked in Valencia.
    expect(daysOf(res.body, 'ES')).toEqual([
      '2026-12-03 09:00–18:00 2026-12-03T08:00:00.000Z–2026-12-03T17:00:00.000Z',
      '2026-12-04 09:00–18:00 2026-12-04T08:00:00.000Z–2026-12-04T17:00:00.000Z',
      '2026-12-07 09:00–18:00 2026-12-07T08:00:00.000Z–2026-12-07T17:00:00.000Z',
      '2026-12-09 09:00–18:00 2026-12-09T08:00:00.000Z–2026-12-09T17:00:00.000Z',
      '2026-12-10 09:00–18:00 2026-12-10T08:00:00.000Z–2026-12-10T17:00:00.000Z',
    ]);
    // 李伟 works Monday to Friday: Spain's holiday is no holiday in Chengdu.
    expect(org(res.body, 'CN')).toMatchObject({
      region: 'Sichuan',
      holidayStateCode: null,
      regionNotRecognised: false,
      offDays: [],
      workingDays: [],
    });
    expect(daysOf(res.body, 'CN')).toEqual([
      '2026-12-03 08:30–17:30 2026-12-03T00:30:00.000Z–2026-12-03T09:30:00.000Z',
      '2026-12-04 08:30–17:30 2026-12-04T00:30:00.000Z–2026-12-04T09:30:00.000Z',
      '2026-12-07 08:30–17:30 2026-12-07T00:30:00.000Z–2026-12-07T09:30:00.000Z',
      '2026-12-08 08:30–17:30 2026-12-08T00:30:00.000Z–2026-12-08T09:30:00.000Z',
      '2026-12-09 08:30–17:30 2026-12-09T00:30:00.000Z–2026-12-09T09:30:00.000Z',
    ]);
    expect(org(res.body, 'CN').contacts[0]).toMatchObject({
      timeZone: 'Asia/Shanghai',
      workingHours: { start: '08:30', end: '17:30', days: [1, 2, 3, 4, 5] },
    });
  });

  it('shows Spring Festival in Chengdu with its make-up Saturday worked', async () => {
    const res = await calendars('?from=2026-02-12&days=3');
    expect(res.status).toBe(200);
    expect(res.body.to).toBe('2026-02-16');
    expect(org(res.body, 'CN').offDays).toEqual([
      { date: '2026-02-15', kind: 'public_holiday', name: '春节' },
      { date: '2026-02-16', kind: 'public_holiday', name: '春节' },
    ]);
    expect(org(res.body, 'CN').workingDays).toEqual([
      { date: '2026-02-14', kind: 'adjusted_working_day', name: '春节补班' },
    ]);
    expect(daysOf(res.body, 'CN')).toEqual([
      '2026-02-12 08:30–17:30 2026-02-12T00:30:00.000Z–2026-02-12T09:30:00.000Z',
      '2026-02-13 08:30–17:30 2026-02-13T00:30:00.000Z–2026-02-13T09:30:00.000Z',
      '2026-02-14 08:30–17:30 2026-02-14T00:30:00.000Z–2026-02-14T09:30:00.000Z adjusted',
    ]);
    expect(daysOf(res.body, 'ES').map((d) => d.slice(0, 10))).toEqual([
      '2026-02-12',
      '2026-02-13',
      '2026-02-16',
    ]);
  });

  it('says from which date China’s official arrangement is not in the data yet, within the year reminders plan', async () => {
    // The last year the installed data has, read from the package's own file.
    const last = Math.max(
      ...Object.keys(chineseDays.holidays).map((date) => Number(date.slice(0, 4))),
    );
    const missing = async (from: string) => {
      const res = await calendars(`?from=${from}&days=1`);
      expect(res.status).toBe(200);
      return {
        CN: org(res.body, 'CN').holidayDataMissingFrom,
        ES: org(res.body, 'ES').holidayDataMissingFrom,
      };
    };
    // The year ahead is covered: nothing to say.
    expect(await missing(`${last - 1}-06-01`)).toEqual({ CN: null, ES: null });
    // The year ahead reaches past the data: from the first day of the next year.
    expect(await missing(`${last}-06-01`)).toEqual({ CN: `${last + 1}-01-01`, ES: null });
    // Wholly past the data: from the first date asked.
    expect(await missing(`${last + 2}-01-10`)).toEqual({ CN: `${last + 2}-01-10`, ES: null });
  });

  it('defaults to 10 working days from today in UTC', async () => {
    const before = new Date().toISOString().slice(0, 10);
    const res = await calendars('');
    const after = new Date().toISOString().slice(0, 10);
    expect(res.status).toBe(200);
    expect([before, after]).toContain(res.body.from);
    expect(res.body.days).toBe(10);
    for (const country of ['ES', 'CN']) {
      const days = daysOf(res.body, country).map((d) => d.slice(0, 10));
      expect(days).toHaveLength(10);
      expect(days[0] >= res.body.from).toBe(true);
    }
  });

  it('flags a region that maps to no state: only the national holidays count', async () => {
    const request = foundingCaseRequest();
    request.organisations[0].region = 'Valencia Region';
    const created = await http('POST', v1('/partnerships'), request);
    expect(created.status).toBe(201);
    const res = await calendars('?from=2026-03-18&days=2', created.body.id);
    expect(org(res.body, 'ES')).toMatchObject({
      region: 'Valencia Region',
      holidayStateCode: null,
      regionNotRecognised: true,
      offDays: [],
    });
    // San José (19 March) is a Valencian holiday, not a national one: worked here.
    expect(daysOf(res.body, 'ES').map((d) => d.slice(0, 10))).toEqual(['2026-03-18', '2026-03-19']);
    // …while the recognised region of the founding case has it off.
    const recognised = await calendars('?from=2026-03-18&days=2');
    expect(org(recognised.body, 'ES').offDays).toEqual([
      { date: '2026-03-19', kind: 'regional_holiday', name: 'San José' },
    ]);
    expect(daysOf(recognised.body, 'ES').map((d) => d.slice(0, 10))).toEqual([
      '2026-03-18',
      '2026-03-20',
    ]);
  });

  it.each([
    ['?from=2026-02-30', 'from'],
    ['?from=03-12-2026', 'from'],
    ['?from=0026-12-03', 'from'],
    ['?from=9999-12-31', 'from'],
    ['?days=0', 'days'],
    ['?days=32', 'days'],
    ['?days=five', 'days'],
    ['?days=2.5', 'days'],
  ])('answers 400 VALIDATION_FAILED naming the field for %s', async (query, field) => {
    const res = await calendars(query);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect((res.body.errors as Json[]).map((e) => e.field)).toEqual([field]);
  });

  it('accepts the bounds of days: 1 and 31', async () => {
    const one = await calendars('?from=2026-12-03&days=1');
    const max = await calendars('?from=2026-12-03&days=31');
    expect([one.status, max.status]).toEqual([200, 200]);
    expect(daysOf(one.body, 'ES')).toHaveLength(1);
    expect(daysOf(max.body, 'CN')).toHaveLength(31);
  });

  it('answers 404 for an unknown partnership', async () => {
    const unknown = await calendars('', '2b7d8a4e-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('PARTNERSHIP_NOT_FOUND');
    expect((await calendars('', 'not-a-uuid')).status).toBe(404);
  });
});
