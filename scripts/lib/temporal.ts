import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/partnership/partnership.contract';
import { Managed, spawnManaged } from './processes';

/** The Temporal CLI we pin: it embeds Temporal server 1.29.1. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function goBin(): string | undefined {
  const go = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' });
  if (go.status !== 0) return undefined;
  return join(go.stdout.trim().split(delimiter)[0], 'bin');
}

/**
 * Finds the `temporal` CLI: TEMPORAL_CLI_PATH, then PATH, then $(go env GOPATH)/bin; else builds
 * it with `go install` when Go is present (a few minutes the first time, cached in $HOME/go).
 * Returns undefined when neither works, so the caller can let @temporalio/testing download it.
 */
export function findTemporalCli(log: (line: string) => void = console.log): string | undefined {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv))
      throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, 'temporal'))) return join(dir, 'temporal');
  }
  const bin = goBin();
  if (!bin) return undefined;
  const candidate = join(bin, 'temporal');
  if (isExecutable(candidate)) return candidate;
  log(`building the Temporal CLI: go install ${TEMPORAL_CLI_MODULE} (first run only, ~4 minutes)`);
  mkdirSync(dirname(candidate), { recursive: true });
  execFileSync('go', ['install', TEMPORAL_CLI_MODULE], { stdio: 'inherit' });
  return candidate;
}

const CLI_TYPE: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** `--search-attribute Name=Type` for every attribute our workflows use. */
export function searchAttributeArgs(
  keys: SearchAttributeKey<SearchAttributeType>[] = ALL_SEARCH_ATTRIBUTES,
): string[] {
  return keys.flatMap((k) => ['--search-attribute', `${k.name}=${CLI_TYPE[k.type]}`]);
}

export interface DevServerOptions {
  cli: string;
  port: number;
  uiPort?: number;
  /** SQLite file to persist to; in memory when absent. */
  dbFile?: string;
  namespace?: string;
  quiet?: boolean;
}

export interface RunningTemporal {
  address: string;
  process: Managed;
}

/** Starts `temporal server start-dev` and waits until its frontend answers. */
export async function startDevServer(options: DevServerOptions): Promise<RunningTemporal> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace ?? 'default',
    '--log-level',
    'error',
    ...searchAttributeArgs(),
  ];
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  const proc = spawnManaged('temporal', options.cli, args, { quiet: options.quiet });
  const address = `127.0.0.1:${options.port}`;
  await waitForTemporal(address, 60_000, proc);
  return { address, process: proc };
}

export async function waitForTemporal(
  address: string,
  timeoutMs: number,
  proc?: Managed,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc?.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error('the Temporal dev server exited during start-up');
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        // The namespace exists once describe answers.
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`Temporal at ${address} did not answer: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
