import { spawn } from 'node:child_process';
import { killSuiteLeftovers } from '../../scripts/lib/test-stack';

function sleeper(suite: string): ReturnType<typeof spawn> {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
    env: { PATH: process.env.PATH, ENTENTE_TEST_SUITE: suite },
    stdio: 'ignore',
  });
}

const exited = (child: ReturnType<typeof spawn>): Promise<NodeJS.Signals | number | null> =>
  new Promise((r) => child.once('exit', (code, signal) => r(signal ?? code)));

/** What test/setup/environment.js does when a test file ends: only that file's processes go. */
describe('killSuiteLeftovers', () => {
  it("kills the processes tagged with the file's path, and only those", async () => {
    const suite = `/tmp/leftovers-${process.pid}.spec.ts`;
    const mine = sleeper(suite);
    const other = sleeper(`${suite}.other`);
    const otherExit = exited(other);
    await new Promise((r) => setTimeout(r, 300)); // their environ is readable once exec'd
    const lines: string[] = [];
    try {
      const killed = killSuiteLeftovers(suite, (l) => lines.push(l));
      expect(killed).toEqual([mine.pid]);
      expect(await exited(mine)).toBe('SIGKILL');
      expect(lines).toEqual([`killed process ${mine.pid}, left running by ${suite}`]);
      expect(other.exitCode).toBeNull();
    } finally {
      mine.kill('SIGKILL');
      other.kill('SIGKILL');
      await otherExit;
    }
  });
});
