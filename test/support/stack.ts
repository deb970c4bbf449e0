import { Client, Connection } from '@temporalio/client';
import { request } from 'node:http';
import { join } from 'node:path';
import { Pool } from 'pg';
import { freePort } from '../../scripts/lib/ports';
import { Managed, spawnManaged } from '../../scripts/lib/processes';

const DIST = join(__dirname, '..', '..', 'dist');

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with npm test (jest globalSetup)`);
  return value;
}

/** The environment an API or worker process gets in tests: the services the global setup started. */
export function appEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: requireEnv('TEST_DATABASE_URL'),
    TEMPORAL_ADDRESS: requireEnv('TEST_TEMPORAL_ADDRESS'),
    DATABASE_MIGRATE_ON_START: 'false',
    SMTP_URL: requireEnv('TEST_SMTP_URL'),
    ENTENTE_TEST_RUN: requireEnv('ENTENTE_TEST_RUN'),
    PUBLIC_BASE_URL: 'http://entente.test',
    WORKER_SHUTDOWN_GRACE_MS: '5000',
    ...extra,
  };
}

/** Polls until `fn` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 30_000, intervalMs = 200, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Starts the compiled worker process and waits until it polls its task queue. */
export async function startWorker(
  extra: Record<string, string> = {},
  output: string[] = [],
): Promise<Managed> {
  let polling = false;
  const worker = spawnManaged('worker', process.execPath, [join(DIST, 'apps/worker/src/main.js')], {
    env: appEnv({ LOG_LEVEL: 'log', ...extra }),
    quiet: !process.env.TEST_VERBOSE,
    onLine: (line) => {
      output.push(line);
      if (line.includes('polling task queue')) polling = true;
    },
  });
  await waitFor(
    () =>
      polling ||
      (worker.child.exitCode !== null ? Promise.reject(new Error('worker exited')) : false),
    {
      what: 'the worker to poll',
    },
  );
  return worker;
}

export interface RunningApi {
  url: string;
  process: Managed;
}

/** Starts the compiled API process on a free port and waits until /health answers 200. */
export async function startApi(extra: Record<string, string> = {}): Promise<RunningApi> {
  const port = await freePort();
  const api = spawnManaged('api', process.execPath, [join(DIST, 'apps/api/src/main.js')], {
    env: appEnv({ API_PORT: String(port), API_HOST: '127.0.0.1', ...extra }),
    quiet: !process.env.TEST_VERBOSE,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (api.child.exitCode !== null) throw new Error('api exited');
      const res = await fetch(`${url}/health`);
      return res.status === 200 || res.status === 503;
    },
    { what: 'the API to answer' },
  );
  return { url, process: api };
}

export function testPool(): Pool {
  return new Pool({ connectionString: requireEnv('TEST_DATABASE_URL'), max: 4 });
}

export async function testClient(): Promise<Client> {
  const connection = await Connection.connect({ address: requireEnv('TEST_TEMPORAL_ADDRESS') });
  return new Client({ connection, namespace: 'default' });
}

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export async function http<T = Record<string, any>>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

/**
 * POSTs a body with node:http, tolerating the server closing the connection before the whole
 * body is written (what a server does when it refuses an oversized body from its length).
 */
export function postIgnoringEarlyClose(
  url: string,
  body: string,
): Promise<{ status: number; body: any }> {
  return new Promise((resolveResponse, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolveResponse({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }),
      );
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    req.end(body);
  });
}

/** The API and worker processes with a database pool and a Temporal client, for e2e suites. */
export interface Platform {
  api: RunningApi;
  worker: Managed;
  pool: Pool;
  client: Client;
  stop(): Promise<void>;
}

export async function startPlatform(
  apiEnv: Record<string, string> = {},
  workerEnv: Record<string, string> = {},
): Promise<Platform> {
  const [worker, api] = await Promise.all([startWorker(workerEnv), startApi(apiEnv)]);
  const pool = testPool();
  const client = await testClient();
  return {
    api,
    worker,
    pool,
    client,
    async stop() {
      await Promise.all([api.process.stop(), worker.stop()]);
      await pool.end();
      await client.connection.close();
    },
  };
}
