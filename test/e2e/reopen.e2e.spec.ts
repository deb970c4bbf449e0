import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { foundingCaseRequest } from '../support/fixtures';
import { waitUntilQuiet } from '../support/state-snapshot';
import { http, login, RunningApi, TEST_ADMIN_EMAIL } from '../support/stack';
import { usePlatform } from '../support/use-platform';

type Json = Record<string, any>;

/**
 * Reopening a closed partnership, everything real: an admin reopens it, it is active again in
 * the stage it was closed in with its tasks as they were, one timeline event names the admin and
 * the reason, and follow-ups are planned again; a coordinator may not; a partnership that is not
 * closed is refused with a code and nothing changes; two reopens at once record one.
 */
describe('reopening a closed partnership (end to end)', () => {
  let api: RunningApi;
  let pool: Pool;
  let client: Client;

  usePlatform((platform) => ({ api, pool, client } = platform));

  const v1 = (path: string): string => `${api.url}/api/v1${path}`;

  async function create(token?: string): Promise<Json> {
    const created = await http('POST', v1('/partnerships'), foundingCaseRequest(), {}, { token });
    expect(created.status).toBe(201);
    return created.body;
  }
  async function closed(token?: string): Promise<Json> {
    const p = await create(token);
    // Into area exploration first, so "the stage it was closed in" is not the first one.
    for (const { taskId } of p.gate.blockers as { taskId: string }[]) {
      const done = await http('POST', v1(`/partnerships/${p.id}/tasks/${taskId}/complete`), {});
      expect(done.status).toBe(200);
    }
    expect((await http('POST', v1(`/partnerships/${p.id}/advance`), {})).status).toBe(200);
    const res = await http('POST', v1(`/partnerships/${p.id}/close`), { reason: 'No funding' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'closed', stage: 'area_exploration' });
    return res.body;
  }
  async function reopened(id: string): Promise<Json[]> {
    const res = await http('GET', v1(`/partnerships/${id}/timeline?pageSize=100`));
    return (res.body.items as Json[]).filter((e) => e.type === 'partnership.reopened');
  }
  /** Everything a refused reopen must leave as it was. */
  async function everything(id: string): Promise<unknown> {
    await waitUntilQuiet(pool, client, [id]);
    const [row, tasks, events] = await Promise.all([
      pool.query('SELECT stage, status, last_sequence FROM partnerships WHERE id = $1', [id]),
      pool.query(
        'SELECT id, status, updated_sequence FROM partnership_tasks WHERE partnership_id = $1 ORDER BY id',
        [id],
      ),
      pool.query('SELECT count(*)::int AS n FROM partnership_events WHERE partnership_id = $1', [
        id,
      ]),
    ]);
    const description = await client.workflow.getHandle(`partnership-${id}`).describe();
    return {
      row: row.rows,
      tasks: tasks.rows,
      events: events.rows,
      runId: description.runId,
      status: description.status.name,
    };
  }
  async function coordinatorToken(): Promise<string> {
    const email = `reopen-${randomUUID().slice(0, 8)}@example.test`;
    const password = `pw-${randomUUID()}`;
    const created = await http('POST', v1('/users'), {
      email,
      name: 'Reopen coordinator',
      role: 'coordinator',
      password,
    });
    expect(created.status).toBe(201);
    const session = await login(api.url, email, password);
    expect(session.status).toBe(200);
    return session.body.accessToken as string;
  }

  it('an admin reopens a closed partnership: active at its stage, tasks as they were, one event', async () => {
    const before = await closed();
    const id = before.id as string;
    await waitUntilQuiet(pool, client, [id]);
    expect((await client.workflow.getHandle(`partnership-${id}`).describe()).status.name).toBe(
      'COMPLETED',
    );

    const res = await http('POST', v1(`/partnerships/${id}/reopen`), {
      reason: '  Funding renewed  ',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'active', stage: 'area_exploration' });
    expect(res.body.tasksByStage).toEqual(before.tasksByStage);

    const events = await reopened(id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { kind: 'user', email: TEST_ADMIN_EMAIL },
      payload: { stage: 'area_exploration', reason: 'Funding renewed' },
    });
    const row = await pool.query('SELECT stage, status FROM partnerships WHERE id = $1', [id]);
    expect(row.rows).toEqual([{ stage: 'area_exploration', status: 'active' }]);
    // A live run again: follow-ups are planned, and the coordinator acts on it.
    const followUps = await http('GET', v1(`/partnerships/${id}/follow-ups`));
    expect(followUps.status).toBe(200);
    expect(followUps.body.enabled).toBe(true);
    const task = await http('POST', v1(`/partnerships/${id}/tasks`), { title: 'After reopening' });
    expect(task.status).toBe(201);

    // Reopening it again is refused: it is not closed.
    const snapshot = await everything(id);
    const again = await http('POST', v1(`/partnerships/${id}/reopen`), { reason: 'Twice' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.body.code).toBe('PARTNERSHIP_NOT_CLOSED');
    expect(await everything(id)).toEqual(snapshot);
  });

  it('refuses a coordinator (403), a missing reason (400) and a running partnership (409), changing nothing', async () => {
    const coordinator = await coordinatorToken();
    const p = await create(coordinator);
    const running = await everything(p.id);
    const notClosed = await http('POST', v1(`/partnerships/${p.id}/reopen`), { reason: 'Why' });
    expect(notClosed.status).toBe(409);
    expect(notClosed.body.code).toBe('PARTNERSHIP_NOT_CLOSED');
    expect(await everything(p.id)).toEqual(running);

    const close = await http(
      'POST',
      v1(`/partnerships/${p.id}/close`),
      { reason: 'Ended' },
      {},
      { token: coordinator },
    );
    expect(close.status).toBe(200);
    const snapshot = await everything(p.id);
    const byCoordinator = await http(
      'POST',
      v1(`/partnerships/${p.id}/reopen`),
      { reason: 'Please' },
      {},
      { token: coordinator },
    );
    expect(byCoordinator.status).toBe(403);
    expect(byCoordinator.body.code).toBe('FORBIDDEN');
    for (const body of [{}, { reason: '   ' }]) {
      const invalid = await http('POST', v1(`/partnerships/${p.id}/reopen`), body);
      expect(invalid.status).toBe(400);
      expect(invalid.body.code).toBe('VALIDATION_FAILED');
    }
    expect(await everything(p.id)).toEqual(snapshot);
    expect(await reopened(p.id)).toEqual([]);
  });

  it('two reopens at once record one event; a retry with the same Idempotency-Key answers the same', async () => {
    const { id } = await closed();
    await waitUntilQuiet(pool, client, [id]);
    const [a, b] = await Promise.all([
      http('POST', v1(`/partnerships/${id}/reopen`), { reason: 'First' }),
      http('POST', v1(`/partnerships/${id}/reopen`), { reason: 'Second' }),
    ]);
    const [done, refused] = a.status === 200 ? [a, b] : [b, a];
    expect(done.status).toBe(200);
    // The other is refused at once (it reads the closing run's own result, never waiting on
    // the run the first one started).
    expect([refused.status, refused.body.code]).toEqual([409, 'PARTNERSHIP_NOT_CLOSED']);
    expect(await reopened(id)).toHaveLength(1);

    const other = (await closed()).id as string;
    await waitUntilQuiet(pool, client, [other]);
    const key = { 'idempotency-key': `reopen-${randomUUID()}` };
    const once = () => http('POST', v1(`/partnerships/${other}/reopen`), { reason: 'Once' }, key);
    // Both answer the reopen, the one that found it reopened meanwhile too.
    const [first, retry] = await Promise.all([once(), once()]);
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await reopened(other)).toHaveLength(1);
  });
});
