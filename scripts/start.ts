import { spawn } from 'node:child_process';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, nestLogLevels } from '@libs/config';
import { createDataSource, runMigrationsLocked } from '@libs/db';
import { DEV_ADMIN_EMAIL, devAdminPassword } from './lib/api-session';
import { DATA_DIR, EMBEDDED_PG_PORT } from './lib/database-url';
import { startMailpit } from './lib/mailpit';
import { isPortFree } from './lib/ports';
import { startEmbeddedPostgres } from './lib/postgres';
import { Managed, spawnManaged } from './lib/processes';
import { findTemporalCli, startDevServer } from './lib/temporal';

const DIST = join(__dirname, '..');
const ROOT = join(DIST, '..');
const log = (line: string): void => console.log(`[entente] ${line}`);

const USAGE = `node dist/scripts/start.js [--watch] [--port-offset N] [--data-dir DIR]
  --watch          recompile on change and restart the API and the worker (npm run dev)
  --port-offset N  add N to every port (3000, 7233, 8233, 1025, 8025, 5433)
  --data-dir DIR   keep the state in DIR instead of .data/`;

interface Options {
  watch: boolean;
  portOffset: number;
  dataDir: string;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      watch: { type: 'boolean', default: false },
      'port-offset': { type: 'string', default: '0' },
      'data-dir': { type: 'string', default: DATA_DIR },
      help: { type: 'boolean', default: false },
    },
  });
  const portOffset = Number(values['port-offset']);
  if (values.help || !Number.isInteger(portOffset) || portOffset < 0) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  return { watch: values.watch, portOffset, dataDir: values['data-dir'] };
}

/** A path for people to read: relative to the clone when inside it. */
const shown = (path: string): string =>
  relative(ROOT, path).startsWith('..') ? path : relative(ROOT, path);

/**
 * `npm start`: the whole platform on one machine. Starts what is not given from outside
 * (Temporal dev server unless TEMPORAL_ADDRESS, Mailpit unless SMTP_URL, PostgreSQL unless
 * DATABASE_URL), runs migrations, then the worker and the API. Every child runs in a process
 * group of its own, so a terminal's Ctrl-C reaches only this process, which stops them in order:
 * the API (it finishes in-flight requests), the worker (it drains), then PostgreSQL, Mailpit and
 * Temporal.
 */
