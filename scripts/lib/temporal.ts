import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { findGoTool, GoTool } from './go-tools';
import { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { ALL_SEARCH_ATTRIBUTES } from '@workflows/partnership/partnership.contract';
import { Managed, spawnManaged } from './processes';

/** The Temporal CLI we pin: it embeds Temporal server 1.29.1. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

/**
 * Finds the `temporal` CLI: TEMPORAL_CLI_PATH, then PATH, then $(go env GOPATH)/bin; else builds
 * it with `go install` when Go is present (a few minutes the first time, cached in $HOME/go).
 * Returns undefined when neither works, so the caller can let @temporalio/testing download it.
 */
export function findTemporalCli(
  log: (line: string) => void = console.log,
): Promise<GoTool | undefined> {
  return findGoTool({
    name: 'temporal',
    envVar: 'TEMPORAL_CLI_PATH',
    module: TEMPORAL_CLI_MODULE,
    firstBuild: '~4 minutes',
    // A plain `go install` leaves the CLI saying it is 0.0.0-DEV; the release build stamps this.
    ldflags: `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION.slice(1)}`,
    log,
  });
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

/** `Server 1.29.1, UI 2.42.1` from `temporal --version`; empty when it does not say. */
function embeddedVersions(cli: string): string {
  const out = spawnSync(cli, ['--version'], { encoding: 'utf8' });
  return /\((Server [^)]+)\)/.exec(out.stdout ?? '')?.[1] ?? '';
}

export interface RunningTemporal {
  address: string;
  process: Managed;
  /** What the dev server says it runs, e.g. `Server 1.29.1, UI 2.42.1` (empty if it did not say). */
  versions: string;
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
  const recent: string[] = [];
  const proc = spawnManaged('temporal', options.cli, args, {
    quiet: options.quiet,
    onLine: (line) => {
      recent.push(line);
      recent.splice(0, Math.max(0, recent.length - 20));
    },
  });
  const address = `127.0.0.1:${options.port}`;
  try {
    await waitForTemporal(address, 60_000, proc);
  } catch (err) {
    await proc.stop(5_000);
    throw new Error(`${(err as Error).message}${recent.length ? `\n${recent.join('\n')}` : ''}`);
  }
  return { address, process: proc, versions: embeddedVersions(options.cli) };
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
