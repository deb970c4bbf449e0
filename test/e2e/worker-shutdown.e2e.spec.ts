import { Pool, PoolClient } from 'pg';
import { foundingCaseRequest } from '../support/fixtures';
import { http, RunningApi, startApi, startWorker, testPool, waitFor } from '../support/stack';

/** SIGTERM/SIGINT drain in-flight work and exit cleanly; repeated signals never throw. */
describe('worker shutdown', () => {
  let api: RunningApi;
  let pool: Pool;

  beforeAll(async () => {
    api = await startApi({ API_CREATE_WAIT_MS: '0' });
    pool = testPool();
  });

  afterAll(async () => {
    await api?.process.stop();
    await pool?.end();
  });

  it('finishes the in-flight recording before it exits on SIGTERM', async () => {
    const output: string[] = [];
    const worker = await startWorker({ WORKER_SHUTDOWN_GRACE_MS: '20000' }, output);
    const blocker: PoolClient = await pool.connect();
    let id: string;
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE partnerships IN SHARE MODE');
      id = (await http('POST', `${api.url}/api/v1/partnerships`, foundingCaseRequest())).body.id;
      await waitFor(
        async () =>
          (
            await pool.query(
              `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO partnerships%'`,
            )
          ).rowCount === 1,
        { what: 'the recording to be in flight' },
      );
      worker.child.kill('SIGTERM');
      await waitFor(() => output.some((l) => l.includes('draining in-flight tasks')), {
        what: 'the drain',
      });
    } finally {
      await blocker.query('ROLLBACK'); // the in-flight transaction can now finish
      blocker.release();
    }
    expect(await worker.exited).toBe(0);
    expect((await pool.query('SELECT 1 FROM partnerships WHERE id = $1', [id!])).rowCount).toBe(1);
    expect(output.join('\n')).not.toMatch(/IllegalStateError|Unhandled/);
  });

  it('exits without IllegalStateError when signalled twice', async () => {
    const output: string[] = [];
    const worker = await startWorker({}, output);
    worker.child.kill('SIGINT');
    worker.child.kill('SIGTERM');
    const code = await worker.exited;
    expect([0, 130]).toContain(code);
    expect(output.join('\n')).not.toMatch(/IllegalStateError|Unhandled/);
  });
});
