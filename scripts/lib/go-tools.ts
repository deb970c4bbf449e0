import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { executableFromEnv, isExecutable } from './tool-cache';

function goBin(): string | undefined {
  const go = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' });
  if (go.status !== 0) return undefined;
  return join(go.stdout.trim().split(delimiter)[0], 'bin');
}

export interface GoTool {
  path: string;
  /** The module version the binary was built from (`go version -m`), e.g. v1.5.1; else undefined. */
  version?: string;
}

/**
 * The version of `module` (without its /cmd/… package path) recorded in a Go binary. Undefined
 * without Go, or for a binary not built by Go modules.
 */
export function goModuleVersion(bin: string, module: string): string | undefined {
  const out = spawnSync('go', ['version', '-m', bin], { encoding: 'utf8' });
  if (out.status !== 0) return undefined;
  const path = module.split('@')[0];
  for (const line of out.stdout.split('\n')) {
    const [kind, mod, version] = line.trim().split(/\s+/);
    if (kind === 'mod' && path.startsWith(mod)) return version;
  }
  return undefined;
}

/**
 * Finds a Go-built tool: `$<envVar>`, then PATH, then $(go env GOPATH)/bin; else builds it with
 * `go install <module>` when Go is present (cached in $HOME/go), printing a line every few
 * seconds while it builds. Undefined when none works.
 */
export async function findGoTool(options: {
  name: string;
  envVar: string;
  module: string;
  firstBuild: string;
  /** `-ldflags` for the build (e.g. to stamp the version the tool reports). */
  ldflags?: string;
  log?: (line: string) => void;
  /** Milliseconds between progress lines. */
  progressEveryMs?: number;
}): Promise<GoTool | undefined> {
  const found = (path: string): GoTool => ({
    path,
    version: goModuleVersion(path, options.module),
  });
  const fromEnv = executableFromEnv(options.envVar);
  if (fromEnv) return found(fromEnv);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, options.name))) return found(join(dir, options.name));
  }
  const bin = goBin();
  if (!bin) return undefined;
  const candidate = join(bin, options.name);
  if (isExecutable(candidate)) return found(candidate);
  const log = options.log ?? console.log;
  log(
    `building ${options.name}: go install ${options.module} (first run only, ${options.firstBuild})`,
  );
  mkdirSync(dirname(candidate), { recursive: true });
  const args = [
    'install',
    ...(options.ldflags ? ['-ldflags', options.ldflags] : []),
    options.module,
  ];
  await goInstall(args, options.name, log, options.progressEveryMs ?? 5_000);
  return found(candidate);
}

/** Runs `go install`, with a line every `everyMs` saying how long it has run and what go did last. */
function goInstall(
  args: string[],
  name: string,
  log: (line: string) => void,
  everyMs: number,
): Promise<void> {
  return new Promise((resolveBuild, reject) => {
    const started = Date.now();
    const child = spawn('go', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    let last = 'compiling';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        const lines = chunk.toString('utf8').split('\n').filter(Boolean);
        output.push(...lines);
        output.splice(0, Math.max(0, output.length - 30));
        if (lines.length) last = lines[lines.length - 1].replace(/^go: /, '');
      });
    }
    const ticker = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      log(`  still building ${name}: ${seconds} s (${last})`);
      // After the downloads, go compiles quietly: say so rather than repeat the last download.
      last = 'compiling';
    }, everyMs);
    const done = (err?: Error): void => {
      clearInterval(ticker);
      if (err) reject(err);
      else {
        log(`built ${name} in ${Math.round((Date.now() - started) / 1000)} s`);
        resolveBuild();
      }
    };
    child.once('error', (err) => done(err));
    child.once('close', (code) =>
      code === 0
        ? done()
        : done(new Error(`go ${args.join(' ')} failed (${String(code)}):\n${output.join('\n')}`)),
    );
  });
}
