import { Pool } from 'pg';
import { Managed } from '../../scripts/lib/processes';
import { foundingCaseRequest } from '../support/fixtures';
import { http, RunningApi, startApi, startWorker, testPool, waitFor } from '../support/stack';
import { holdTable, waitUntilBlocked } from '../support/locks';

/**
 * The worker is killed with SIGKILL (no chance to clean up) around a create; once a worker runs
 * again, the partnership is recorded exactly once.
 */
describe('worker killed during a create (end to end)', () => {
  let api: RunningApi;
  let worker: Managed | undefined;
  let pool: Pool;

  beforeAll(async () => {
    // The API answers 202 at once, so the test controls when the worker dies. A change waits for
    // the new worker to take it (the projection runs in the workflow task, so a killed worker's
    // change is taken again only by the next one): longer than the default deadline.
    api = await startApi({
      API_CREATE_WAIT_MS: '0',
      TEMPORAL_CALL_TIMEOUT_MS: '60000',
      TEMPORAL_UPDATE_TIMEOUT_MS: '90000',
    });
    pool = testPool();
  });

  afterAll(async () => {
    await Promise.all([api?.process.stop(), worker?.stop()]);
    await pool?.end();
  });

  const recordedOnce = async (id: string, request: Record<string, any>): Promise<void> => {
    await waitFor(
      async () =>
        (await pool.query('SELECT 1 FROM partnerships WHERE id = $1', [id])).rowCount === 1,
      { timeoutMs: 60_000, what: 'the partnership row' },
    );
    const rows = await pool.query(
      `SELECT (SELECT count(*) FROM partnerships WHERE id = $1)::int AS partnerships,
              (SELECT count(*) FROM partnership_events WHERE partnership_id = $1)::int AS events,
              (SELECT count(*) FROM organisations WHERE name = ANY($2))::int AS organisations,
              (SELECT count(*) FROM contacts WHERE email = ANY($3))::int AS contacts`,
      [
        id,
        request.organisations.map((o: { name: string }) => o.name),
        request.organisations.flatMap((o: { contacts: { email: string }[] }) =>
          o.contacts.map((c) => c.email),
        ),
      ],
    );
    expect(rows.rows[0]).toEqual({ partnerships: 1, events: 1, organisations: 2, contacts: 2 });
    const created = await http('GET', `${api.url}/api/v1/partnerships/${id}`);
    expect(created.body).toMatchObject({ id, stage: 'introduction', recorded: true });
  };

  it('records the partnership once when the worker dies as the recording starts, before it has written anything', async () => {
    worker = await startWorker();
    const request = foundingCaseRequest();
    // Hold the first insert of the recording transaction: the worker has taken the activity and
    // written nothing when it is killed.
    const blocker = await holdTable(pool, 'organisations');
    let id: string;
    try {
      const res = await http('POST', `${api.url}/api/v1/partnerships`, request, {
        'idempotency-key': `kill-${Date.now()}`,
      });
      expect(res.status).toBe(202);
      id = res.body.id;
      await waitUntilBlocked(pool, blocker, 'INSERT INTO organisations', 'the recording to start');
      worker.child.kill('SIGKILL');
      await worker.exited;
    } finally {
      await blocker.release();
    }
    expect((await pool.query('SELECT 1 FROM partnerships WHERE id = $1', [id])).rowCount).toBe(0);
    worker = await startWorker();
    await recordedOnce(id, request);
    await worker.stop();
  });

  it('records the partnership once when the worker dies in the middle of the recording transaction', async () => {
    // The only worker: the activity must be retried by a new one after the start-to-close timeout.
    worker = await startWorker();
    let id: string;
    const request = foundingCaseRequest();
    // Hold the insert into partnerships: the worker's transaction has written organisations
    // and contacts and is waiting on this lock when it is killed.
    const blocker = await holdTable(pool, 'partnerships');
    try {
      const res = await http('POST', `${api.url}/api/v1/partnerships`, request);
      expect(res.status).toBe(202);
      id = res.body.id;
      await waitUntilBlocked(
        pool,
        blocker,
        'INSERT INTO partnerships',
        'the worker to block inside its transaction',
      );
      worker.child.kill('SIGKILL');
      await worker.exited;
    } finally {
      await blocker.release();
    }
    worker = await startWorker();
    await recordedOnce(id!, request);
    await worker.stop();
  });

  it('completes a stage change once, with no timeline gap or duplicate, when the worker dies in the middle', async () => {
    // The only worker: the projection must be retried by a new one after the start-to-close timeout.
    worker = await startWorker();
    const created = await http('POST', `${api.url}/api/v1/partnerships`, foundingCaseRequest());
    const id: string = created.body.id;
    await waitFor(
      async () =>
        (await pool.query('SELECT 1 FROM partnerships WHERE id = $1', [id])).rowCount === 1,
      { what: 'the partnership row' },
    );
    for (const task of ['introductory_meeting', 'organisation_profiles', 'ongoing_projects']) {
      const res = await http(
        'POST',
        `${api.url}/api/v1/partnerships/${id}/tasks/introduction.${task}/complete`,
        {},
      );
      expect(res.status).toBe(200);
    }
    let advance: Promise<{ status: number; body: any }>;
    // The projection of the advance blocks on this lock; the worker is killed while it waits.
    const blocker = await holdTable(pool, 'partnerships');
    try {
      advance = http('POST', `${api.url}/api/v1/partnerships/${id}/advance`, {
        comment: 'on to exploration',
      });
      await waitUntilBlocked(
        pool,
        blocker,
        '%UPDATE partnerships',
        'the projection to block inside its transaction',
      );
      worker.child.kill('SIGKILL');
      await worker.exited;
    } finally {
      await blocker.release();
    }
    worker = await startWorker();
    // The coordinator's request itself completes once the new worker has retried the projection.
    const res = await advance!;
    expect(res.status).toBe(200);
    expect(res.body.stage).toBe('area_exploration');
    const rows = (
      await pool.query(
        'SELECT sequence, type FROM partnership_events WHERE partnership_id = $1 ORDER BY sequence',
        [id],
      )
    ).rows as { sequence: number; type: string }[];
    expect(rows.map((r) => r.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.filter((r) => r.type === 'stage.advanced')).toHaveLength(1);
    const row = await pool.query('SELECT stage, last_sequence FROM partnerships WHERE id = $1', [
      id,
    ]);
    expect(row.rows[0]).toEqual({ stage: 'area_exploration', last_sequence: 5 });
  });
});
