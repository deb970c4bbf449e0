/**
 * schemathesis (the OpenAPI fuzzer, from PyPI) for the API fuzz test in test/fuzz/. It lives in a
 * Python virtual environment in $HOME/.cache/entente/schemathesis-<version>/, made with
 * `python3 -m venv` and `pip install -r tools/schemathesis/requirements.txt` (every dependency
 * pinned). The install goes into a temporary directory that is renamed into place once it works,
 * so a reader never sees half an install. The path returned is a small `st` wrapper in that
 * directory that runs `bin/python -m schemathesis.cli`.
 *
 * Run as a script (`node dist/scripts/lib/schemathesis.js`) it installs schemathesis if needed
 * and prints the wrapper's path.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  executableFromEnv,
  isExecutable,
  manifestAccepted,
  printToolPath,
  repoRootHolding,
  run as runCommand,
  Run,
  temporaryPath,
  toolCacheDir,
  writeManifest,
} from './tool-cache';

/** Keep equal to the schemathesis pin in tools/schemathesis/requirements.txt. */
export const SCHEMATHESIS_VERSION = '4.32.5';
const REQUIREMENTS = join('tools', 'schemathesis', 'requirements.txt');

/** Where the virtual environment lives: $HOME/.cache/entente/schemathesis-<version>/. */
export function schemathesisCacheDir(): string {
  return toolCacheDir('schemathesis', SCHEMATHESIS_VERSION);
}

/** What was installed, checked before an install is reused. */
interface Manifest {
  version: string;
  /** sha256 of tools/schemathesis/requirements.txt at install time. */
  requirements: string;
}

/** The repository root: the nearest directory above this file (or else the cwd) with the requirements. */
function repoRoot(): string {
  return repoRootHolding(REQUIREMENTS, true);
}

function requirementsHash(): string {
  return createHash('sha256')
    .update(readFileSync(join(repoRoot(), REQUIREMENTS)))
    .digest('hex');
}

/** Accepts an install in `dir` only if its manifest, python and wrapper are all in place. */
function validInstall(dir: string): string | undefined {
  const wrapper = join(dir, 'st');
  const current = manifestAccepted<Manifest>(
    dir,
    (manifest) =>
      manifest.version === SCHEMATHESIS_VERSION && manifest.requirements === requirementsHash(),
  );
  // bin/python links to the interpreter the venv was made with: gone after a Python upgrade.
  if (!current || !isExecutable(join(dir, 'bin', 'python')) || !isExecutable(wrapper))
    return undefined;
  return wrapper;
}

/**
 * The schemathesis CLI to run: `$SCHEMATHESIS_PATH` when set, else the installed wrapper, as
 * long as it was installed from today's requirements. Undefined when not installed.
 */
export function findSchemathesis(): string | undefined {
  return executableFromEnv('SCHEMATHESIS_PATH') ?? validInstall(schemathesisCacheDir());
}

/** Runs a command with pip never prompting. */
function run(command: string, args: string[], cwd?: string): Promise<Run> {
  return runCommand(command, args, { cwd, env: { ...process.env, PIP_NO_INPUT: '1' } });
}

/** Checks that `python3` is there, recent enough, and has the venv module. */
async function checkPython(): Promise<void> {
  const check = await run('python3', [
    '-c',
    'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 9) else 3)',
  ]);
  if (check.missing) {
    throw new Error(
      'python3 not found on PATH: the API fuzz test runs schemathesis, a Python program; ' +
        'install Python 3.9+ (e.g. apt-get install python3 python3-venv)',
    );
  }
  if (!check.ok) {
    throw new Error(
      `python3 cannot make a virtual environment (needs Python 3.9+ with venv and ensurepip, ` +
        `e.g. apt-get install python3-venv): ${check.output}`,
    );
  }
}

/** Installs (or re-installs) schemathesis and returns the wrapper's path. Needs python3 and PyPI. */
export async function installSchemathesis(
  log: (line: string) => void = console.log,
): Promise<string> {
  await checkPython();
  const target = schemathesisCacheDir();
  const root = repoRoot();
  mkdirSync(dirname(target), { recursive: true });
  const staging = temporaryPath(target);
  try {
    log(
      `installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${target} (first run only)`,
    );
    const venv = await run('python3', ['-m', 'venv', staging]);
    if (!venv.ok) throw new Error(`python3 -m venv ${staging} failed:\n${venv.output}`);
    const pip = await run(
      join(staging, 'bin', 'python'),
      [
        '-m',
        'pip',
        'install',
        '--disable-pip-version-check',
        '--quiet',
        '-r',
        join(root, REQUIREMENTS),
      ],
      root,
    );
    if (!pip.ok) {
      throw new Error(
        `pip install -r ${REQUIREMENTS} failed (is PyPI reachable?):\n${pip.output.slice(-4000)}`,
      );
    }
    // Scripts pip writes (bin/st) name the venv's absolute path; this wrapper survives the rename.
    const wrapper = join(staging, 'st');
    writeFileSync(
      wrapper,
      [
        '#!/bin/sh',
        `# schemathesis ${SCHEMATHESIS_VERSION}, written by scripts/lib/schemathesis.ts.`,
        'exec "$(dirname "$0")/bin/python" -m schemathesis.cli "$@"',
        '',
      ].join('\n'),
    );
    chmodSync(wrapper, 0o755);
    const version = await run(wrapper, ['--version']);
    if (!version.ok || !version.output.includes(SCHEMATHESIS_VERSION)) {
      throw new Error(`the installed schemathesis does not run: ${version.output}`);
    }
    const manifest: Manifest = { version: SCHEMATHESIS_VERSION, requirements: requirementsHash() };
    writeManifest(staging, manifest);
    // Into place in one rename. Another process may have won the race; a stale install (older
    // requirements, Python gone) is replaced.
    if (validInstall(target)) return join(target, 'st');
    rmSync(target, { recursive: true, force: true });
    try {
      renameSync(staging, target);
    } catch (err) {
      if (validInstall(target)) return join(target, 'st');
      throw err;
    }
    const installed = validInstall(target);
    if (!installed) throw new Error(`schemathesis installed into ${target} but does not check out`);
    return installed;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The installed schemathesis, or a fresh install. */
export async function ensureSchemathesis(
  log: (line: string) => void = console.log,
): Promise<string> {
  return findSchemathesis() ?? installSchemathesis(log);
}

if (require.main === module) {
  printToolPath(`schemathesis ${SCHEMATHESIS_VERSION}`, () => ensureSchemathesis());
}
