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
    // The test file that started it: test/setup/environment.js kills it if the file forgets to.
    ENTENTE_TEST_SUITE: process.env.ENTENTE_TEST_SUITE ?? '',
    PUBLIC_BASE_URL: 'http://entente.test',
    WORKER_SHUTDOWN_GRACE_MS: '5000',
    // The tests' webhook receivers listen on loopback, which webhooks may reach only when it is
    // allow-listed (test/e2e/webhooks.e2e.spec.ts shows the refusal without it).
    WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1,::1',
    // No daily calendar refresh: its run would send updates to every suite's partnerships while
    // other suites count their histories. test/e2e/calendar-refresh.e2e.spec.ts turns it on.
    CALENDAR_REFRESH_AT: 'off',
    // No weekly digest either: its runs would e-mail every suite's coordinators. Turned on by
    // test/e2e/weekly-digest.e2e.spec.ts.
    DIGEST_AT: 'off',
    // New password hashes at N=2^10, not 2^17: the suite creates and logs in hundreds of users,
    // each hash ~0.6 s of a CPU at the real cost (allowed under NODE_ENV=test only).
    // test/e2e/auth.e2e.spec.ts shows the real cost and the re-hash up to it.
    ...(extra.NODE_ENV === undefined || extra.NODE_ENV === 'test'
      ? { PASSWORD_HASH_COST: '10' }
      : {}),
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
  await untilReady(worker, () =>
    waitFor(
      () =>
        polling ||
        (worker.child.exitCode !== null
          ? Promise.reject(
              new Error(
                `worker exited (${worker.child.exitCode}):\n${output.slice(-20).join('\n')}`,
              ),
            )
          : false),
      {
        what: 'the worker to poll',
      },
    ),
  );
  return worker;
}

/** Waits with `ready`; a process that does not get ready is stopped before the error is thrown. */
async function untilReady<T>(child: Managed, ready: () => Promise<T>): Promise<T> {
  try {
    return await ready();
  } catch (err) {
    await child.stop(5_000);
    throw err;
  }
}

export interface RunningApi {
  url: string;
  process: Managed;
}

/**
 * The admin every API process in the tests creates from ADMIN_EMAIL / ADMIN_PASSWORD (the database
 * is shared by the whole run, so the first API to start creates it). `http()` acts as this admin.
 */
export const TEST_ADMIN_EMAIL = 'admin@entente.test';
export const TEST_ADMIN_PASSWORD = 'test-admin-password-not-secret';

/**
 * Starts the compiled API process on a free port and waits until /health answers 200. Its output
 * lines are appended to `output`.
 */
export async function startApi(
  extra: Record<string, string> = {},
  output: string[] = [],
): Promise<RunningApi> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const api = spawnManaged('api', process.execPath, [join(DIST, 'apps/api/src/main.js')], {
      env: appEnv({
        API_PORT: String(port),
        API_HOST: '127.0.0.1',
        ADMIN_EMAIL: TEST_ADMIN_EMAIL,
        ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
        ...extra,
      }),
      quiet: !process.env.TEST_VERBOSE,
      onLine: (line) => output.push(line),
    });
    const url = `http://127.0.0.1:${port}`;
    const from = output.length;
    const answer = await untilReady(api, () =>
      waitFor(
        async () => {
          if (api.child.exitCode !== null) return 'exited';
          const res = await fetch(`${url}/health`);
          return (res.status === 200 || res.status === 503) && 'ready';
        },
        { what: 'the API to answer' },
      ),
    );
    if (answer === 'ready') return { url, process: api };
    const said = output.slice(from);
    // The free port was taken by another process before the API bound it: try another.
    if (attempt < 3 && said.some((l) => l.includes('EADDRINUSE'))) continue;
    throw new Error(`api exited (${api.child.exitCode}):\n${said.slice(-20).join('\n')}`);
  }
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

/** Logs in over HTTP; the response as it came. */
export async function login(
  apiUrl: string,
  email: string,
  password: string,
): Promise<JsonResponse<Record<string, any>>> {
  return http(
    'POST',
    `${new URL(apiUrl).origin}/api/v1/auth/login`,
    { email, password },
    {},
    {
      token: null,
    },
  );
}

