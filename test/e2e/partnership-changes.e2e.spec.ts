import type { Client } from '@temporalio/client';
import { Pool } from 'pg';
import { expectedFirstReminder } from '../support/first-reminder';
import { foundingCaseRequest } from '../support/fixtures';
import { waitUntilQuiet } from '../support/state-snapshot';
import { http, RunningApi, TEST_ADMIN_EMAIL } from '../support/stack';
import { usePlatform } from '../support/use-platform';

type Json = Record<string, any>;

/**
 * Changing a running partnership, everything real: each change is an update of its workflow,
 * on the timeline with its actor; a contact's new zone re-plans their pending reminder at once
 * (here and in the other running partnerships of their organisation); an organisation that
 * leaves takes its pending approvals with it; an illegal change is refused with a code and
 * changes nothing.
 */
describe('changing a running partnership (end to end)', () => {
  let api: RunningApi;
  let pool: Pool;
  let client: Client;

  usePlatform((platform) => ({ api, pool, client } = platform));

  const v1 = (path: string): string => `${api.url}/api/v1${path}`;
  const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();

  async function create(request: Json = foundingCaseRequest()): Promise<Json> {
    const created = await http('POST', v1('/partnerships'), request);
    expect(created.status).toBe(201);
    return created.body;
  }
  async function askGate(id: string): Promise<Json> {
    const res = await http('POST', v1(`/partnerships/${id}/approvals`), {
      subject: { kind: 'gate' },
      deadline: inDays(30),
    });
    expect(res.status).toBe(201);
    return res.body;
  }
  async function reminderOf(id: string, approvalId: string, contactId: string): Promise<string> {
    const res = await http('GET', v1(`/partnerships/${id}/follow-ups`));
    expect(res.status).toBe(200);
    const planned = (res.body.planned as Json[]).filter(
      (p) => p.approvalId === approvalId && p.contactId === contactId,
    );
    expect(planned).toHaveLength(1);
    return planned[0].at as string;
  }
  async function timeline(id: string, types: string[]): Promise<Json[]> {
    const res = await http('GET', v1(`/partnerships/${id}/timeline?pageSize=100`));
    return (res.body.items as Json[]).filter((e) => types.includes(e.type));
  }
  /** Everything a refused change must leave as it was. */
  async function everything(id: string): Promise<unknown> {
    await waitUntilQuiet(pool, client, [id]);
    const [row, partners, contacts, approvals, events, history] = await Promise.all([
      pool.query(
        'SELECT title, areas, coordinator_name, coordinator_email, last_sequence FROM partnerships WHERE id = $1',
        [id],
      ),
      pool.query(
        'SELECT organisation_id FROM partnership_organisations WHERE partnership_id = $1 ORDER BY 1',
        [id],
      ),
      pool.query(
        `SELECT c.id, c.name, c.email, c.language, c.time_zone, c.working_hours FROM contacts c
           JOIN partnership_organisations po ON po.organisation_id = c.organisation_id
          WHERE po.partnership_id = $1 ORDER BY c.id`,
        [id],
      ),
      pool.query(
        'SELECT id, status, organisations FROM approval_requests WHERE partnership_id = $1 ORDER BY id',
        [id],
      ),
      pool.query('SELECT count(*)::int AS n FROM partnership_events WHERE partnership_id = $1', [
        id,
      ]),
      client.workflow.getHandle(`partnership-${id}`).fetchHistory(),
    ]);
    return {
      row: row.rows,
      partners: partners.rows,
      contacts: contacts.rows,
      approvals: approvals.rows,
      events: events.rows[0].n,
      history: history.events?.length,
    };
  }
  const byCountry = (p: Json, country: string): Json =>
    (p.organisations as Json[]).find((o) => o.country === country)!;

  it('renames, re-areas and hands over a partnership in one change, each on the timeline with its actor; the same change again is refused and changes nothing', async () => {
    const p = await create();
    const changed = await http('PATCH', v1(`/partnerships/${p.id}`), {
      title: '  Valencia – Chengdu: energy and mobility  ',
      areas: ['Clean energy', 'Sustainable mobility', 'Clean energy'],
      coordinator: { name: 'Beatriz Coordinator', email: 'beatriz@iurc.example' },
      comment: 'Agreed at the steering committee',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      title: 'Valencia – Chengdu: energy and mobility',
      areas: ['Clean energy', 'Sustainable mobility'],
      coordinator: { name: 'Beatriz Coordinator', email: 'beatriz@iurc.example' },
    });
    const board = await http(
      'GET',
      v1(`/partnerships?q=${encodeURIComponent('energy and mobility')}`),
    );
    expect((board.body.items as Json[]).map((i) => i.id)).toContain(p.id);

    const events = await timeline(p.id, [
      'partnership.renamed',
      'partnership.areas_changed',
      'partnership.coordinator_changed',
    ]);
    expect(events.map((e) => [e.type, e.actor.kind, e.actor.email])).toEqual([
      ['partnership.renamed', 'user', TEST_ADMIN_EMAIL],
      ['partnership.areas_changed', 'user', TEST_ADMIN_EMAIL],
      ['partnership.coordinator_changed', 'user', TEST_ADMIN_EMAIL],
    ]);
    expect(events[0].payload).toEqual({
      from: p.title,
      to: 'Valencia – Chengdu: energy and mobility',
      comment: 'Agreed at the steering committee',
    });
    expect(events[1].payload).toMatchObject({
      from: p.areas,
      to: ['Clean energy', 'Sustainable mobility'],
    });
    expect(events[2].payload).toMatchObject({
      from: p.coordinator,
      to: { name: 'Beatriz Coordinator', email: 'beatriz@iurc.example' },
    });

    // Refusals, each with its code, each leaving everything as it was.
    const before = await everything(p.id);
    const refusals: [string, string, Json, number, string][] = [
      [
        'PATCH',
        `/partnerships/${p.id}`,
        { title: 'Valencia – Chengdu: energy and mobility' },
        409,
        'NOTHING_TO_CHANGE',
      ],
      [
        'PATCH',
        `/partnerships/${p.id}`,
        { areas: ['Clean energy', 'Sustainable mobility'] },
        409,
        'NOTHING_TO_CHANGE',
      ],
      ['PATCH', `/partnerships/${p.id}`, { title: 'ab' }, 400, 'VALIDATION_FAILED'],
      [
        'PATCH',
        `/partnerships/${p.id}`,
        { title: 'Fine title', coordinator: { name: 'X', email: 'nope' } },
        400,
        'VALIDATION_FAILED',
      ],
      ['PATCH', `/partnerships/${p.id}`, {}, 400, 'VALIDATION_FAILED'],
      ['PATCH', `/partnerships/${p.id}`, { stage: 'agreed' }, 400, 'VALIDATION_FAILED'],
      [
        'PATCH',
        `/partnerships/${p.id}/contacts/${p.id}`,
        { timeZone: 'Europe/Paris' },
        404,
        'CONTACT_NOT_FOUND',
      ],
      [
        'PATCH',
        `/partnerships/${p.id}/contacts/${byCountry(p, 'ES').contacts[0].id}`,
        { timeZone: 'Europe/Madrid' },
        409,
        'NOTHING_TO_CHANGE',
      ],
      [
        'PATCH',
        `/partnerships/${p.id}/contacts/${byCountry(p, 'ES').contacts[0].id}`,
        { timeZone: 'Mars/Olympus' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'PATCH',
        `/partnerships/${p.id}/contacts/${byCountry(p, 'ES').contacts[0].id}`,
        { email: null, name: null },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        `/partnerships/${p.id}/organisations/${byCountry(p, 'CN').id}/remove`,
        { reason: 'Left' },
        409,
        'TOO_FEW_ORGANISATIONS',
      ],
      [
        'POST',
        `/partnerships/${p.id}/organisations/${p.id}/remove`,
        { reason: 'Left' },
        409,
        'ORGANISATION_NOT_IN_PARTNERSHIP',
      ],
      [
        'POST',
        `/partnerships/${p.id}/organisations/${byCountry(p, 'CN').id}/remove`,
        {},
        400,
        'VALIDATION_FAILED',
      ],
    ];
    for (const [method, path, body, status, code] of refusals) {
      const res = await http(method, v1(path), body);
      expect([path, res.status, res.body.code]).toEqual([path, status, code]);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(await everything(p.id)).toEqual(before);

    // A closed partnership changes no more.
    expect((await http('POST', v1(`/partnerships/${p.id}/close`), { reason: 'Done' })).status).toBe(
      200,
    );
    const closed = await http('PATCH', v1(`/partnerships/${p.id}`), { title: 'After closing' });
    expect([closed.status, closed.body.code]).toEqual([409, 'PARTNERSHIP_CLOSED']);
  });

  it('re-plans a contact’s pending reminder at once when their time zone changes, here and in the other running partnership of their organisation', async () => {
    const p = await create();
    const es = byCountry(p, 'ES');
    const raquel = es.contacts[0];
    // A second partnership with the same Spanish organisation (and so the same contact).
    const second = foundingCaseRequest();
    second.organisations[0] = { id: es.id };
    const q = await create(second);
    const [gate, otherGate] = [await askGate(p.id), await askGate(q.id)];
    const inMadrid = await reminderOf(p.id, gate.id, raquel.id);
    expect(inMadrid).toBe(expectedFirstReminder(p, gate, es, []));

    const res = await http('PATCH', v1(`/partnerships/${p.id}/contacts/${raquel.id}`), {
      timeZone: 'Pacific/Auckland',
      language: 'en',
      comment: 'Raquel moved to the Auckland office',
    });
    expect(res.status).toBe(200);
    expect(res.body.alsoChanged).toEqual([q.id]);
    expect(res.body.notChanged).toEqual([]);
    const moved = byCountry(res.body.partnership, 'ES');
    expect(moved.contacts[0]).toMatchObject({ timeZone: 'Pacific/Auckland', language: 'en' });

    // The pending reminder is planned again in the new zone, from the same request. A reminder
    // falls in its recipient's working hours, and Madrid's (08:00–17:00 UTC in winter) and
    // Auckland's (20:00–05:00 UTC) never overlap, so the two instants differ whatever the hour
    // the test runs (with Mexico City they coincided when both offices were at work).
    const inAuckland = await reminderOf(p.id, gate.id, raquel.id);
    expect(inAuckland).not.toBe(inMadrid);
    expect(inAuckland).toBe(expectedFirstReminder(res.body.partnership, gate, moved, []));
    const otherView = (await http('GET', v1(`/partnerships/${q.id}`))).body;
    expect(await reminderOf(q.id, otherGate.id, raquel.id)).toBe(
      expectedFirstReminder(otherView, otherGate, byCountry(otherView, 'ES'), []),
    );
    // The approval request keeps the approver's new zone (its reminders plan from it).
    const approval = (await http('GET', v1(`/approvals/${gate.id}`))).body;
    const approver = (approval.organisations as Json[])
      .flatMap((o) => o.approvers as Json[])
      .find((a) => a.contactId === raquel.id);
    expect(approver?.timeZone).toBe('Pacific/Auckland');

    const [event] = await timeline(p.id, ['contact.updated']);
    expect(event.actor).toMatchObject({ kind: 'user', email: TEST_ADMIN_EMAIL });
    expect(event.payload).toEqual({
      contactId: raquel.id,
      contactName: raquel.name,
      organisationId: es.id,
      changes: {
        language: { to: 'en' },
        timeZone: { from: 'Europe/Madrid', to: 'Pacific/Auckland' },
      },
      comment: 'Raquel moved to the Auckland office',
    });
    const [other] = await timeline(q.id, ['contact.updated']);
    // That partnership took the organisation as it was: its workflow never had the contact's
    // zone (it planned with the approval's), so the change records the zone and hours it now has.
    expect(other.payload.changes).toEqual({
      timeZone: { to: 'Pacific/Auckland' },
      workingHours: { to: raquel.workingHours },
    });

    // The same change again: nothing to change, and the other partnership took it once.
    const again = await http('PATCH', v1(`/partnerships/${p.id}/contacts/${raquel.id}`), {
      timeZone: 'Pacific/Auckland',
    });
    expect([again.status, again.body.code]).toEqual([409, 'NOTHING_TO_CHANGE']);
    expect(await timeline(q.id, ['contact.updated'])).toHaveLength(1);
  });

  it('withdraws the pending approvals of an organisation that leaves, and unassigns its contacts’ tasks', async () => {
    const request = foundingCaseRequest();
    request.organisations.push({
      name: `Chengdu Tianfu Innovation Centre ${request.title.slice(-8)}`,
      region: 'Sichuan',
      country: 'CN',
      kind: 'agency',
      contacts: [
        {
          name: '王芳',
          email: `wang.fang+${request.title.slice(-8)}@tianfu.example`,
          language: 'zh',
          timeZone: 'Asia/Shanghai',
        },
      ],
    });
    const p = await create(request);
    const leaving = (p.organisations as Json[]).find((o) => o.name.startsWith('Chengdu Tianfu'))!;
    const staying = (p.organisations as Json[]).filter((o) => o.id !== leaving.id);
    const gate = await askGate(p.id);
    const meeting = 'introduction.introductory_meeting';
    expect(
      (
        await http('PATCH', v1(`/partnerships/${p.id}/tasks/${meeting}`), {
          assigneeContactId: leaving.contacts[0].id,
        })
      ).status,
    ).toBe(200);

    const res = await http('POST', v1(`/partnerships/${p.id}/organisations/${leaving.id}/remove`), {
      reason: 'The centre left the programme',
    });
    expect(res.status).toBe(200);
    expect((res.body.organisations as Json[]).map((o) => o.id).sort()).toEqual(
      staying.map((o) => o.id).sort(),
    );
    const task = Object.values(res.body.tasksByStage as Record<string, Json[]>)
      .flat()
      .find((t) => t.id === meeting)!;
    expect(task.assigneeContactId).toBeNull();
    expect((await http('GET', v1(`/approvals/${gate.id}`))).body.status).toBe('withdrawn');
    const events = await timeline(p.id, ['organisation.removed', 'approval.withdrawn']);
    expect(events.map((e) => [e.type, e.actor.email])).toEqual([
      ['organisation.removed', TEST_ADMIN_EMAIL],
      ['approval.withdrawn', TEST_ADMIN_EMAIL],
    ]);
    expect(events[0].payload).toEqual({
      organisationId: leaving.id,
      organisationName: leaving.name,
      reason: 'The centre left the programme',
    });
    expect(events[1].payload).toEqual({ approvalId: gate.id, reason: 'organisation removed' });

    // The gate asks the two that stay; the one that left is no partner to ask or remove.
    const asked = await askGate(p.id);
    expect((asked.organisations as Json[]).map((o) => o.organisationId).sort()).toEqual(
      staying.map((o) => o.id).sort(),
    );
    const again = await http(
      'POST',
      v1(`/partnerships/${p.id}/organisations/${leaving.id}/remove`),
      {
        reason: 'Again',
      },
    );
    expect([again.status, again.body.code]).toEqual([409, 'ORGANISATION_NOT_IN_PARTNERSHIP']);
  });
});