async function main(): Promise<void> {
  const opts = options();
  const started = Date.now();
  const port = (base: number): number => base + opts.portOffset;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    API_PORT: process.env.API_PORT ?? String(port(3000)),
  };
  const services: { name: string; stop: () => Promise<void> }[] = [];
  let apps: Managed[] = [];
  /** Every API and worker process not yet exited (during a stop or a restart too). */
  const live = new Set<Managed>();
  let compiler: Compiler | undefined;
  /** Services still starting: a Ctrl-C then waits for them, to stop them too. */
  const starting: Promise<unknown>[] = [];
  let stopping = false;

  const stopApps = async (): Promise<void> => {
    const current = apps;
    apps = []; // their exits are expected now
    // The API first (no new requests; in-flight ones finish), then the worker drains.
    for (const name of ['api', 'worker']) await current.find((a) => a.name === name)?.stop(25_000);
  };
  const stopAll = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const stopStarted = Date.now();
    log('stopping…');
    await compiler?.tsc.stop(2_000);
    await stopApps();
    await Promise.allSettled(starting);
    // PostgreSQL first, Temporal last, whatever order they came up in.
    const order = ['postgres', 'mailpit', 'temporal'];
    services.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    for (const service of services) {
      await service.stop().catch((e: unknown) => log(`${service.name}: ${String(e)}`));
    }
    log(`stopped in ${((Date.now() - stopStarted) / 1000).toFixed(1)} s`);
    process.exit(code);
  };
  let signals = 0;
  let firstSignal = 0;
  const onSignal = (): void => {
    // npm forwards the terminal's SIGINT that its child got already: one Ctrl-C, two signals.
    if (signals > 0 && Date.now() - firstSignal < 1_000) return;
    signals += 1;
    if (signals === 1) {
      firstSignal = Date.now();
      void stopAll(0);
    } else if (signals === 2) {
      log('stopping now: Ctrl-C again to leave what still runs');
      for (const app of live) app.child.kill('SIGKILL');
    } else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  try {
    let restart = async (): Promise<void> => undefined;
    if (opts.watch) {
      // Alongside the services: its first compile only repeats the build `npm run dev` made.
      log('starting tsc --watch (the API and the worker restart after each good compile)');
      compiler = startCompiler(() => restart());
    }
    let temporalLine: string | undefined;
    if (!env.TEMPORAL_ADDRESS) {
      const temporalPort = port(7233);
      if (!(await isPortFree(temporalPort)))
        throw new Error(
          `port ${temporalPort} is taken: stop the other Temporal server or set TEMPORAL_ADDRESS`,
        );
      const cli = await findTemporalCli(log);
      const dbFile = join(opts.dataDir, 'temporal.db');
      if (!cli) {
        // No Go and no CLI: let the SDK's test package download the dev server (needs internet).
        log('no temporal CLI and no Go: downloading the Temporal dev server (@temporalio/testing)');
        const { TestWorkflowEnvironment } = await import('@temporalio/testing');
        const { ALL_SEARCH_ATTRIBUTES } =
          await import('@workflows/partnership/partnership.contract');
        const testEnv = await TestWorkflowEnvironment.createLocal({
          server: {
            ip: '127.0.0.1',
            port: temporalPort,
            ui: true,
            uiPort: port(8233),
            dbFilename: dbFile,
            searchAttributes: ALL_SEARCH_ATTRIBUTES,
          },
        });
        services.push({ name: 'temporal', stop: () => testEnv.teardown() });
        env.TEMPORAL_ADDRESS = `127.0.0.1:${temporalPort}`;
        temporalLine = `http://localhost:${port(8233)}`;
      } else {
        log(
          `starting Temporal dev server (CLI ${cli.version ?? 'of unknown version'}) on 127.0.0.1:${temporalPort}, state in ${shown(dbFile)}`,
        );
        env.TEMPORAL_ADDRESS = `127.0.0.1:${temporalPort}`;
        starting.push(
          startDevServer({
            cli: cli.path,
            port: temporalPort,
            uiPort: port(8233),
            dbFile,
            quiet: true,
          }).then((temporal) => {
            services.push({ name: 'temporal', stop: () => temporal.process.stop(10_000) });
            const cliVersion = cli.version ? `CLI ${cli.version}, ` : '';
            temporalLine = `http://localhost:${port(8233)}   (${cliVersion}${temporal.versions})`;
          }),
        );
      }
    }

    let mailUi: string | undefined;
    if (!env.SMTP_URL) {
      // Dev mail: every e-mail the platform sends lands in Mailpit's web UI instead of the world.
      const database = join(opts.dataDir, 'mailpit.db');
      log(`starting Mailpit on 127.0.0.1:${port(1025)} (SMTP), mailbox in ${shown(database)}`);
      starting.push(
        startMailpit({ smtpPort: port(1025), httpPort: port(8025), database, quiet: true }).then(
          (mailpit) => {
            services.push({ name: 'mailpit', stop: () => mailpit.stop() });
            env.SMTP_URL = mailpit.smtpUrl;
            mailUi = mailpit.apiUrl;
          },
          (err: unknown) =>
            log(
              `no Mailpit (${String(err).split('\n')[0]}); e-mails will be retried until SMTP_URL answers`,
            ),
        ),
      );
    }

    if (!env.DATABASE_URL) {
      const dataDir = join(opts.dataDir, 'postgres');
      const pgPort = opts.portOffset ? port(5433) : EMBEDDED_PG_PORT;
      log(`starting PostgreSQL (embedded) on 127.0.0.1:${pgPort}, data in ${shown(dataDir)}`);
      starting.push(
        startEmbeddedPostgres({
          dataDir,
          port: pgPort,
          database: 'entente',
          persistent: true,
          log,
        }).then((pg) => {
          services.push({ name: 'postgres', stop: () => pg.stop() });
          env.DATABASE_URL = pg.url;
        }),
      );
    }
    // Side by side; a failure stops what did start (services holds it).
    const results = await Promise.allSettled(starting);
    for (const result of results) if (result.status === 'rejected') throw result.reason;
    if (stopping) return;

    const config = loadConfig(env); // validates before anything else starts
    const dataSource = createDataSource(config.DATABASE_URL);
    await dataSource.initialize();
    try {
      const applied = await runMigrationsLocked(dataSource);
      log(
        applied.length
          ? `migrations applied: ${applied.join(', ')}`
          : 'database schema is up to date',
      );
    } finally {
      await dataSource.destroy();
    }

    const childEnv = { ...env, DATABASE_MIGRATE_ON_START: 'false' };
    // In development the API creates a demo admin whose password stays in <data>/admin-password.
    const passwordFile = join(opts.dataDir, 'admin-password');
    const devAdmin =
      config.NODE_ENV === 'development' && !config.ADMIN_EMAIL
        ? { email: DEV_ADMIN_EMAIL, password: devAdminPassword(passwordFile) }
        : undefined;
    const apiEnv = devAdmin
      ? { ...childEnv, ADMIN_EMAIL: devAdmin.email, ADMIN_PASSWORD: devAdmin.password }
      : childEnv;
    const health = `http://127.0.0.1:${config.API_PORT}/health`;

    const startApps = async (): Promise<void> => {
      let polling: () => void = () => undefined;
      const workerPolls = new Promise<void>((r) => (polling = r));
      const worker = spawnManaged(
        'worker',
        process.execPath,
        [join(DIST, 'apps/worker/src/main.js')],
        { env: childEnv, onLine: (line) => /polling task queue/.test(line) && polling() },
      );
      const api = spawnManaged('api', process.execPath, [join(DIST, 'apps/api/src/main.js')], {
        env: apiEnv,
      });
      apps = [worker, api];
      for (const app of apps) {
        live.add(app);
        void app.exited.then(() => live.delete(app));
        void app.exited.then((code) => {
          if (stopping || !apps.includes(app)) return;
          if (opts.watch) {
            log(
              `${app.name} exited (${String(code)}); it starts again after the next good compile`,
            );
          } else {
            log(`${app.name} exited (${String(code)}); stopping the rest`);
            void stopAll(1);
          }
        });
      }
      await waitForHttp(health, 60_000, () => stopping || !live.has(api));
      if (!stopping && !live.has(api)) throw new Error('the API exited during start-up');
      // The ready block comes after the worker's own "polling" line (when its level prints it).
      if (nestLogLevels(config.LOG_LEVEL).includes('log')) {
        await Promise.race([workerPolls, worker.exited]);
      }
    };

    if (compiler) {
      await compiler.firstCompile;
      restart = async (): Promise<void> => {
        if (stopping) return;
        log('compiled: restarting the API and the worker');
        await stopApps();
        if (stopping) return;
        await startApps().then(
          () => log('restarted'),
          (err: unknown) =>
            log(`restart failed: ${err instanceof Error ? err.message : String(err)}`),
        );
      };
    }
    log('starting the worker and the API');
    await startApps();
    if (stopping) return;

    const base = `http://localhost:${config.API_PORT}`;
    log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    log(`  Web app       ${base}/`);
    log(`  API           ${base}/api/v1`);
    log(`  OpenAPI docs  ${base}/api/docs   (JSON: ${base}/api/docs-json)`);
    log(`  Health        ${base}/health`);
    if (temporalLine) log(`  Temporal UI   ${temporalLine}`);
    if (mailUi) log(`  Mail (dev)    ${mailUi}   (every e-mail sent lands here)`);
    if (devAdmin) {
      log(
        `  Log in        ${devAdmin.email} / ${devAdmin.password}   (kept in ${shown(passwordFile)})`,
      );
      log(
        `    TOKEN=$(curl -s ${base}/api/v1/auth/login -H 'content-type: application/json' ` +
          `-d '{"email":"${devAdmin.email}","password":"${devAdmin.password}"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\\1/')`,
      );
      log(`    curl -s ${base}/api/v1/me -H "authorization: Bearer $TOKEN"`);
    }
    log(opts.watch ? 'Watching for changes. Ctrl-C stops everything.' : 'Ctrl-C stops everything.');
  } catch (err) {
    if (stopping) return;
    console.error(`[entente] ${err instanceof Error ? err.message : String(err)}`);
    await stopAll(1);
  }
}

