/**
 * `npm test`: every jest file, split over as many jest processes as the machine has cores (at most
 * TEST_SHARDS, default 2). Each process is a whole test run of its own — its global setup starts
 * its own Temporal dev server, Mailpit and database (test/setup) — and runs its files one after
 * another, so no file shares a task queue, a mailbox or a table with another running at the same
 * time. The e2e files spend much of their time waiting on timers and other processes, so two runs
 * side by side take little more than half the time of one.
 *
 * What the processes would otherwise race for is made once before them: the Temporal CLI, the
 * time-skipping test server and schemathesis are installed, and without DATABASE_URL one embedded
 * PostgreSQL is started for all of them (each still creates its own database on it).
 *
 * With arguments (`npm test -- test/e2e/auth.e2e.spec.ts`, `-t name`), one jest process runs in
 * band with them, as before.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { DATA_DIR } from './lib/database-url';
import { freePort } from './lib/ports';
import { startEmbeddedPostgres, type RunningPostgres } from './lib/postgres';
import { ensureSchemathesis } from './lib/schemathesis';
import { findTemporalCli } from './lib/temporal';
import { ensureTimeSkippingServer } from './lib/time-skipping';

const ROOT = join(__dirname, '..', '..');
const JEST = require.resolve('jest/bin/jest');
/** Seconds each file took in earlier runs on this machine (the split's weights; see below). */
const DURATIONS = join(homedir(), '.cache', 'entente', 'test-durations.json');

const log = (line: string): void => console.log(`[test] ${line}`);

/**
 * A first guess at a file's seconds when no earlier run timed it: what its kind costs to set up
 * (an e2e file starts an API and a worker, a browser file Chromium too), plus its size.
 */
export function estimateSeconds(path: string, bytes: number): number {
  const kb = bytes / 1000;
  if (path.startsWith('test/fuzz/')) return 300;
  if (path.startsWith('test/browser/')) return 25 + kb;
  if (path.startsWith('test/e2e/')) return 12 + 1.5 * kb;
  if (path.startsWith('test/workflows/')) return 10 + 2 * kb;
  if (path.startsWith('test/integration/') || path.startsWith('test/setup/')) return 6 + kb / 2;
  return 1 + kb / 4;
}

/**
 * Files into `n` lists of about equal total weight: heaviest first, each to the lightest list so
 * far (longest-processing-time first, within 4/3 of the best split).
 */
export function split<T>(items: T[], weight: (item: T) => number, n: number): T[][] {
  const lists = Array.from({ length: n }, () => ({ items: [] as T[], total: 0 }));
  const sorted = [...items].sort((a, b) => weight(b) - weight(a));
  for (const item of sorted) {
    const lightest = lists.reduce((min, l) => (l.total < min.total ? l : min));
    lightest.items.push(item);
    lightest.total += weight(item);
  }
  return lists.map((l) => l.items);
}

/** `PASS test/e2e/x.e2e.spec.ts (12.3 s)` lines (jest prints a time for files over a few seconds). */
export function timesIn(output: string): Record<string, number> {
  const times: Record<string, number> = {};
  for (const m of output.matchAll(/^(?:PASS|FAIL) (\S+\.spec\.ts) \((\d+(?:\.\d+)?) s\)/gm)) {
    times[m[1]] = Number(m[2]);
  }
  return times;
}

function readDurations(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(DURATIONS, 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

function jestInBand(args: string[]): never {
  const res = spawnSync(process.execPath, [JEST, '--runInBand', ...args], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  process.exit(res.status ?? 1);
}

/** Runs one jest process over `files`, its output lines prefixed, all of it kept for the times. */
function runShard(
  label: string,
  files: string[],
  env: NodeJS.ProcessEnv,
  children: ChildProcess[],
): Promise<{ code: number; output: string; seconds: number }> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [JEST, '--runInBand', '--runTestsByPath', ...files.map((f) => join(ROOT, f))],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let output = '';
  const relay = (stream: NodeJS.WriteStream) => {
    let partial = '';
    return (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        output += `${line}\n`;
        stream.write(`[${label}] ${line}\n`);
      }
    };
  };
  child.stdout!.on('data', relay(process.stdout));
  child.stderr!.on('data', relay(process.stderr));
  return new Promise((resolve) =>
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? (signal ? 1 : 0),
        output,
        seconds: Math.round((Date.now() - started) / 1000),
      }),
    ),
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const shards = Number(process.env.TEST_SHARDS ?? Math.min(2, cpus().length));
  if (!Number.isInteger(shards) || shards < 1) {
    throw new Error(`TEST_SHARDS must be a whole number of at least 1, not ${shards}`);
  }
  if (args.length > 0 || shards === 1) jestInBand(args);

  // What two global setups at once would both install, or both start in .data/test-postgres.
  if (!(await findTemporalCli(log))) {
    throw new Error('no temporal CLI found and Go is not installed; see docs/setup.md');
  }
  // A failed install is reported again by each run's global setup, to the tests that need it.
  await ensureTimeSkippingServer(log).catch((err: unknown) => log(String(err)));
  await ensureSchemathesis(log).catch((err: unknown) => log(String(err)));
  let pg: RunningPostgres | undefined;
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (!env.DATABASE_URL) {
    // Read by the test stack only (scripts/lib/test-stack.ts): what sees DATABASE_URL unset
    // (npm start, the scripts under test) still does.
    pg = await startEmbeddedPostgres({
      dataDir: join(DATA_DIR, 'test-postgres'),
      port: await freePort(),
      database: 'postgres',
      persistent: false,
      log,
    });
    env.TEST_POSTGRES_SERVER_URL = pg.url;
  }
  const children: ChildProcess[] = [];
  const stopAll = (signal: NodeJS.Signals) => {
    for (const child of children) child.kill(signal);
  };
  process.on('SIGINT', () => stopAll('SIGINT'));
  process.on('SIGTERM', () => stopAll('SIGTERM'));

  try {
    const listed = spawnSync(process.execPath, [JEST, '--listTests', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (listed.status !== 0) throw new Error(`jest --listTests failed:\n${listed.stderr}`);
    const files = (JSON.parse(listed.stdout) as string[]).map((f) => relative(ROOT, f)).sort();
    const known = readDurations();
    const weight = (f: string): number => known[f] ?? estimateSeconds(f, statSync(f).size);
    const lists = split(files, weight, shards).filter((l) => l.length > 0);
    lists.forEach((l, i) =>
      log(
        `run ${i + 1}/${lists.length}: ${l.length} files, ~${Math.round(l.reduce((s, f) => s + weight(f), 0))} s`,
      ),
    );
    const results = await Promise.all(
      lists.map((l, i) => runShard(`${i + 1}/${lists.length}`, l, env, children)),
    );
    // Times for the next split on this machine (only what jest printed; the rest keep a guess).
    const times = Object.assign(known, ...results.map((r) => timesIn(r.output)));
    mkdirSync(dirname(DURATIONS), { recursive: true });
    writeFileSync(DURATIONS, `${JSON.stringify(times, null, 2)}\n`);
    results.forEach((r, i) =>
      log(`run ${i + 1}/${lists.length}: ${r.code === 0 ? 'passed' : 'FAILED'} in ${r.seconds} s`),
    );
    process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
  } finally {
    await pg?.stop();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
