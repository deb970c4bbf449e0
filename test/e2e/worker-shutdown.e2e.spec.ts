import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { Pool } from 'pg';
import { spawnManaged } from '../../scripts/lib/processes';
import { foundingCaseRequest } from '../support/fixtures';
import { holdTable, waitUntilBlocked } from '../support/locks';
import {
  appEnv,
  http,
  requireEnv,
  RunningApi,
  startApi,
  startWorker,
  testPool,
  waitFor,
} from '../support/stack';

const WORKER_MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'worker', 'src', 'main.js');

/**
 * SIGTERM/SIGINT drain in-flight work and exit cleanly; a second signal exits at once; a signal
 * while the worker is being created stops it cleanly. None throws.
 */
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
    const blocker = await holdTable(pool, 'partnerships');
    let id: string;
    try {
      id = (await http('POST', `${api.url}/api/v1/partnerships`, foundingCaseRequest())).body.id;
      await waitUntilBlocked(pool, blocker, 'INSERT INTO partnerships', 'the recording in flight');
      worker.child.kill('SIGTERM');
      await waitFor(() => output.some((l) => l.includes('draining in-flight tasks')), {
        what: 'the drain',
      });
    } finally {
      await blocker.release(); // the in-flight transaction can now finish
    }
    expect(await worker.exited).toBe(0);
    expect((await pool.query('SELECT 1 FROM partnerships WHERE id = $1', [id!])).rowCount).toBe(1);
    expect(output.join('\n')).not.toMatch(/IllegalStateError|Unhandled/);
  });

  it('exits at once with 130 on a second signal while it drains, without IllegalStateError', async () => {
    // main.ts answers the second signal itself (process.exit(130)): the runner's shutdown() is
    // not called twice, so this case tests the exit, not the runner's guard (tested below).
    const output: string[] = [];
    const worker = await startWorker({ WORKER_SHUTDOWN_GRACE_MS: '60000' }, output);
    // An in-flight recording held on a lock: the drain cannot finish by itself.
    const blocker = await holdTable(pool, 'partnerships');
    try {
      const res = await http('POST', `${api.url}/api/v1/partnerships`, foundingCaseRequest());
      expect(res.status).toBe(202);
      await waitUntilBlocked(pool, blocker, 'INSERT INTO partnerships', 'the recording in flight');
      worker.child.kill('SIGTERM');
      await waitFor(() => output.some((l) => l.includes('draining in-flight tasks')), {
        what: 'the drain',
      });
      worker.child.kill('SIGINT');
      expect(await worker.exited).toBe(130);
    } finally {
      await blocker.release();
    }
    expect(output.join('\n')).toContain('SIGINT again: exiting without draining');
    expect(output.join('\n')).not.toMatch(/IllegalStateError|Unhandled/);
  });

  it("exits 0 when the signal comes while the worker is being created, before it runs (the runner's guard)", async () => {
    // A proxy in front of Temporal that holds the worker's connection: the worker is inside
    // runner.run(), connecting, with no Worker yet, when the signal arrives.
    const [host, port] = requireEnv('TEST_TEMPORAL_ADDRESS').split(':');
    let open!: () => void;
    const opened = new Promise<void>((resolveOpen) => (open = resolveOpen));
    let connections = 0;
    const sockets = new Set<Socket>();
    const proxy: Server = createServer((socket) => {
      connections += 1;
      sockets.add(socket);
      socket.pause();
      void opened.then(() => {
        const upstream = connect(Number(port), host);
        sockets.add(upstream);
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
        socket.pipe(upstream).pipe(socket);
        socket.resume();
      });
    });
    await new Promise<void>((resolveListen) => proxy.listen(0, '127.0.0.1', resolveListen));
    const proxyPort = (proxy.address() as AddressInfo).port;
    const output: string[] = [];
    const worker = spawnManaged('worker', process.execPath, [WORKER_MAIN], {
      env: appEnv({ LOG_LEVEL: 'log', TEMPORAL_ADDRESS: `127.0.0.1:${proxyPort}` }),
      quiet: !process.env.TEST_VERBOSE,
      onLine: (line) => output.push(line),
    });
    try {
      await waitFor(() => connections > 0 || worker.child.exitCode !== null, {
        what: 'the worker to connect to Temporal',
      });
      expect(worker.child.exitCode).toBeNull();
      worker.child.kill('SIGTERM');
      await waitFor(() => output.some((l) => l.includes('SIGTERM: shutting down')), {
        what: 'the signal to be handled',
      });
      open(); // the connection completes; Worker.create finishes after the signal
      const exited = await Promise.race([
        worker.exited,
        new Promise<string>((r) => setTimeout(() => r('still running after 60 s'), 60_000)),
      ]);
      expect(exited).toBe(0);
    } finally {
      open();
      await worker.stop(5_000);
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => proxy.close(r));
    }
    const log = output.join('\n');
    expect(log).toContain('stopped');
    expect(log).not.toContain('polling task queue');
    expect(log).not.toMatch(/IllegalStateError|Unhandled/);
  });
});