/** Access tokens of the test admin, per API origin, until shortly before they expire. */
const adminTokens = new Map<string, { token: string; renewAt: number }>();

/** An access token of the test admin on the API at `apiUrl` (logs in once, then reuses it). */
export async function adminToken(apiUrl: string): Promise<string> {
  const origin = new URL(apiUrl).origin;
  const cached = adminTokens.get(origin);
  if (cached && cached.renewAt > Date.now()) return cached.token;
  const res = await login(origin, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD);
  if (res.status !== 200) {
    throw new Error(
      `test admin login on ${origin} failed: ${res.status} ${JSON.stringify(res.body)}`,
    );
  }
  const token = res.body.accessToken as string;
  const renewAt = Date.now() + ((res.body.expiresIn as number) - 60) * 1000;
  adminTokens.set(origin, { token, renewAt });
  return token;
}

export interface HttpOptions {
  /**
   * The bearer token to send. Default: the test admin's access token for that API; `null` sends
   * no Authorization header. An `authorization` entry in `headers` wins over both.
   */
  token?: string | null;
}

/** JSON over HTTP to the API, as the test admin unless `options.token` says otherwise. */
export async function http<T = Record<string, any>>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
  options: HttpOptions = {},
): Promise<JsonResponse<T>> {
  const token = options.token === undefined ? await adminToken(url) : options.token;
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  headers = { ...auth, ...headers };
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
 * body is written (what a server does when it refuses an oversized body from its length). The
 * headers go first; the body follows only if no answer came within `headersFirstMs`, so that a
 * refusal from the length alone is read before any write can fail on the closed connection.
 */
export async function postIgnoringEarlyClose(
  url: string,
  body: string,
  headersFirstMs = 2_000,
): Promise<{ status: number; body: any }> {
  const token = await adminToken(url);
  return new Promise((resolveResponse, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        authorization: `Bearer ${token}`,
      },
    });
    let answered = false;
    const sendBody = setTimeout(() => req.end(body), headersFirstMs);
    req.on('response', (res) => {
      answered = true;
      clearTimeout(sendBody);
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        resolveResponse({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        req.destroy();
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    req.on('close', () => {
      clearTimeout(sendBody);
      if (!answered) reject(new Error('the server closed the connection without an answer'));
    });
    req.flushHeaders();
  });
}

/** The API and worker processes with a database pool and a Temporal client, for e2e suites. */
export interface Platform {
  api: RunningApi;
  worker: Managed;
  pool: Pool;
  client: Client;
  /** The API's and the worker's output lines so far (for a failing test to show). */
  output: { api: string[]; worker: string[] };
  stop(): Promise<void>;
}

export async function startPlatform(
  apiEnv: Record<string, string> = {},
  workerEnv: Record<string, string> = {},
): Promise<Platform> {
  const output = { api: [] as string[], worker: [] as string[] };
  const started = await Promise.allSettled([
    startWorker(workerEnv, output.worker),
    startApi(apiEnv, output.api),
  ]);
  if (started[0].status === 'rejected' || started[1].status === 'rejected') {
    // Nothing of a platform that did not start outlives the attempt.
    await Promise.all([
      started[0].status === 'fulfilled' ? started[0].value.stop() : undefined,
      started[1].status === 'fulfilled' ? started[1].value.process.stop() : undefined,
    ]);
    throw started[0].status === 'rejected'
      ? started[0].reason
      : (started[1] as PromiseRejectedResult).reason;
  }
  const [worker, api] = [started[0].value, started[1].value];
  const pool = testPool();
  const client = await testClient();
  const platform: Platform = {
    api,
    worker,
    pool,
    client,
    output,
    async stop() {
      // The worker now, which a test may have replaced (stopped and started again).
      await Promise.all([platform.api.process.stop(), platform.worker.stop()]);
      await pool.end();
      await client.connection.close();
    },
  };
  return platform;
}
