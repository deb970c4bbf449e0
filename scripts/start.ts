import { join } from 'node:path';
import { loadConfig } from '../libs/config';
import { createDataSource, runMigrationsLocked } from '../libs/db';
import { DATA_DIR, EMBEDDED_PG_PORT } from './lib/database-url';
import { isPortFree } from './lib/ports';
import { startEmbeddedPostgres, RunningPostgres } from './lib/postgres';
import { Managed, spawnManaged } from './lib/processes';
import { findTemporalCli, startDevServer } from './lib/temporal';
import { startMailpit } from './lib/mailpit';
import { DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD_FILE, devAdminPassword } from './lib/api-session';

const DIST = join(__dirname, '..');
const log = (line: string): void => console.log(`[entente] ${line}`);

/**
 * `npm start`: the whole platform on one machine. Starts what is not given from outside
 * (Temporal dev server unless TEMPORAL_ADDRESS, PostgreSQL unless DATABASE_URL), runs
 * migrations, then the API and the worker. Ctrl-C stops everything in reverse order.
 */
async function main(): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
  };
  const cleanups: (() => Promise<void>)[] = [];
  let stopping = false;
  const children: Managed[] = [];

  const stopAll = async (code: number): Promise<never> => {
    if (stopping) return new Promise<never>(() => undefined);
    stopping = true;
    log('stopping…');
    // API first (no new requests), then the worker drains, then the servers they depend on.
    for (const child of children.reverse()) await child.stop(25_000);
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e: unknown) => log(String(e)));
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    let temporalUi: string | undefined;
    if (!env.TEMPORAL_ADDRESS) {
      if (!(await isPortFree(7233)))
        throw new Error(
          'port 7233 is taken: stop the other Temporal server or set TEMPORAL_ADDRESS',
        );
      const cli = await findTemporalCli(log);
      if (cli) {
        const temporal = await startDevServer({
          cli: cli.path,
          port: 7233,
          uiPort: 8233,
          dbFile: join(DATA_DIR, 'temporal.db'),
        });
        cleanups.push(() => temporal.process.stop(10_000));
        env.TEMPORAL_ADDRESS = temporal.address;
      } else {
        // No Go and no CLI: let the SDK's test package download the dev server (needs internet).
        log(
          'no temporal CLI and no Go: downloading the Temporal dev server through @temporalio/testing',
        );
        const { TestWorkflowEnvironment } = await import('@temporalio/testing');
        const { ALL_SEARCH_ATTRIBUTES } =
          await import('../workflows/partnership/partnership.contract');
        const testEnv = await TestWorkflowEnvironment.createLocal({
          server: {
            ip: '127.0.0.1',
            port: 7233,
            ui: true,
            uiPort: 8233,
            dbFilename: join(DATA_DIR, 'temporal.db'),
            searchAttributes: ALL_SEARCH_ATTRIBUTES,
          },
        });
        cleanups.push(() => testEnv.teardown());
        env.TEMPORAL_ADDRESS = '127.0.0.1:7233';
      }
      temporalUi = 'http://localhost:8233';
    }

    let mailUi: string | undefined;
    if (!env.SMTP_URL) {
      // Dev mail: every e-mail the platform sends lands in Mailpit's web UI instead of the world.
      try {
        const mailpit = await startMailpit({ smtpPort: 1025, httpPort: 8025, quiet: true });
        cleanups.push(() => mailpit.stop());
        env.SMTP_URL = mailpit.smtpUrl;
        mailUi = mailpit.apiUrl;
      } catch (err) {
        log(
          `no Mailpit (${String(err).split('\n')[0]}); e-mails will be retried until SMTP_URL answers`,
        );
      }
    }

    if (!env.DATABASE_URL) {
      const pg: RunningPostgres = await startEmbeddedPostgres({
        dataDir: join(DATA_DIR, 'postgres'),
        port: EMBEDDED_PG_PORT,
        database: 'entente',
        persistent: true,
        log,
      });
      cleanups.push(() => pg.stop());
      env.DATABASE_URL = pg.url;
      log(`PostgreSQL (embedded) on 127.0.0.1:${EMBEDDED_PG_PORT}, data in .data/postgres`);
    }

    const config = loadConfig(env); // validates before anything else starts
    const dataSource = createDataSource(config.DATABASE_URL);
    await dataSource.initialize();
    const applied = await runMigrationsLocked(dataSource);
    await dataSource.destroy();
    log(
      applied.length
        ? `migrations applied: ${applied.join(', ')}`
        : 'database schema is up to date',
    );

    const childEnv = { ...env, DATABASE_MIGRATE_ON_START: 'false' };
    // In development the API creates a demo admin whose password stays in .data/admin-password.
    const devAdmin =
      config.NODE_ENV === 'development' && !config.ADMIN_EMAIL
        ? { email: DEV_ADMIN_EMAIL, password: devAdminPassword() }
        : undefined;
    const apiEnv = devAdmin
      ? { ...childEnv, ADMIN_EMAIL: devAdmin.email, ADMIN_PASSWORD: devAdmin.password }
      : childEnv;
    const worker = spawnManaged(
      'worker',
      process.execPath,
      [join(DIST, 'apps/worker/src/main.js')],
      { env: childEnv },
    );
    children.push(worker);
    const api = spawnManaged('api', process.execPath, [join(DIST, 'apps/api/src/main.js')], {
      env: apiEnv,
    });
    children.push(api);
    for (const child of children) {
      void child.exited.then((code) => {
        if (!stopping) {
          log(`${child.name} exited (${String(code)}); stopping the rest`);
          void stopAll(1);
        }
      });
    }
    await waitForHttp(`http://127.0.0.1:${config.API_PORT}/health`, 60_000);
    const base = `http://localhost:${config.API_PORT}`;
    log('ready');
    log(`  Web app       ${base}/`);
    log(`  API           ${base}/api/v1`);
    log(`  OpenAPI docs  ${base}/api/docs   (JSON: ${base}/api/docs-json)`);
    log(`  Health        ${base}/health`);
    if (temporalUi) log(`  Temporal UI   ${temporalUi}`);
    if (mailUi) log(`  Mail (dev)    ${mailUi}   (every e-mail sent lands here)`);
    if (devAdmin) {
      log(
        `  Log in        ${devAdmin.email} / ${devAdmin.password}   (kept in ${DEV_ADMIN_PASSWORD_FILE})`,
      );
      log(
        `    TOKEN=$(curl -s ${base}/api/v1/auth/login -H 'content-type: application/json' ` +
          `-d '{"email":"${devAdmin.email}","password":"${devAdmin.password}"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\\1/')`,
      );
      log(`    curl -s ${base}/api/v1/me -H "authorization: Bearer $TOKEN"`);
    }
    log('Ctrl-C stops everything.');
  } catch (err) {
    console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : err);
    await stopAll(1);
  }
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
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
