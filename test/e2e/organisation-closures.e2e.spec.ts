import { expectedFirstReminder, localDate } from '../support/first-reminder';
import { foundingCaseRequest } from '../support/fixtures';
import { http, Platform, waitFor } from '../support/stack';
import { acceptedUpdates } from '../support/state-snapshot';
import { usePlatform } from '../support/use-platform';

type Json = Record<string, any>;
const DAY_MS = 86_400_000;

/**
 * Organisations' own closure days end to end: an admin sets them over HTTP, every working
 * calendar of the organisation counts them, and the follow-ups of its open partnerships are
 * planned again at once (read back through the follow-ups API, checked against the domain rule).
 */
describe('organisation closures (end to end)', () => {
  let platform: Platform;
  usePlatform((p) => (platform = p));
  const url = (path: string): string => `${platform.api.url}/api/v1${path}`;

  async function created(): Promise<Json> {
    const res = await http('POST', url('/partnerships'), foundingCaseRequest());
    expect(res.status).toBe(201);
    return res.body;
  }

  const closures = async (organisationId: string): Promise<Json> =>
    (await http('GET', url(`/organisations/${organisationId}/closures`))).body;

  /** The first reminder of each approver of a request, by contact id, once planned. */
  async function firstReminders(id: string, approvalId: string): Promise<Record<string, string>> {
    const res = await http('GET', url(`/partnerships/${id}/follow-ups`));
    expect(res.status).toBe(200);
    const mine = (res.body.planned as Json[]).filter(
      (p) => p.approvalId === approvalId && p.kind === 'approval-reminder',
    );
    return Object.fromEntries(mine.map((p) => [p.contactId, p.at]));
  }

  it('closing a partner on its approver’s reminder day moves the reminder past it, and reopening moves it back', async () => {
    const partnership = await created();
    const id = partnership.id as string;
    const es = (partnership.organisations as Json[]).find((o) => o.country === 'ES')!;
    const cn = (partnership.organisations as Json[]).find((o) => o.country === 'CN')!;
    const raquel = es.contacts[0].id as string;
    const li = cn.contacts[0].id as string;
    const asked = await http('POST', url(`/partnerships/${id}/approvals`), {
      subject: { kind: 'gate' },
      deadline: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    });
    expect(asked.status).toBe(201);
    const approval = asked.body;
    const before = await waitFor(async () => {
      const planned = await firstReminders(id, approval.id);
      return planned[raquel] && planned[li] ? planned : undefined;
    });
    expect(before[raquel]).toBe(expectedFirstReminder(partnership, approval, es, []));

    // The day Raquel's reminder was to go out, in Madrid, becomes the agency's closure.
    const day = localDate(before[raquel], 'Europe/Madrid');
    const closure = { date: day, name: 'Cierre de la agencia' };
    const set = await http('PUT', url(`/organisations/${es.id}/closures/${day}`), {
      name: ` ${closure.name} `,
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      organisationId: es.id,
      items: [closure],
      replanned: [id],
      notReplanned: [],
    });
    const me = (await http('GET', url('/me'))).body;
    expect(set.body.items[0].updatedBy).toBe(me.id);

    const after = await firstReminders(id, approval.id);
    expect(after[raquel]).toBe(expectedFirstReminder(partnership, approval, es, [closure]));
    expect(after[raquel] > before[raquel]).toBe(true);
    expect(localDate(after[raquel], 'Europe/Madrid')).not.toBe(day);
    // The institute in Chengdu is not closed: Li's reminder stays.
    expect(after[li]).toBe(before[li]);

    // Every calendar of the agency counts it: the working days of the partnership page …
    const calendars = await http(
      'GET',
      url(`/partnerships/${id}/working-calendars?from=${day}&days=3`),
    );
    expect(calendars.status).toBe(200);
    const esCalendar = (calendars.body.organisations as Json[]).find((o) => o.id === es.id)!;
    expect(esCalendar.offDays).toContainEqual({ ...closure, kind: 'closure' });
    expect(esCalendar.contacts[0].nextWorkingDays.map((d: Json) => d.date)).not.toContain(day);

    // The same closure again changes nothing: one audit entry, the same plan, no second update.
    const updates = () =>
      acceptedUpdates(platform.client, `partnership-${id}`, 'setWorkingCalendars');
    const updatesBefore = await updates();
    expect(updatesBefore).toBe(1);
    const again = await http('PUT', url(`/organisations/${es.id}/closures/${day}`), {
      name: closure.name,
    });
    expect(again.status).toBe(200);
    expect(again.body.items).toEqual(set.body.items);
    expect(await firstReminders(id, approval.id)).toEqual(after);
    expect(await updates()).toBe(updatesBefore);
    const audit = await http('GET', url('/audit-log?pageSize=100'));
    const entries = (audit.body.items as Json[]).filter(
      (e) => e.target === es.id && e.action === 'organisation.closure_set',
    );
    expect(entries).toHaveLength(1);
    expect(entries[0].details).toEqual(closure);

    // Open again: the reminder comes back to where the holiday data alone puts it.
    const removed = await http('DELETE', url(`/organisations/${es.id}/closures/${day}`));
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ items: [], replanned: [id], notReplanned: [] });
    expect((await firstReminders(id, approval.id))[raquel]).toBe(before[raquel]);
    expect((await closures(es.id)).items).toEqual([]);
  });

  it('refuses a bad closure with a problem that names it, and changes nothing', async () => {
    const partnership = await created();
    const es = (partnership.organisations as Json[]).find((o) => o.country === 'ES')!;
    const kept = new Date(Date.now() + 40 * DAY_MS).toISOString().slice(0, 10);
    expect(
      (await http('PUT', url(`/organisations/${es.id}/closures/${kept}`), { name: 'Kept' })).status,
    ).toBe(200);
    const farAhead = new Date(Date.now() + 5 * 366 * DAY_MS).toISOString().slice(0, 10);
    const longAgo = new Date(Date.now() - 2 * 366 * DAY_MS).toISOString().slice(0, 10);
    const cases: [string, string, unknown, number, string, string?][] = [
      ['PUT', `${es.id}/closures/2027-02-30`, { name: 'x' }, 400, 'VALIDATION_FAILED', 'date'],
      ['PUT', `${es.id}/closures/27-01-01`, { name: 'x' }, 400, 'VALIDATION_FAILED', 'date'],
      ['PUT', `${es.id}/closures/${farAhead}`, { name: 'x' }, 400, 'VALIDATION_FAILED', 'date'],
      ['PUT', `${es.id}/closures/${longAgo}`, { name: 'x' }, 400, 'VALIDATION_FAILED', 'date'],
      ['PUT', `${es.id}/closures/${kept}`, { name: '   ' }, 400, 'VALIDATION_FAILED', 'name'],
      [
        'PUT',
        `${es.id}/closures/${kept}`,
        { name: 'x'.repeat(101) },
        400,
        'VALIDATION_FAILED',
        'name',
      ],
      ['PUT', `${es.id}/closures/${kept}`, {}, 400, 'VALIDATION_FAILED', 'name'],
      [
        'PUT',
        `${es.id}/closures/${kept}`,
        { name: 'x', extra: 1 },
        400,
        'VALIDATION_FAILED',
        'extra',
      ],
      [
        'PUT',
        `00000000-0000-4000-8000-000000000000/closures/${kept}`,
        { name: 'x' },
        404,
        'ORGANISATION_NOT_FOUND',
      ],
      ['PUT', `not-an-id/closures/${kept}`, { name: 'x' }, 404, 'ORGANISATION_NOT_FOUND'],
      ['DELETE', `${es.id}/closures/2027-01-01`, undefined, 404, 'CLOSURE_NOT_FOUND'],
      ['DELETE', `${es.id}/closures/2027-13-01`, undefined, 400, 'VALIDATION_FAILED', 'date'],
      [
        'GET',
        `00000000-0000-4000-8000-000000000000/closures`,
        undefined,
        404,
        'ORGANISATION_NOT_FOUND',
      ],
    ];
    const history = async () =>
      (await platform.client.workflow.getHandle(`partnership-${partnership.id}`).fetchHistory())
        .events?.length;
    const lengthBefore = await history();
    for (const [method, path, body, status, code, field] of cases) {
      const res = await http(method, url(`/organisations/${path}`), body);
      expect({ method, path, status: res.status, code: res.body.code }).toEqual({
        method,
        path,
        status,
        code,
      });
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      if (field) expect((res.body.errors as Json[]).map((e) => e.field)).toContain(field);
    }
    expect((await closures(es.id)).items).toMatchObject([{ date: kept, name: 'Kept' }]);
    expect(await history()).toBe(lengthBefore);
  });

  it(`keeps at most 400 closure days an organisation, and still renames one it has`, async () => {
    // A partnership that has ended: nothing to re-plan, so the 400 closures go fast.
    const partnership = await created();
    const closed = await http('POST', url(`/partnerships/${partnership.id}/close`), {
      reason: 'Only its organisation is used',
    });
    expect(closed.status).toBe(200);
    const org = (partnership.organisations as Json[])[0].id as string;
    const dateIn = (days: number) =>
      new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
    const days = Array.from({ length: 400 }, (_, k) => k + 1);
    for (let k = 0; k < days.length; k += 20) {
      const batch = days.slice(k, k + 20);
      const answers = await Promise.all(
        batch.map((d) =>
          http('PUT', url(`/organisations/${org}/closures/${dateIn(d)}`), { name: `Day ${d}` }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(batch.map(() => 200));
    }
    const over = await http('PUT', url(`/organisations/${org}/closures/${dateIn(401)}`), {
      name: 'One more',
    });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ code: 'TOO_MANY_CLOSURES', limit: 400 });
    const renamed = await http('PUT', url(`/organisations/${org}/closures/${dateIn(1)}`), {
      name: 'Renamed',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.items).toHaveLength(400);
    expect(renamed.body.items[0]).toMatchObject({ date: dateIn(1), name: 'Renamed' });
  });
});
