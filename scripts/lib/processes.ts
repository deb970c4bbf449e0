import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';

export interface Managed {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal) when the process has ended. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns a child whose output lines are prefixed with its name. */
export function spawnManaged(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions & { quiet?: boolean; onLine?: (line: string) => void } = {},
): Managed {
  // Own process group: a terminal's Ctrl-C reaches only the supervisor, which stops children in order.
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    ...options,
  });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        options.onLine?.(line);
        if (!options.quiet) process.stdout.write(prefix + line + '\n');
      }
    });
  }
  const exited = new Promise<number | NodeJS.Signals | null>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit(code ?? signal));
    child.once('error', (err) => {
      if (!options.quiet) process.stdout.write(`${prefix}failed to start: ${err.message}\n`);
      resolveExit(null);
    });
  });
  const stop = async (graceMs = 20_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name, child, exited, stop };
}
