import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SHIPPED_SECRETS } from '@libs/config';
import { startApi, startWorker } from '../support/stack';

const DIST = join(__dirname, '..', '..', 'dist');
const ENTRIES = {
  api: join(DIST, 'apps/api/src/main.js'),
  worker: join(DIST, 'apps/worker/src/main.js'),
};
const generated = (): string => randomBytes(36).toString('base64');

/**
 * Runs the compiled API or worker with exactly `env` (nothing inherited but PATH and HOME) until
 * it exits. The refusals come from the config, before any connection is tried, so these cases
 * need no service: the addresses point nowhere.
 */
function run(
  app: keyof typeof ENTRIES,
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRIES[app]], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none',
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * The API and the worker refuse to start on a secret anyone can know: none set outside
 * development and test, NODE_ENV unset, a value from the repository, or one secret for both uses.
 * Each refusal is a message naming the variable and a non-zero exit, before anything starts.
 */
describe.each(['api', 'worker'] as const)('the %s process at start-up', (app) => {
  const production = {
    NODE_ENV: 'production',
    APPROVAL_LINK_SECRET: generated(),
    AUTH_TOKEN_SECRET: generated(),
  };

  it.each<[string, Record<string, string | undefined>, RegExp[]]>([
    [
      'production without secrets',
      { NODE_ENV: 'production' },
      [
        /APPROVAL_LINK_SECRET is required unless NODE_ENV is development or test/,
        /AUTH_TOKEN_SECRET is required unless NODE_ENV is development or test/,
      ],
    ],
    [
      'no NODE_ENV and no secrets',
      {},
      [/APPROVAL_LINK_SECRET is required/, /NODE_ENV is unset, which counts as production/],
    ],
    [
      'the development link secret from the repository',
      { ...production, APPROVAL_LINK_SECRET: SHIPPED_SECRETS[0] },
      [/APPROVAL_LINK_SECRET is a value that ships in the repository/],
    ],
    [
      'the old compose fallback for access tokens',
      {
        ...production,
        AUTH_TOKEN_SECRET: SHIPPED_SECRETS.find((s) => s.startsWith('change-me-compose-access')),
      },
      [/AUTH_TOKEN_SECRET is a value that ships in the repository/],
    ],
    [
      'the same secret for links and access tokens',
      { ...production, AUTH_TOKEN_SECRET: production.APPROVAL_LINK_SECRET },
      [/AUTH_TOKEN_SECRET must differ from APPROVAL_LINK_SECRET/],
    ],
  ])('refuses %s: names the variable, exits non-zero', async (_case, env, messages) => {
    const { code, output } = await run(app, env);
    expect(code).toBe(1);
    for (const message of messages) expect(output).toMatch(message);
    expect(output).toMatch(/^Invalid configuration:/m);
    expect(output).not.toMatch(/^\s+at /m); // a message for a person, not a stack trace
  });
});

describe('the API and the worker in production with generated secrets', () => {
  it('start, and the API answers', async () => {
    const env = {
      NODE_ENV: 'production',
      APPROVAL_LINK_SECRET: generated(),
      AUTH_TOKEN_SECRET: generated(),
    };
    const [worker, api] = await Promise.all([startWorker(env), startApi(env)]);
    try {
      const health = await fetch(`${api.url}/health`);
      expect(health.status).toBe(200);
    } finally {
      await Promise.all([api.process.stop(), worker.stop()]);
    }
  });
});
