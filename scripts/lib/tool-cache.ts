/**
 * What the tools installed for the tests share (scripts/lib/schemathesis.ts,
 * scripts/lib/time-skipping.ts, scripts/lib/go-tools.ts): an override in an environment variable,
 * a cache directory $HOME/.cache/entente/<name>-<version>/ with an install.json that is checked
 * before an install is reused, writes through a temporary path and a rename, and running the
 * installers' commands.
 */
import { execFile } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where a tool is installed: $HOME/.cache/entente/<name>-<version>/. */
export function toolCacheDir(name: string, version: string): string {
  return join(homedir(), '.cache', 'entente', `${name}-${version}`);
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `$<envVar>` when set (it must be an executable file), else undefined. */
export function executableFromEnv(envVar: string): string | undefined {
  const fromEnv = process.env[envVar];
  if (!fromEnv) return undefined;
  if (!isExecutable(fromEnv)) throw new Error(`${envVar}=${fromEnv} is not an executable file`);
  return fromEnv;
}

/**
 * The repository root: the nearest directory above this file holding `marker` (a path relative
 * to the root); with `orCwd`, else the cwd if it holds it.
 */
export function repoRootHolding(marker: string, orCwd = false): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, marker))) return dir;
    if (dirname(dir) === dir) break;
  }
  if (orCwd && existsSync(join(process.cwd(), marker))) return process.cwd();
  throw new Error(`${marker} not found above ${__dirname}`);
}

/** A path next to `path` for this process to write before renaming it into place. */
export function temporaryPath(path: string): string {
  return `${path}.${process.pid}.${Date.now()}.tmp`;
}

/** Writes `content` to `path` through a temporary file and a rename, so readers never see half. */
export function writeAtomically(path: string, content: string, mode: number): void {
  const tmp = temporaryPath(path);
  writeFileSync(tmp, content);
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

function manifestPath(dir: string): string {
  return join(dir, 'install.json');
}

/**
 * Whether the install.json in `dir` is there, parses, and `accept` takes it (anything it throws
 * counts as no).
 */
export function manifestAccepted<M>(dir: string, accept: (manifest: M) => boolean): boolean {
  try {
    return accept(JSON.parse(readFileSync(manifestPath(dir), 'utf8')) as M);
  } catch {
    return false;
  }
}

/** Writes what was installed to `dir`/install.json (atomically). */
export function writeManifest<M>(dir: string, manifest: M): void {
  writeAtomically(manifestPath(dir), `${JSON.stringify(manifest, null, 2)}\n`, 0o644);
}

export interface Run {
  ok: boolean;
  output: string;
  /** The command is not there (ENOENT). */
  missing: boolean;
}

/** Runs a command to its end: never rejects; stdout and stderr together, trimmed. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return new Promise((resolveRun) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, maxBuffer: 16 * 1024 * 1024, env: options.env },
      (err, stdout, stderr) => {
        const output = `${stdout}${stderr}`.trim();
        resolveRun({
          ok: !err,
          output: output || (err ? err.message : ''),
          missing: (err as NodeJS.ErrnoException | null)?.code === 'ENOENT',
        });
      },
    );
  });
}

/**
 * For `node dist/scripts/lib/<tool>.js`: installs the tool if needed and prints
 * `<label>: <path> (<ms> ms)`, or the error and exit code 1.
 */
export function printToolPath(label: string, ensure: () => Promise<string>): void {
  const started = Date.now();
  ensure().then(
    (path) => console.log(`${label}: ${path} (${Date.now() - started} ms)`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
