import { cpSync, lstatSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../scripts/lib/ports';
import { packagedBinaries, startEmbeddedPostgres } from '../../scripts/lib/postgres';

const asRoot = process.getuid?.() === 0;

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as unknown[];
  } finally {
    await client.end();
  }
}

/**
 * A new user who is root clones into a directory only root can enter (`mktemp -d`, root's home):
 * PostgreSQL refuses to run as root, runs as the postgres user, and that user cannot reach the
 * clone. The embedded PostgreSQL must still start there, and keep its data across restarts.
 */
describe('embedded PostgreSQL in a root-only directory', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  (asRoot ? it : it.skip)('starts, as root, with binaries and data in a 0700 clone', async () => {
    const clone = mkdtempSync(join(tmpdir(), 'entente-clone-'));
    const runtimeDir = mkdtempSync(join(tmpdir(), 'entente-runtime-'));
    dirs.push(clone, runtimeDir);
    expect(statSync(clone).mode & 0o777).toBe(0o700);
    // The clone's node_modules: the binaries live inside the root-only directory too.
    const packaged = packagedBinaries();
    cpSync(packaged.dir, join(clone, 'native'), { recursive: true, verbatimSymlinks: true });
    const options = {
      dataDir: join(clone, '.data', 'postgres'),
      port: await freePort(),
      database: 'entente',
      persistent: true,
      binaries: { dir: join(clone, 'native'), version: packaged.version },
      runtimeDir,
    };

    const first = await startEmbeddedPostgres(options);
    try {
      await query(
        first.url,
        'CREATE TABLE kept (word text); INSERT INTO kept VALUES ($$still here$$)',
      );
    } finally {
      await first.stop();
    }
    // .data/postgres is where the docs say, a link to where the postgres user can reach it.
    expect(lstatSync(options.dataDir).isSymbolicLink()).toBe(true);

    const second = await startEmbeddedPostgres({ ...options, persistent: false });
    try {
      expect(await query(second.url, 'SELECT word FROM kept')).toEqual([{ word: 'still here' }]);
    } finally {
      await second.stop();
    }
    expect(() => lstatSync(options.dataDir)).toThrow(/ENOENT/);
  });
});
