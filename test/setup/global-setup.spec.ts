import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/ports';
import { taggedProcesses } from '../../scripts/lib/test-stack';

const ROOT = join(__dirname, '..', '..');

/**
 * jest's global setup starts the Temporal dev server and Mailpit before the database; when a
 * later step fails, jest exits without running the teardown. What the setup started must not
 * outlive it.
 */
describe('global setup', () => {
  let pid: number | undefined;
  const ofChild = (): number[] =>
    taggedProcesses()
      .filter(({ run }) => pid !== undefined && run.startsWith(`${pid}-`))
      .map((p) => p.pid);
  afterAll(() => {
    for (const leftover of ofChild()) process.kill(leftover, 'SIGKILL');
  });

  it('that fails halfway leaves no process behind', async () => {
    // Nothing listens there: the setup fails at the database, after Temporal and Mailpit are up.
    const database = `postgres://postgres:postgres@127.0.0.1:${await freePort()}/postgres`;
    const child = spawn(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(join(ROOT, 'test/setup/global-setup.js'))})().then(
          () => console.log('SETUP PASSED'),
          (err) => { console.log('SETUP FAILED: ' + err.message); process.exitCode = 1; })`,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: database },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    pid = child.pid;
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    let sawTemporal = false;
    const watch = setInterval(() => (sawTemporal ||= ofChild().length > 0), 100);
    // A child that started processes and did not stop them cannot exit either (their pipes are
    // open): then the timeout says so.
    const code = await new Promise<number | null>((resolveExit) => {
      const timer = setTimeout(() => resolveExit(-1), 90_000);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolveExit(c);
      });
    });
    clearInterval(watch);
    if (code === -1) child.kill('SIGKILL');
    expect(output).toContain('SETUP FAILED');
    expect(output).toMatch(/ECONNREFUSED/);
    expect(sawTemporal).toBe(true); // it did start something before failing
    expect(code).toBe(1);
    expect(ofChild()).toEqual([]);
  });
});
