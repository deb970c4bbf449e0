import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { executableFromEnv, isExecutable } from './tool-cache';

function goBin(): string | undefined {
  const go = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' });
  if (go.status !== 0) return undefined;
  return join(go.stdout.trim().split(delimiter)[0], 'bin');
}

/**
 * Finds a Go-built tool: `$<envVar>`, then PATH, then $(go env GOPATH)/bin; else builds it with
 * `go install <module>` when Go is present (cached in $HOME/go). Undefined when none works.
 */
export function findGoTool(options: {
  name: string;
  envVar: string;
  module: string;
  firstBuild: string;
  log?: (line: string) => void;
}): string | undefined {
  const fromEnv = executableFromEnv(options.envVar);
  if (fromEnv) return fromEnv;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, options.name))) return join(dir, options.name);
  }
  const bin = goBin();
  if (!bin) return undefined;
  const candidate = join(bin, options.name);
  if (isExecutable(candidate)) return candidate;
  (options.log ?? console.log)(
    `building ${options.name}: go install ${options.module} (first run only, ${options.firstBuild})`,
  );
  mkdirSync(dirname(candidate), { recursive: true });
  execFileSync('go', ['install', options.module], { stdio: 'inherit' });
  return candidate;
}
