import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSource, runMigrationsLocked } from '@libs/db';
import { DATA_DIR } from './database-url';
import { freePort } from './ports';
import {
  adminUrlOf,
  createDatabaseIfMissing,
  dropDatabase,
  startEmbeddedPostgres,
} from './postgres';
import { findTemporalCli, startDevServer } from './temporal';
import { startMailpit } from './mailpit';
import { ensureSchemathesis } from './schemathesis';
import { ensureTimeSkippingServer } from './time-skipping';

/** Live processes whose environment carries `variable` (Linux /proc), with its value. */
export function taggedProcesses(variable = 'ENTENTE_TEST_RUN'): { pid: number; run: string }[] {
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const found: { pid: number; run: string }[] = [];
  for (const pid of entries) {
    try {
      const run = readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .find((v) => v.startsWith(`${variable}=`))
        ?.slice(variable.length + 1);
      // A zombie has an empty environ: it is gone already.
      if (run && Number(pid) !== process.pid) found.push({ pid: Number(pid), run });
    } catch {
      // gone already, or not ours to read
    }
  }
  return found;
}

/**
 * SIGKILLs processes whose environment carries ENTENTE_TEST_RUN=<runId>. With `orphans`, also
 * those of earlier runs whose jest process is gone (a run killed before its teardown leaves its
 * Temporal dev server, Mailpit and apps behind).
 */
function killLeftovers(
  runId: string,
  log: (line: string) => void,
  { orphans = false }: { orphans?: boolean } = {},
): void {
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const { pid, run } of taggedProcesses()) {
    const owner = Number(run.split('-')[0]);
    if (run === runId || (orphans && owner !== process.pid && !alive(owner))) {
      try {
        process.kill(pid, 'SIGKILL');
        log(`killed leftover test process ${pid} (run ${run})`);
      } catch {
        // gone already
      }
    }
  }
}

/**
 * SIGKILLs the processes a test file started (its API and worker processes carry
 * ENTENTE_TEST_SUITE=<the file's path>, see test/support/stack.ts) that are still alive when the
 * file ends, and returns their pids. A worker left behind polls the shared task queues with its
 * own configuration, so a later file's workflows would run under it.
 */
export function killSuiteLeftovers(suite: string, log: (line: string) => void): number[] {
  const killed: number[] = [];
  for (const { pid, run } of taggedProcesses('ENTENTE_TEST_SUITE')) {
    if (run !== suite) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
      log(`killed process ${pid}, left running by ${suite}`);
    } catch {
      // gone already
    }
  }
  return killed;
}

export interface TestStack {
  stop(): Promise<void>;
}

/**
 * Starts the real services the tests need, once per run, and publishes where they are through
 * TEST_* variables:
 * - PostgreSQL: a fresh database on DATABASE_URL's server (CI: the machine's PostgreSQL), else an
 *   embedded server in .data/test-postgres; migrations applied.
 * - Temporal: the CLI dev server in memory on a free port, search attributes registered.
 * - The time-skipping test server (Java, from Maven): installed if needed, its path published
 *   for test/support/time-skipping.ts. Without java or mvn only the tests that use it fail.
 * - schemathesis (Python, from PyPI, for test/fuzz/): installed into a virtualenv if needed, its
 *   path published as TEST_SCHEMATHESIS. Without python3 or PyPI only the fuzz test fails.
 */
export async function startTestStack(
  options: { postgres?: boolean; mailpit?: boolean } = {},
): Promise<TestStack> {
  const stops: (() => Promise<void>)[] = [];
  // Every process a test run starts carries this id, so teardown can end any a test left behind.
  const runId = `${process.pid}-${Date.now()}`;
  process.env.ENTENTE_TEST_RUN = runId;
  const log = (line: string): void => console.log(`[test-stack] ${line}`);
  stops.push(async () => killLeftovers(runId, log));
  killLeftovers(runId, log, { orphans: true });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      for (const step of [...stops].reverse()) {
        await step().catch((e: unknown) => log(String(e)));
      }
    })());
  try {
    await startServices(options, stops, log);
  } catch (err) {
    // jest exits at once when the global setup throws, and never runs the teardown: stop here
    // what was already started, so nothing outlives the run.
    await stop();
    throw err;
  }
  return { stop };
}

async function startServices(
  options: { postgres?: boolean; mailpit?: boolean },
  stops: (() => Promise<void>)[],
  log: (line: string) => void,
): Promise<void> {
  const cli = await findTemporalCli(log);
  if (!cli) throw new Error('no temporal CLI found and Go is not installed; see docs/setup.md');
  const temporalPort = await freePort();
  const temporal = await startDevServer({ cli: cli.path, port: temporalPort, quiet: true });
  stops.push(() => temporal.process.stop(5_000));
  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEST_TEMPORAL_CLI = cli.path;

  try {
    process.env.TEST_TIME_SKIPPING_SERVER = await ensureTimeSkippingServer(log);
  } catch (err) {
    process.env.TEST_TIME_SKIPPING_SERVER_ERROR = err instanceof Error ? err.message : String(err);
    log(`no time-skipping test server: ${process.env.TEST_TIME_SKIPPING_SERVER_ERROR}`);
  }

  try {
    process.env.TEST_SCHEMATHESIS = await ensureSchemathesis(log);
  } catch (err) {
    process.env.TEST_SCHEMATHESIS_ERROR = err instanceof Error ? err.message : String(err);
    log(`no schemathesis: ${process.env.TEST_SCHEMATHESIS_ERROR}`);
  }

  if (options.mailpit !== false) {
    const mailpit = await startMailpit({ quiet: true });
    stops.push(() => mailpit.stop());
    process.env.TEST_SMTP_URL = mailpit.smtpUrl;
    process.env.TEST_MAILPIT_API = mailpit.apiUrl;
    process.env.TEST_MAILPIT_PID = String(mailpit.process.child.pid);
  }

  if (options.postgres === false) return;
  // The server npm test's runner started for all its jest processes (scripts/test.ts), if any.
  let serverUrl = process.env.TEST_POSTGRES_SERVER_URL ?? process.env.DATABASE_URL;
  if (!serverUrl) {
    const pg = await startEmbeddedPostgres({
      dataDir: join(DATA_DIR, 'test-postgres'),
      port: await freePort(),
      database: 'postgres',
      persistent: false,
      log,
    });
    stops.push(() => pg.stop());
    serverUrl = pg.url;
  }
  const database = `entente_test_${process.pid}_${Date.now()}`;
  const adminUrl = adminUrlOf(serverUrl);
  await createDatabaseIfMissing(adminUrl, database);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  stops.push(() => dropDatabase(adminUrl, database));
  const dataSource = createDataSource(url.toString());
  await dataSource.initialize();
  try {
    await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }
  process.env.TEST_DATABASE_URL = url.toString();
}