interface Compiler {
  tsc: Managed;
  firstCompile: Promise<void>;
}

/**
 * `tsc --watch` over the build: `onCompiled` runs after every compile that found no error, except
 * the first (it rewrites what `npm run build` just wrote).
 */
function startCompiler(onCompiled: () => Promise<void>): Compiler {
  let first: () => void = () => undefined;
  const firstCompile = new Promise<void>((r) => (first = r));
  let compiles = 0;
  let queue = Promise.resolve();
  const tsc = spawnManaged(
    'tsc',
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '-p',
      join(ROOT, 'tsconfig.build.json'),
      '--watch',
      '--preserveWatchOutput',
    ],
    {
      cwd: ROOT,
      quiet: true,
      onLine: (line) => {
        const done = /Found (\d+) errors?\. Watching for file changes/.exec(line);
        if (/error TS\d+/.test(line)) console.log(`[tsc] ${line}`);
        if (!done) return;
        compiles += 1;
        if (compiles === 1) first();
        else if (done[1] === '0') queue = queue.then(rewriteAliases).then(onCompiled);
        else console.log(`[tsc] ${done[1]} errors: the API and the worker go on as they were`);
      },
    },
  );
  return { tsc, firstCompile };
}

/** What tsc wrote imports `@libs/…` and `@workflows/…`; tsc-alias makes them relative for Node. */
async function rewriteAliases(): Promise<void> {
  const cli = require.resolve('tsc-alias/dist/bin/index.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, '-p', join(ROOT, 'tsconfig.build.json')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`tsc-alias exited with ${String(code)}`)),
    );
  });
}

async function waitForHttp(url: string, timeoutMs: number, abandon: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (abandon()) return;
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not become healthy`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

void main();
