import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Pool } from 'pg';
import { foundingCaseRequest } from '../support/fixtures';
import { approvalToken, awaitMessages } from '../support/mailpit';
import { waitUntilQuiet } from '../support/state-snapshot';
import { http, login, RunningApi, TEST_ADMIN_EMAIL } from '../support/stack';
import { usePlatform } from '../support/use-platform';

type Json = Record<string, any>;

/**
 * Partners joining and leaving a running partnership, everything real: an organisation (new or
 * existing) and a contact join and can be asked and assigned at once; a deactivated contact hands
 * their pending approval (with an e-mail to the colleague) and open task to a colleague and is
 * asked nothing more; every change is on the timeline with its actor; an illegal one is refused
 * with a code and changes nothing.
 */
describe('partners joining and leaving a running partnership (end to end)', () => {
  let api: RunningApi;
  let pool: Pool;
  let client: Client;

  usePlatform((platform) => ({ api, pool, client } = platform));

  const v1 = (path: string): string => `${api.url}/api/v1${path}`;
  const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();
  const MEETING = 'introduction.introductory_meeting';

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
  async function timeline(id: string, types: string[]): Promise<Json[]> {
    const res = await http('GET', v1(`/partnerships/${id}/timeline?pageSize=100`));
    return (res.body.items as Json[]).filter((e) => types.includes(e.type));
  }
  const byCountry = (p: Json, country: string): Json =>
    (p.organisations as Json[]).find((o) => o.country === country)!;
  const contactNamed = (p: Json, name: string): Json =>
    (p.organisations as Json[]).flatMap((o) => o.contacts as Json[]).find((c) => c.name === name)!;
  const taskOf = (p: Json, id: string): Json =>
    Object.values(p.tasksByStage as Record<string, Json[]>)
      .flat()
      .find((t) => t.id === id)!;
  const approversOf = (approval: Json): Json[] =>
    (approval.organisations as Json[]).flatMap((o) => o.approvers as Json[]);

  /** Everything a refused change must leave as it was. */
  async function everything(id: string): Promise<unknown> {
    await waitUntilQuiet(pool, client, [id]);
    const [row, partners, contacts, approvals, events, history] = await Promise.all([
      pool.query('SELECT last_sequence, inactive_contact_ids FROM partnerships WHERE id = $1', [
        id,
      ]),
      pool.query(
        'SELECT organisation_id FROM partnership_organisations WHERE partnership_id = $1 ORDER BY 1',
        [id],
      ),
      pool.query(
        `SELECT c.id, c.name, c.email FROM contacts c
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

  it('adds a new organisation once per key, an existing one with its contacts, and a contact; they can be asked and assigned at once; illegal additions change nothing', async () => {
    const suffix = randomUUID().slice(0, 8);
    const p = await create(foundingCaseRequest(suffix));
    const key = `add-tianfu-${suffix}`;
    const tianfu = {
      name: `Chengdu Tianfu Innovation Centre ${suffix}`,
      region: 'Sichuan',
      country: 'cn',
      kind: 'agency',
      contacts: [
        {
          name: '王芳',
          email: `Wang.Fang+${suffix}@tianfu.example`,
          language: 'zh',
          timeZone: 'Asia/Shanghai',
        },
      ],
      comment: 'Joined at the steering committee',
    };
    const added = await http('POST', v1(`/partnerships/${p.id}/organisations`), tianfu, {
      'idempotency-key': key,
    });
    expect(added.status).toBe(200);
    const centre = (added.body.organisations as Json[]).find((o) => o.name === tianfu.name)!;
    expect(centre).toMatchObject({
      region: 'Sichuan',
      country: 'CN',
      kind: 'agency',
      contacts: [
        {
          name: '王芳',
          email: `wang.fang+${suffix}@tianfu.example`,
          language: 'zh',
          timeZone: 'Asia/Shanghai',
          workingHours: { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] },
          active: true,
        },
      ],
    });
    // The same key again: the organisation joined once; the answer is the same.
    const retried = await http('POST', v1(`/partnerships/${p.id}/organisations`), tianfu, {
      'idempotency-key': key,
    });
    expect(retried.status).toBe(200);
    expect(retried.body.organisations).toEqual(added.body.organisations);
    const reused = await http(
      'POST',
      v1(`/partnerships/${p.id}/organisations`),
      { ...tianfu, name: 'Another centre' },
      { 'idempotency-key': key },
    );
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    const [joined, ...more] = await timeline(p.id, ['organisation.added']);
    expect(more).toHaveLength(0);
    expect(joined.actor).toMatchObject({ kind: 'user', email: TEST_ADMIN_EMAIL });
    expect(joined.payload).toEqual({
      organisationId: centre.id,
      organisationName: tianfu.name,
      contactIds: [centre.contacts[0].id],
      // The request's id under the key, which a new organisation's id is derived from too.
      requestId: centre.id,
      comment: 'Joined at the steering committee',
    });

    // An existing organisation (a partner elsewhere) joins with the contacts it has.
    const elsewhere = foundingCaseRequest();
    const q = await create(elsewhere);
    const existing = byCountry(q, 'CN');
    const linkKey = { 'idempotency-key': `link-${suffix}` };
    const linked = await http(
      'POST',
      v1(`/partnerships/${p.id}/organisations`),
      { id: existing.id },
      linkKey,
    );
    expect(linked.status).toBe(200);
    // The same key again answers as the first did, and the organisation joined once.
    const relinked = await http(
      'POST',
      v1(`/partnerships/${p.id}/organisations`),
      { id: existing.id },
      linkKey,
    );
    expect([relinked.status, relinked.body.organisations]).toEqual([
      200,
      linked.body.organisations,
    ]);
    expect(
      (await timeline(p.id, ['organisation.added'])).filter(
        (e) => e.payload.organisationId === existing.id,
      ),
    ).toHaveLength(1);
    expect((linked.body.organisations as Json[]).find((o) => o.id === existing.id)).toMatchObject({
      name: existing.name,
      contacts: [{ id: existing.contacts[0].id, active: true }],
    });
    expect(linked.body.organisations).toHaveLength(4);
    // Another organisation under a key already used, existing or new, is refused; nothing joins.
    const otherExisting = byCountry(q, 'ES');
    for (const [body, headers] of [
      [{ id: otherExisting.id }, linkKey],
      [{ id: otherExisting.id }, { 'idempotency-key': key }],
      [{ ...tianfu, name: 'A centre under the link key' }, linkKey],
    ] as const) {
      const refused = await http('POST', v1(`/partnerships/${p.id}/organisations`), body, headers);
      expect([refused.status, refused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    }
    expect((await http('GET', v1(`/partnerships/${p.id}`))).body.organisations).toHaveLength(4);

    // A contact joins the organisation shared with q: q (running, which the caller may change)
    // takes them too, as an assignee there.
    const shared = await http(
      'POST',
      v1(`/partnerships/${p.id}/organisations/${existing.id}/contacts`),
      {
        name: 'Zhao Min',
        email: `zhao.min+${suffix}@eiri.example`,
        language: 'zh',
        timeZone: 'Asia/Shanghai',
      },
    );
    expect(shared.status).toBe(200);
    const zhao = contactNamed(shared.body, 'Zhao Min');
    const [inQ] = await timeline(q.id, ['contact.added']);
    expect(inQ.payload).toMatchObject({ contactId: zhao.id, organisationId: existing.id });
    expect(
      (
        await http('PATCH', v1(`/partnerships/${q.id}/tasks/${MEETING}`), {
          assigneeContactId: zhao.id,
        })
      ).status,
    ).toBe(200);

    // A contact joins a partner organisation.
    const es = byCountry(p, 'ES');
    const carmen = await http(
      'POST',
      v1(`/partnerships/${p.id}/organisations/${es.id}/contacts`),
      {
        name: 'Carmen Vidal',
        email: `carmen+${suffix}@ivace.example`,
        role: 'Programme manager',
        language: 'es',
        timeZone: 'Europe/Madrid',
      },
      { 'idempotency-key': `carmen-${suffix}` },
    );
    expect(carmen.status).toBe(200);
    const carmenContact = contactNamed(carmen.body, 'Carmen Vidal');
    expect(carmenContact).toMatchObject({ role: 'Programme manager', active: true });
    const [contactAdded] = await timeline(p.id, ['contact.added']);
    expect(contactAdded.payload.contactName).toBe('Zhao Min');
    const contactAddedToEs = (await timeline(p.id, ['contact.added']))[1];
    expect(contactAddedToEs.payload).toEqual({
      contactId: carmenContact.id,
      contactName: 'Carmen Vidal',
      organisationId: es.id,
      organisationName: es.name,
    });

    // They take part at once: the gate asks all four organisations, each of their contacts
    // gets their link, and a task can be given to the new contact.
    const gate = await askGate(p.id);
    expect((gate.organisations as Json[]).map((o) => o.organisationId).sort()).toEqual(
      (linked.body.organisations as Json[]).map((o) => o.id).sort(),
    );
    expect(approversOf(gate).map((a) => a.contactId)).toEqual(
      expect.arrayContaining([centre.contacts[0].id, carmenContact.id, existing.contacts[0].id]),
    );
    const [mail] = await awaitMessages(`wang.fang+${suffix}@tianfu.example`, 1);
    expect(approvalToken(mail)).toBeTruthy();
    const assigned = await http('PATCH', v1(`/partnerships/${p.id}/tasks/${MEETING}`), {
      assigneeContactId: carmenContact.id,
    });
    expect(assigned.status).toBe(200);

    // Refusals, each with its code, each leaving everything as it was.
    const before = await everything(p.id);
    const refusals: [string, Json, number, string][] = [
      [
        `/partnerships/${p.id}/organisations`,
        { id: existing.id },
        409,
        'ORGANISATION_ALREADY_IN_PARTNERSHIP',
      ],
      [
        `/partnerships/${p.id}/organisations`,
        { ...tianfu, name: ` ${tianfu.name.toUpperCase()} ` },
        409,
        'ORGANISATION_ALREADY_IN_PARTNERSHIP',
      ],
      [`/partnerships/${p.id}/organisations`, { id: randomUUID() }, 404, 'ORGANISATION_NOT_FOUND'],
      [
        `/partnerships/${p.id}/organisations`,
        { id: existing.id, name: 'Both' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        `/partnerships/${p.id}/organisations`,
        { name: 'No country', kind: 'agency' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        `/partnerships/${p.id}/organisations/${es.id}/contacts`,
        {
          name: 'Carmen again',
          email: `CARMEN+${suffix}@ivace.example`,
          language: 'es',
          timeZone: 'Europe/Madrid',
        },
        409,
        'EMAIL_TAKEN',
      ],
      [
        `/partnerships/${p.id}/organisations/${es.id}/contacts`,
        {
          name: 'Nobody',
          email: `nobody+${suffix}@ivace.example`,
          language: 'es',
          timeZone: 'Mars/Olympus',
        },
        400,
        'VALIDATION_FAILED',
      ],
      [
        `/partnerships/${p.id}/organisations/${byCountry(q, 'ES').id}/contacts`,
        {
          name: 'Elsewhere',
          email: `elsewhere+${suffix}@ivace.example`,
          language: 'es',
          timeZone: 'Europe/Madrid',
        },
        409,
        'ORGANISATION_NOT_IN_PARTNERSHIP',
      ],
    ];
    for (const [path, body, status, code] of refusals) {
      const res = await http('POST', v1(path), body);
      expect([path, res.status, res.body.code]).toEqual([path, status, code]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    // The rule book names the fields as the body does (a name of spaces passes the DTO).
    const blank = await http('POST', v1(`/partnerships/${p.id}/organisations`), {
      name: '   ',
      country: 'CN',
      kind: 'agency',
    });
    expect([blank.status, blank.body.errors]).toEqual([
      400,
      [{ field: 'name', messages: ['must be 1 to 200 characters'] }],
    ]);
    expect(await everything(p.id)).toEqual(before);

    // A closed partnership takes no one.
    const closed = await create();
    expect(
      (await http('POST', v1(`/partnerships/${closed.id}/close`), { reason: 'Ended' })).status,
    ).toBe(200);
    const late = await http('POST', v1(`/partnerships/${closed.id}/organisations`), {
      id: existing.id,
    });
    expect([late.status, late.body.code]).toEqual([409, 'PARTNERSHIP_CLOSED']);
  });

  it('hands a deactivated contact’s pending approval and open task to the colleague named, asks them nothing more, and lets them back', async () => {
    const suffix = randomUUID().slice(0, 8);
    const p = await create(foundingCaseRequest(suffix));
    const es = byCountry(p, 'ES');
    const raquel = es.contacts[0];
    const li = byCountry(p, 'CN').contacts[0];
    const gate = await askGate(p.id);
    const carmenEmail = `carmen+${suffix}@ivace.example`;
    const withCarmen = await http(
      'POST',
      v1(`/partnerships/${p.id}/organisations/${es.id}/contacts`),
      {
        name: 'Carmen Vidal',
        email: carmenEmail,
        language: 'es',
        timeZone: 'Europe/Madrid',
      },
    );
    expect(withCarmen.status).toBe(200);
    const carmen = contactNamed(withCarmen.body, 'Carmen Vidal');
    expect(
      (
        await http('PATCH', v1(`/partnerships/${p.id}/tasks/${MEETING}`), {
          assigneeContactId: raquel.id,
        })
      ).status,
    ).toBe(200);
    const deactivate = (contactId: string, body: Json) =>
      http('POST', v1(`/partnerships/${p.id}/contacts/${contactId}/deactivate`), body);

    // Refused: no reason, a pending approval and no one to take it, the last one of Chengdu,
    // a delegate from another organisation, a stranger. Nothing changes.
    const before = await everything(p.id);
    const refusals: [string, Json, number, string][] = [
      [raquel.id, { reason: '   ' }, 400, 'REASON_REQUIRED'],
      [raquel.id, { reason: 'Left IVACE' }, 409, 'CONTACT_HAS_PENDING_APPROVALS'],
      [li.id, { reason: 'Left EIRI' }, 409, 'LAST_ACTIVE_CONTACT'],
      [raquel.id, { reason: 'Left IVACE', delegateTo: li.id }, 400, 'VALIDATION_FAILED'],
      [randomUUID(), { reason: 'Who?' }, 404, 'CONTACT_NOT_FOUND'],
    ];
    for (const [contactId, body, status, code] of refusals) {
      const res = await deactivate(contactId, body);
      expect([contactId, res.status, res.body.code]).toEqual([contactId, status, code]);
    }
    const pendingRefusal = await deactivate(raquel.id, { reason: 'Left IVACE' });
    expect(pendingRefusal.body.errors).toEqual([
      { field: 'delegateTo', messages: [`required: ${gate.id}`] },
    ]);
    expect(await everything(p.id)).toEqual(before);

    const res = await deactivate(raquel.id, {
      reason: 'Left IVACE in November',
      delegateTo: carmen.id,
    });
    expect(res.status).toBe(200);
    expect(contactNamed(res.body, raquel.name).active).toBe(false);
    expect(taskOf(res.body, MEETING).assigneeContactId).toBe(carmen.id);
    const approval = (await http('GET', v1(`/approvals/${gate.id}`))).body;
    expect(approversOf(approval).map((a) => [a.contactId, a.delegated, a.delegatedFrom])).toEqual(
      expect.arrayContaining([
        [raquel.id, true, null],
        [carmen.id, false, raquel.id],
      ]),
    );
    // Carmen is asked by e-mail with her own link; her reminder is planned, Raquel's is gone.
    const [asked] = await awaitMessages(carmenEmail, 1);
    expect(approvalToken(asked)).toBeTruthy();
    const planned = (await http('GET', v1(`/partnerships/${p.id}/follow-ups`))).body
      .planned as Json[];
    const forGate = planned.filter((f) => f.approvalId === gate.id);
    expect(forGate.map((f) => f.contactId)).toContain(carmen.id);
    expect(forGate.map((f) => f.contactId)).not.toContain(raquel.id);

    const events = await timeline(p.id, [
      'contact.deactivated',
      'approval.delegated',
      'task.assigned',
    ]);
    expect(events.map((e) => [e.type, e.actor.email])).toEqual([
      ['task.assigned', TEST_ADMIN_EMAIL],
      ['contact.deactivated', TEST_ADMIN_EMAIL],
      ['approval.delegated', TEST_ADMIN_EMAIL],
      ['task.assigned', TEST_ADMIN_EMAIL],
    ]);
    expect(events[1].payload).toEqual({
      contactId: raquel.id,
      contactName: raquel.name,
      organisationId: es.id,
      reason: 'Left IVACE in November',
      delegateTo: carmen.id,
    });

    // Asked and assigned nothing more here.
    const next = await askGate(p.id);
    expect(approversOf(next).map((a) => a.contactId)).not.toContain(raquel.id);
    const assign = await http('PATCH', v1(`/partnerships/${p.id}/tasks/${MEETING}`), {
      assigneeContactId: raquel.id,
    });
    expect(assign.body.code).toBe('ASSIGNEE_NOT_A_CONTACT');
    const start = new Date(Date.now() + 7 * 86_400_000);
    start.setUTCHours(8, 0, 0, 0);
    const invite = await http('POST', v1(`/partnerships/${p.id}/calendar-events`), {
      kind: 'meeting',
      title: 'Next steps',
      onlineUrl: 'https://meet.example/next-steps',
      start: start.toISOString(),
      end: new Date(start.getTime() + 3_600_000).toISOString(),
      timeZone: 'Europe/Madrid',
      contactIds: [raquel.id, carmen.id],
    });
    expect([invite.status, invite.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(invite.body.errors).toEqual([
      {
        field: 'contactIds',
        messages: [
          `${raquel.id} does not take part in this partnership (deactivated, or not added here)`,
        ],
      },
    ]);
    const again = await deactivate(raquel.id, { reason: 'Again' });
    expect([again.status, again.body.code]).toEqual([409, 'CONTACT_INACTIVE']);

    // Back again: active, assignable; what she handed over stays with Carmen.
    const reactivate = () =>
      http('POST', v1(`/partnerships/${p.id}/contacts/${raquel.id}/reactivate`), {
        comment: 'Back from leave',
      });
    const back = await reactivate();
    expect(back.status).toBe(200);
    expect(contactNamed(back.body, raquel.name).active).toBe(true);
    expect(taskOf(back.body, MEETING).assigneeContactId).toBe(carmen.id);
    const [reactivated] = await timeline(p.id, ['contact.reactivated']);
    expect(reactivated.payload).toEqual({
      contactId: raquel.id,
      contactName: raquel.name,
      organisationId: es.id,
      comment: 'Back from leave',
    });
    const twice = await reactivate();
    expect([twice.status, twice.body.code]).toEqual([409, 'NOTHING_TO_CHANGE']);
    expect(
      (
        await http('PATCH', v1(`/partnerships/${p.id}/tasks/${MEETING}`), {
          assigneeContactId: raquel.id,
        })
      ).status,
    ).toBe(200);
  });

  it('lists a contact added through another partnership of the organisation as not taking part until taken here, and never asks them', async () => {
    // Bea coordinates A only; B shares A's Chinese partner and is not hers.
    const suffix = randomUUID().slice(0, 8);
    const password = `a long passphrase ${suffix}`;
    const bea = await http('POST', v1('/users'), {
      email: `bea-${suffix}@iurc.example`,
      name: 'Bea',
      role: 'coordinator',
      password,
    });
    expect(bea.status).toBe(201);
    const a = await create(foundingCaseRequest(suffix));
    const shared = byCountry(a, 'CN');
    const other = foundingCaseRequest();
    other.organisations[1] = { id: shared.id };
    const b = await create(other);
    expect(
      (
        await http('PUT', v1(`/partnerships/${a.id}/members/${bea.body.id}`), {
          role: 'coordinator',
        })
      ).status,
    ).toBe(200);
    const token = (await login(api.url, `bea-${suffix}@iurc.example`, password)).body.accessToken;
    const added = await http(
      'POST',
      v1(`/partnerships/${a.id}/organisations/${shared.id}/contacts`),
      {
        name: 'Zhao Min',
        email: `zhao+${suffix}@eiri.example`,
        language: 'zh',
        timeZone: 'Asia/Shanghai',
      },
      {},
      { token },
    );
    expect(added.status).toBe(200);
    const zhao = contactNamed(added.body, 'Zhao Min');
    expect(zhao.active).toBe(true);

    // B lists Zhao (the organisation's contact) as not taking part: not asked, not assignable.
    const inB = (await http('GET', v1(`/partnerships/${b.id}`))).body;
    expect(contactNamed(inB, 'Zhao Min').active).toBe(false);
    expect(await timeline(b.id, ['contact.added'])).toEqual([]);
    const gate = await askGate(b.id);
    expect(approversOf(gate).map((x) => x.contactId)).not.toContain(zhao.id);
    const assign = await http('PATCH', v1(`/partnerships/${b.id}/tasks/${MEETING}`), {
      assigneeContactId: zhao.id,
    });
    expect(assign.body.code).toBe('ASSIGNEE_NOT_A_CONTACT');
    const again = await http(
      'POST',
      v1(`/partnerships/${b.id}/organisations/${shared.id}/contacts`),
      {
        name: 'Zhao Min',
        email: `zhao+${suffix}@eiri.example`,
        language: 'zh',
        timeZone: 'Asia/Shanghai',
      },
    );
    expect([again.status, again.body.code]).toEqual([409, 'EMAIL_TAKEN']);
    expect(again.body.detail ?? again.body.title).toMatch(/reactivate/);

    // B's coordinator takes them with Reactivate: they take part in B too.
    const taken = await http(
      'POST',
      v1(`/partnerships/${b.id}/contacts/${zhao.id}/reactivate`),
      {},
    );
    expect(taken.status).toBe(200);
    expect(contactNamed(taken.body, 'Zhao Min').active).toBe(true);
    const [addedInB] = await timeline(b.id, ['contact.added']);
    expect(addedInB.payload).toMatchObject({ contactId: zhao.id, organisationId: shared.id });
    expect(
      (
        await http('PATCH', v1(`/partnerships/${b.id}/tasks/${MEETING}`), {
          assigneeContactId: zhao.id,
        })
      ).status,
    ).toBe(200);
  });

  it('releases a pending request to the colleague it asks already when a contact stops, without naming anyone', async () => {
    const suffix = randomUUID().slice(0, 8);
    const request = foundingCaseRequest(suffix);
    request.organisations[0].contacts.push({
      name: 'Marta Colleague',
      email: `marta+${suffix}@ivace.example`,
      language: 'es',
      timeZone: 'Europe/Madrid',
    });
    const p = await create(request);
    const raquel = byCountry(p, 'ES').contacts.find((c: Json) => c.name !== 'Marta Colleague');
    const marta = contactNamed(p, 'Marta Colleague');
    // The default gate request asks every contact: Raquel and Marta for Valencia.
    const gate = await askGate(p.id);
    expect(approversOf(gate).map((a) => a.contactId)).toEqual(
      expect.arrayContaining([raquel.id, marta.id]),
    );
    const res = await http('POST', v1(`/partnerships/${p.id}/contacts/${raquel.id}/deactivate`), {
      reason: 'On leave until March',
    });
    expect(res.status).toBe(200);
    const approval = (await http('GET', v1(`/approvals/${gate.id}`))).body;
    expect(approval.status).toBe('pending');
    expect(approval.awaiting).not.toContain(raquel.id);
    expect(approval.awaiting).toContain(marta.id);
    const [event] = await timeline(p.id, ['contact.deactivated']);
    expect(event.payload).toMatchObject({ contactId: raquel.id, released: [gate.id] });
    expect(await timeline(p.id, ['approval.delegated'])).toEqual([]);
  });

  it('adds one of three contacts given the same address at once, refuses the others, and writes one row', async () => {
    const suffix = randomUUID().slice(0, 8);
    const p = await create(foundingCaseRequest(suffix));
    const es = byCountry(p, 'ES');
    const email = `pilar+${suffix}@ivace.example`;
    const add = (name: string) =>
      http('POST', v1(`/partnerships/${p.id}/organisations/${es.id}/contacts`), {
        name,
        email,
        language: 'es',
        timeZone: 'Europe/Madrid',
      });
    const answers = await Promise.all([add('Pilar Uno'), add('Pilar Dos'), add('Pilar Tres')]);
    expect(answers.map((r) => [r.status, r.body.code]).sort()).toEqual([
      [200, undefined],
      [409, 'EMAIL_TAKEN'],
      [409, 'EMAIL_TAKEN'],
    ]);
    // One row, and the one the workflow counts.
    const detail = (await http('GET', v1(`/partnerships/${p.id}`))).body;
    const withAddress = byCountry(detail, 'ES').contacts.filter((c: Json) => c.email === email);
    expect(withAddress).toHaveLength(1);
    expect(withAddress[0].active).toBe(true);
    expect(await timeline(p.id, ['contact.added'])).toHaveLength(1);
  });
});
