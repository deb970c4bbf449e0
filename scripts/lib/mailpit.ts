import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findGoTool } from './go-tools';
import { freePort } from './ports';
import { Managed, spawnManaged } from './processes';

/** The Mailpit we pin (SMTP test server with an HTTP API). */
export const MAILPIT_MODULE = 'github.com/axllent/mailpit@v1.33.1';

/**
 * Finds `mailpit`: MAILPIT_PATH, then PATH, then $(go env GOPATH)/bin; else builds it with
 * `go install` (a minute or two the first time, cached in $HOME/go). Throws when none works.
 */
export async function findMailpit(log: (line: string) => void = console.log): Promise<string> {
  const found = await findGoTool({
    name: 'mailpit',
    envVar: 'MAILPIT_PATH',
    module: MAILPIT_MODULE,
    firstBuild: '~2 minutes',
    log,
  });
  if (!found) {
    throw new Error(
      `mailpit not found: set MAILPIT_PATH, put it on PATH, or install Go to build ${MAILPIT_MODULE}`,
    );
  }
  return found.path;
}

export interface MailpitOptions {
  /** The mailpit binary; found with findMailpit() when absent. */
  bin?: string;
  /** Free ports are picked when absent. */
  smtpPort?: number;
  httpPort?: number;
  quiet?: boolean;
  /** The mailbox file, kept across restarts; a throw-away one (deleted at stop) when absent. */
  database?: string;
  /** How long to wait for the HTTP API and SMTP port to answer. */
  startTimeoutMs?: number;
  /** More command-line options, e.g. `--smtp-allowed-recipients <regexp>` (others get 550). */
  args?: string[];
}

export interface RunningMailpit {
  /** smtp://127.0.0.1:<port>, no TLS, any credentials (or none) accepted. */
  smtpUrl: string;
  /** http://127.0.0.1:<port>; the REST API is under /api/v1. */
  apiUrl: string;
  process: Managed;
  /** Stops Mailpit and deletes its database if it was a throw-away one. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts Mailpit on 127.0.0.1 and waits until it answers. */
export async function startMailpit(options: MailpitOptions = {}): Promise<RunningMailpit> {
  const bin = options.bin ?? (await findMailpit());
  const smtpPort = options.smtpPort ?? (await freePort());
  const httpPort = options.httpPort ?? (await freePort());
  const throwAway = options.database ? undefined : mkdtempSync(join(tmpdir(), 'entente-mailpit-'));
  const database = options.database ?? join(throwAway!, 'mailpit.db');
  mkdirSync(dirname(database), { recursive: true });
  const args = [
    '--smtp',
    `127.0.0.1:${smtpPort}`,
    '--listen',
    `127.0.0.1:${httpPort}`,
    '--database',
    database,
    '--smtp-auth-accept-any',
    '--smtp-auth-allow-insecure',
    '--smtp-disable-rdns',
    '--disable-version-check',
    ...(options.args ?? []),
  ];
  // MP_* variables configure Mailpit too; keep the caller's environment from changing this one.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('MP_')),
  );
  const recent: string[] = [];
  const proc = spawnManaged('mailpit', bin, args, {
    quiet: options.quiet,
    env,
    onLine: (line) => {
      recent.push(line);
      if (recent.length > 20) recent.shift();
    },
  });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await proc.stop(5_000);
    if (throwAway) rmSync(throwAway, { recursive: true, force: true });
  };
  const apiUrl = `http://127.0.0.1:${httpPort}`;
  try {
    await waitForMailpit(apiUrl, smtpPort, options.startTimeoutMs ?? 30_000, proc);
  } catch (err) {
    await stop();
    const tail = recent.length ? `\n${recent.join('\n')}` : '';
    throw new Error(`${(err as Error).message}${tail}`);
  }
  return { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, apiUrl, process: proc, stop };
}

function smtpAnswers(port: number): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    // Mailpit greets first: "220 … ESMTP Service Ready".
    socket.once('data', (chunk: Buffer) => {
      socket.destroy();
      resolveAnswer(chunk.toString('utf8').startsWith('220'));
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolveAnswer(false);
    });
    socket.once('error', () => resolveAnswer(false));
  });
}

async function httpAnswers(apiUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${apiUrl}/api/v1/messages?limit=1`, {
      signal: AbortSignal.timeout(1_000),
    });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

async function waitForMailpit(
  apiUrl: string,
  smtpPort: number,
  timeoutMs: number,
  proc: Managed,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error('Mailpit exited during start-up');
    if ((await httpAnswers(apiUrl)) && (await smtpAnswers(smtpPort))) return;
    if (Date.now() > deadline)
      throw new Error(`Mailpit did not answer at ${apiUrl} and SMTP port ${smtpPort}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
