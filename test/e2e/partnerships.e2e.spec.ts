import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { freePort } from '../../scripts/lib/ports';
import { PartnershipSearchAttributes } from '@workflows/partnership/partnership.contract';
import { foundingCaseRequest } from '../support/fixtures';
import {
  http,
  login,
  postIgnoringEarlyClose,
  RunningApi,
  startApi,
  waitFor,
  TEST_ADMIN_EMAIL,
} from '../support/stack';
import { usePlatform } from '../support/use-platform';

/** Everything real: the compiled API and worker processes, Temporal dev server, PostgreSQL. */
describe('partnerships over HTTP (end to end)', () => {
  let api: RunningApi;
  let pool: Pool;
  let client: Client;

  usePlatform((platform) => ({ api, pool, client } = platform));

  /**
   * The rows a create with these requests would write: partnerships by title, organisations by
   * name or id, contacts by e-mail, timeline events of those partnerships. Only the test's own
   * rows, so what other suites' workflows write meanwhile does not count.
   */
  const counts = async (...requests: Record<string, any>[]): Promise<Record<string, number>> => {
    const titles = requests.map((r) => String(r.title));
    const orgs = requests.flatMap((r) => r.organisations as Record<string, any>[]);
    const names = orgs.filter((o) => o.name).map((o) => String(o.name));
    const ids = orgs.filter((o) => o.id).map((o) => String(o.id));
    const emails = orgs.flatMap((o) => (o.contacts ?? []).map((c: { email: string }) => c.email));
    const { rows } = await pool.query(
      `SELECT
      (SELECT count(*) FROM partnerships WHERE title = ANY($1))::int AS partnerships,
      (SELECT count(*) FROM organisations WHERE name = ANY($2) OR id::text = ANY($3))::int AS organisations,
      (SELECT count(*) FROM contacts WHERE email = ANY($4))::int AS contacts,
      (SELECT count(*) FROM partnership_events e JOIN partnerships p ON p.id = e.partnership_id
        WHERE p.title = ANY($1))::int AS events`,
      [titles, names, ids, emails],
    );
    return rows[0] as Record<string, number>;
  };

  /** Partnership workflows of this coordinator (each request has its own e-mail). */
  const workflowsOf = async (coordinatorEmail: string): Promise<number> =>
    (await client.workflow.count(`PartnershipCoordinator = '${coordinatorEmail}'`)).count;

  it('reports the database and Temporal as up on /health', async () => {
    const res = await http('GET', `${api.url}/health`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'up' }, temporal: { status: 'up' } },
    });
  });

  it('creates a partnership: row, timeline event and a workflow with its search attributes', async () => {
    const request = foundingCaseRequest();
    const res = await http('POST', `${api.url}/api/v1/partnerships`, request);
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    expect(res.headers.get('location')).toBe(`/api/v1/partnerships/${id}`);
    expect(res.body).toMatchObject({ stage: 'introduction', status: 'active', recorded: true });

    const got = await http('GET', `${api.url}/api/v1/partnerships/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.stage).toBe('introduction');
    expect(got.body.organisations.map((o: { country: string }) => o.country).sort()).toEqual([
      'CN',
      'ES',
    ]);
    const spanish = got.body.organisations.find((o: { country: string }) => o.country === 'ES');
    expect(spanish.contacts[0]).toMatchObject({ language: 'es', timeZone: 'Europe/Madrid' });

    // PostgreSQL: the projection row and the timeline event, written once.
    const row = await pool.query(
      'SELECT stage, status, title, workflow_id FROM partnerships WHERE id = $1',
      [id],
    );
    expect(row.rows).toEqual([
      {
        stage: 'introduction',
        status: 'active',
        title: request.title,
        workflow_id: `partnership-${id}`,
      },
    ]);
    const events = await pool.query(
      'SELECT sequence, type, actor, payload FROM partnership_events WHERE partnership_id = $1 ORDER BY sequence',
      [id],
    );
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0]).toMatchObject({
      sequence: 1,
      type: 'partnership.created',
      // The signed-in user who created it (the test admin), by id.
      actor: { kind: 'user', id: expect.any(String), email: TEST_ADMIN_EMAIL },
      payload: { title: request.title },
    });

    // Temporal: the workflow as the server sees it, with typed search attributes.
    const description = await client.workflow.getHandle(`partnership-${id}`).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.type).toBe('partnershipWorkflow');
    expect(description.taskQueue).toBe('partnerships');
    expect(description.typedSearchAttributes.get(PartnershipSearchAttributes.stage)).toBe(
      'introduction',
    );
    expect(description.typedSearchAttributes.get(PartnershipSearchAttributes.status)).toBe(
      'active',
    );
    expect(description.typedSearchAttributes.get(PartnershipSearchAttributes.id)).toBe(id);
    const found = await waitFor(
      async () => {
        const ids: string[] = [];
        for await (const w of client.workflow.list({
          query: `PartnershipId = '${id}' AND PartnershipStage = 'introduction'`,
        })) {
          ids.push(w.workflowId);
        }
        return ids.length > 0 ? ids : undefined;
      },
      { what: 'visibility to list the workflow' },
    );
    expect(found).toEqual([`partnership-${id}`]);
    // The query the "starts nothing" checks below rely on finds a workflow that was started.
    await waitFor(async () => (await workflowsOf(request.coordinator.email)) === 1, {
      what: 'visibility to count the workflow by its coordinator',
    });
  });

  it('returns the first result for a repeated Idempotency-Key and starts nothing new', async () => {
    const request = foundingCaseRequest();
    const key = `create-${Date.now()}`;
    const first = await http('POST', `${api.url}/api/v1/partnerships`, request, {
      'idempotency-key': key,
    });
    expect(first.status).toBe(201);
    const otherRequest = { ...request, title: `Another title ${randomUUID()}` };
    const before = await counts(request, otherRequest);
    expect(before).toMatchObject({ partnerships: 1, organisations: 2, contacts: 2 });
    const second = await http('POST', `${api.url}/api/v1/partnerships`, request, {
      'idempotency-key': key,
    });
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await counts(request, otherRequest)).toEqual(before);
    const runs = await client.workflow.count(`WorkflowId = 'partnership-${first.body.id}'`);
    expect(runs.count).toBe(1);

    const other = await http('POST', `${api.url}/api/v1/partnerships`, otherRequest, {
      'idempotency-key': key,
    });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await counts(request, otherRequest)).toEqual(before);
  });

  it('adds the creator only when the call starts the partnership: a replayed key re-adds no removed creator', async () => {
    const email = `creator-${Date.now()}@iurc.example`;
    const password = 'a long creator passphrase';
    const created = await http('POST', `${api.url}/api/v1/users`, {
      email,
      name: 'Creator',
      role: 'coordinator',
      password,
    });
    expect(created.status).toBe(201);
    const creatorId = created.body.id as string;
    const token = (await login(api.url, email, password)).body.accessToken as string;
    const asCreator = { token };
    const request = foundingCaseRequest();
    const key = `creator-${Date.now()}`;
    const first = await http(
      'POST',
      `${api.url}/api/v1/partnerships`,
      request,
      { 'idempotency-key': key },
      asCreator,
    );
    expect(first.status).toBe(201);
    const id = first.body.id as string;
    const membership = async (): Promise<unknown[]> =>
      (
        await pool.query(
          'SELECT role FROM partnership_members WHERE partnership_id = $1 AND user_id = $2',
          [id, creatorId],
        )
      ).rows;
    expect(await membership()).toEqual([{ role: 'coordinator' }]);
    // The creator's own retry while still a member: the first result.
    const retried = await http(
      'POST',
      `${api.url}/api/v1/partnerships`,
      request,
      { 'idempotency-key': key },
      asCreator,
    );
    expect(retried.status).toBe(201);
    expect(retried.body.id).toBe(id);

    // An admin removes the creator; replaying the old key, with the same or another body, brings
    // nothing back and shows nothing: the partnership is as unknown to them as any other.
    const removed = await http(
      'DELETE',
      `${api.url}/api/v1/partnerships/${id}/members/${creatorId}`,
    );
    expect(removed.status).toBe(204);
    for (const body of [request, { ...request, title: 'Another title' }]) {
      const replay = await http(
        'POST',
        `${api.url}/api/v1/partnerships`,
        body,
        { 'idempotency-key': key },
        asCreator,
      );
      expect(replay.status).toBe(404);
      expect(replay.body.code).toBe('PARTNERSHIP_NOT_FOUND');
      expect(await membership()).toEqual([]);
    }

    // Nor after the partnership has ended (its workflow closed).
    const closed = await http('POST', `${api.url}/api/v1/partnerships/${id}/close`, {
      reason: 'ended for the test',
    });
    expect(closed.status).toBe(200);
    await waitFor(
      async () =>
        (await client.workflow.getHandle(`partnership-${id}`).describe()).status.name !== 'RUNNING',
      { what: 'the workflow to end' },
    );
    const afterEnd = await http(
      'POST',
      `${api.url}/api/v1/partnerships`,
      request,
      { 'idempotency-key': key },
      asCreator,
    );
    expect(afterEnd.status).toBe(404);
    expect(await membership()).toEqual([]);
  });

  it('links existing organisations by id', async () => {
    const first = await http('POST', `${api.url}/api/v1/partnerships`, foundingCaseRequest());
    const ids = first.body.organisations.map((o: { id: string }) => o.id);
    const second = {
      title: `Second round: training programme ${randomUUID()}`,
      coordinator: { name: 'Ana', email: 'ana@iurc.example' },
      organisations: ids.map((id: string) => ({ id })),
    };
    const before = await counts(second);
    const res = await http('POST', `${api.url}/api/v1/partnerships`, second);
    expect(res.status).toBe(201);
    expect(res.body.organisations.map((o: { id: string }) => o.id).sort()).toEqual([...ids].sort());
    const after = await counts(second);
    expect(after.organisations).toBe(before.organisations);
    expect(after.partnerships).toBe(before.partnerships + 1);
  });

  it('answers 400 problem+json naming each bad field, and writes nothing', async () => {
    const suffix = randomUUID().slice(0, 8);
    const bad = foundingCaseRequest(suffix);
    const oneTitle = `Only one partner ${suffix}`;
    const oneRequest = {
      title: oneTitle,
      coordinator: { name: 'A', email: `a+${suffix}@b.example` },
      organisations: [{ name: `Solo ${suffix}`, country: 'ES', kind: 'agency' }],
    };
    const before = await counts(bad, oneRequest);
    expect(before).toEqual({ partnerships: 0, organisations: 0, contacts: 0, events: 0 });
    bad.title = '';
    bad.coordinator.email = `not-an-email-${suffix}`;
    bad.organisations[0].country = 'Spain';
    bad.organisations[1].contacts[0].language = 'fr';
    bad.organisations[1].contacts[0].timeZone = 'Mars/Olympus';
    bad.unexpected = true;
    const res = await http('POST', `${api.url}/api/v1/partnerships`, bad);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      title: 'Bad Request',
    });
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(
      [
        'coordinator.email',
        'organisations[0].country',
        'organisations[1].contacts[0].language',
        'organisations[1].contacts[0].timeZone',
        'title',
        'unexpected',
      ].sort(),
    );
    const one = await http('POST', `${api.url}/api/v1/partnerships`, oneRequest);
    expect(one.status).toBe(400);
    expect(one.body.errors).toEqual([
      {
        field: 'organisations',
        messages: ['organisations must name at least two partner organisations'],
      },
    ]);
    // Nothing of either request, in PostgreSQL or Temporal.
    expect(await counts(bad, oneRequest)).toEqual(before);
    expect(await workflowsOf(bad.coordinator.email)).toBe(0);
    expect(await workflowsOf(oneRequest.coordinator.email)).toBe(0);
  });

  it('answers 404 for an unknown organisation id and writes nothing', async () => {
    const suffix = randomUUID().slice(0, 8);
    const ghost = {
      title: `Ghost partner ${suffix}`,
      coordinator: { name: 'A', email: `a+${suffix}@b.example` },
      organisations: [
        { id: '11111111-1111-4111-8111-111111111111' },
        { name: `Real ${suffix}`, country: 'ES', kind: 'agency' },
      ],
    };
    const before = await counts(ghost);
    expect(before).toEqual({ partnerships: 0, organisations: 0, contacts: 0, events: 0 });
    const res = await http('POST', `${api.url}/api/v1/partnerships`, ghost);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      code: 'ORGANISATION_NOT_FOUND',
      missing: ['11111111-1111-4111-8111-111111111111'],
    });
    expect(await counts(ghost)).toEqual(before);
    expect(await workflowsOf(ghost.coordinator.email)).toBe(0);
  });

  it('answers 404 problem+json for an unknown partnership or route', async () => {
    const unknown = await http(
      'GET',
      `${api.url}/api/v1/partnerships/2b7d8a4e-0000-4000-8000-000000000000`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('PARTNERSHIP_NOT_FOUND');
    const malformed = await http('GET', `${api.url}/api/v1/partnerships/not-a-uuid`);
    expect(malformed.status).toBe(404);
    const route = await http('GET', `${api.url}/api/v1/nothing-here`);
    expect(route.status).toBe(404);
    expect(route.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers 400 for malformed JSON and 413 for an oversized body', async () => {
    const malformed = await http('POST', `${api.url}/api/v1/partnerships`, '{"title": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('VALIDATION_FAILED');
    // A valid create, oversized only by trailing whitespace (still valid JSON): were the limit
    // not applied, it would be recorded.
    const request = foundingCaseRequest();
    const huge = await postIgnoringEarlyClose(
      `${api.url}/api/v1/partnerships`,
      JSON.stringify(request) + ' '.repeat(2 * 1024 * 1024),
    );
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await counts(request)).toEqual({
      partnerships: 0,
      organisations: 0,
      contacts: 0,
      events: 0,
    });
    expect(await workflowsOf(request.coordinator.email)).toBe(0);
  });

  it('serves the OpenAPI document and UI', async () => {
    const doc = await http('GET', `${api.url}/api/docs-json`);
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/health', '/api/v1/partnerships', '/api/v1/partnerships/{id}']),
    );
    const ui = await fetch(`${api.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('reports 503 on /health when Temporal is unreachable', async () => {
    const closedPort = await freePort();
    const orphan = await startApi({ TEMPORAL_ADDRESS: `127.0.0.1:${closedPort}` });
    try {
      const res = await http('GET', `${orphan.url}/health`);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        status: 'error',
        checks: { database: { status: 'up' }, temporal: { status: 'down' } },
      });
    } finally {
      await orphan.process.stop();
    }
  });
});
