import { randomBytes } from 'node:crypto';
import { DEFAULT_FOLLOW_UP_POLICY, followUpPolicyProblems } from '../domain';
import {
  approvalLinkSecret,
  approvalLinkSecrets,
  authTokenSecret,
  ConfigError,
  loadConfig,
} from './config';
import { followUpDefaults } from './config.schema';
import {
  DEV_APPROVAL_LINK_SECRET,
  DEV_AUTH_TOKEN_SECRET,
  SHIPPED_SECRETS,
} from './shipped-secrets';

const valid = { NODE_ENV: 'test', DATABASE_URL: 'postgres://u:p@localhost:5432/entente' };
/** A secret as an operator would generate it. */
const generated = (): string => randomBytes(36).toString('base64');

describe(loadConfig.name, () => {
  it('applies defaults to a minimal environment', () => {
    const config = loadConfig(valid);
    expect(config.API_PORT).toBe(3000);
    expect(config.TEMPORAL_ADDRESS).toBe('localhost:7233');
    expect(config.TEMPORAL_NAMESPACE).toBe('default');
    expect(config.DATABASE_MIGRATE_ON_START).toBe(true);
  });

  it('hashes passwords at N=2^17 by default, and at less only under NODE_ENV=test', () => {
    expect(loadConfig(valid).PASSWORD_HASH_COST).toBe(17);
    expect(loadConfig({ ...valid, PASSWORD_HASH_COST: '10' }).PASSWORD_HASH_COST).toBe(10);
    expect(() =>
      loadConfig({ ...valid, NODE_ENV: 'development', PASSWORD_HASH_COST: '12' }),
    ).toThrow(/PASSWORD_HASH_COST.*at least 17 unless NODE_ENV is test/);
    expect(() => loadConfig({ ...valid, PASSWORD_HASH_COST: '9' })).toThrow(/PASSWORD_HASH_COST/);
  });

  it('names a missing variable', () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL is required/);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({
        ...valid,
        API_PORT: 'eighty',
        TEMPORAL_ADDRESS: 'no-port',
        TEMPORAL_TLS: 'maybe',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^API_PORT /m);
    expect(problems).toMatch(/^TEMPORAL_ADDRESS must be host:port/m);
    expect(problems).toMatch(/^TEMPORAL_TLS /m);
  });

  it('refuses a database URL that is not PostgreSQL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL must be a postgres/,
    );
  });

  it('requires a TLS certificate and key together', () => {
    expect(() => loadConfig({ ...valid, TEMPORAL_TLS_CERT_PATH: '/c.pem' })).toThrow(
      /TEMPORAL_TLS_KEY_PATH/,
    );
  });

  it('defaults webhook retries to 10 s doubling up to 1 h, 10 attempts, 10 s timeout', () => {
    expect(loadConfig(valid)).toMatchObject({
      WEBHOOK_RETRY_INITIAL_MS: 10_000,
      WEBHOOK_RETRY_MAX_INTERVAL_MS: 3_600_000,
      WEBHOOK_MAX_ATTEMPTS: 10,
      WEBHOOK_TIMEOUT_MS: 10_000,
    });
  });

  it('refuses a webhook retry interval cap below the initial interval', () => {
    expect(() =>
      loadConfig({
        ...valid,
        WEBHOOK_RETRY_INITIAL_MS: '5000',
        WEBHOOK_RETRY_MAX_INTERVAL_MS: '1000',
      }),
    ).toThrow(/WEBHOOK_RETRY_MAX_INTERVAL_MS must be at least WEBHOOK_RETRY_INITIAL_MS/);
  });

  it('allows webhooks no internal network by default, and reads the allow-list', () => {
    expect(loadConfig(valid)).toMatchObject({
      WEBHOOK_ALLOWED_NETWORKS: [],
      WEBHOOK_WORKER_MAX_CONCURRENT_ACTIVITIES: 20,
      WEBHOOK_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 10,
    });
    const config = loadConfig({
      ...valid,
      WEBHOOK_ALLOWED_NETWORKS: ' 10.20.0.0/16, ::1 ,127.0.0.1,10.20.0.0/16',
    });
    expect(config.WEBHOOK_ALLOWED_NETWORKS).toEqual(['10.20.0.0/16', '::1', '127.0.0.1']);
  });

  it('refuses an allow-list entry that is not an address or a block, or that allows everything', () => {
    expect(() =>
      loadConfig({ ...valid, WEBHOOK_ALLOWED_NETWORKS: 'localhost,10.0.0.0/8,0.0.0.0/0' }),
    ).toThrow(
      /WEBHOOK_ALLOWED_NETWORKS "localhost" is not an address or a CIDR block[\s\S]*"0.0.0.0\/0" would allow every address/,
    );
  });

  it('bounds the HTTP timeouts and stream limits, and refuses a connection timeout not above the request timeout', () => {
    expect(loadConfig(valid)).toMatchObject({
      API_REQUEST_TIMEOUT_MS: 30_000,
      API_CONNECTION_TIMEOUT_MS: 120_000,
      TEMPORAL_CALL_TIMEOUT_MS: 10_000,
      STREAMS_PER_USER: 10,
      STREAMS_PER_PROCESS: 1_000,
    });
    expect(() =>
      loadConfig({ ...valid, API_REQUEST_TIMEOUT_MS: '5000', API_CONNECTION_TIMEOUT_MS: '5000' }),
    ).toThrow(/API_CONNECTION_TIMEOUT_MS must be longer than API_REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ ...valid, STREAMS_PER_USER: '0' })).toThrow(/STREAMS_PER_USER/);
    expect(() => loadConfig({ ...valid, TEMPORAL_CALL_TIMEOUT_MS: 'soon' })).toThrow(
      /TEMPORAL_CALL_TIMEOUT_MS/,
    );
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ ...valid, API_PORT: '' }).API_PORT).toBe(3000);
  });
});

describe(followUpDefaults.name, () => {
  function problemsOf(env: Record<string, string>): string[] {
    try {
      loadConfig({ ...valid, ...env });
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
    return [];
  }

  it('is the domain default policy when nothing is set (2 working days, then daily, 3 times)', () => {
    const policy = followUpDefaults(loadConfig(valid));
    expect(policy).toEqual(DEFAULT_FOLLOW_UP_POLICY);
    expect(policy.approvals).toEqual({
      firstAfterWorkingMinutes: 1080,
      repeatEveryWorkingMinutes: 540,
      maxReminders: 3,
      escalate: true,
    });
    expect(policy.coordinator).toEqual({ timeZone: 'UTC', language: 'en' });
    expect(followUpPolicyProblems(policy)).toEqual([]);
  });

  it('takes every value the environment sets', () => {
    const policy = followUpDefaults(
      loadConfig({
        ...valid,
        REMINDER_FIRST_AFTER_WORKING_MINUTES: '600',
        REMINDER_REPEAT_WORKING_MINUTES: '480',
        REMINDER_MAX: '5',
        REMINDER_ESCALATE: 'false',
        OVERDUE_TASK_REMINDER_REPEAT_WORKING_MINUTES: '1080',
        OVERDUE_TASK_REMINDER_MAX: '2',
        STALLED_STAGE_WORKING_DAYS: '7',
        STALLED_STAGE_REMINDER_MAX: '1',
        COORDINATOR_TIME_ZONE: 'Europe/Madrid',
        COORDINATOR_LANGUAGE: 'es',
        BILINGUAL_EMAILS: 'true',
      }),
    );
    expect(policy).toEqual({
      approvals: {
        firstAfterWorkingMinutes: 600,
        repeatEveryWorkingMinutes: 480,
        maxReminders: 5,
        escalate: false,
      },
      overdueTasks: { enabled: true, repeatEveryWorkingMinutes: 1080, maxReminders: 2 },
      stalledStage: { enabled: true, afterWorkingDays: 7, maxReminders: 1 },
      coordinator: { timeZone: 'Europe/Madrid', language: 'es' },
      bilingualEmails: true,
    });
  });

  it.each([
    [{ REMINDER_MAX: '0' }, /^REMINDER_MAX must be a positive integer$/],
    [{ REMINDER_MAX: '21' }, /^REMINDER_MAX must be at most 20$/],
    [{ REMINDER_FIRST_AFTER_WORKING_MINUTES: '0' }, /^REMINDER_FIRST_AFTER_WORKING_MINUTES /],
    [
      { REMINDER_FIRST_AFTER_WORKING_MINUTES: '54001' },
      /^REMINDER_FIRST_AFTER_WORKING_MINUTES must be at most 54000/,
    ],
    [{ REMINDER_REPEAT_WORKING_MINUTES: '10' }, /^REMINDER_REPEAT_WORKING_MINUTES .*at least 30/],
    [{ REMINDER_ESCALATE: 'sometimes' }, /^REMINDER_ESCALATE /],
    [{ OVERDUE_TASK_REMINDER_REPEAT_WORKING_MINUTES: '5' }, /^OVERDUE_TASK_REMINDER_REPEAT_/],
    [{ OVERDUE_TASK_REMINDER_MAX: '-1' }, /^OVERDUE_TASK_REMINDER_MAX .*from 1 to 20/],
    [{ STALLED_STAGE_WORKING_DAYS: '400' }, /^STALLED_STAGE_WORKING_DAYS .*from 1 to 100/],
    [{ STALLED_STAGE_REMINDER_MAX: '1.5' }, /^STALLED_STAGE_REMINDER_MAX must be an integer/],
    [{ COORDINATOR_TIME_ZONE: 'Mars/Olympus_Mons' }, /^COORDINATOR_TIME_ZONE must be an IANA/],
    [{ COORDINATOR_LANGUAGE: 'fr' }, /^COORDINATOR_LANGUAGE /],
    [{ BILINGUAL_EMAILS: 'both' }, /^BILINGUAL_EMAILS /],
  ])('refuses %j at start-up, naming the variable', (env, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('names every bad follow-up variable at once', () => {
    const problems = problemsOf({ REMINDER_MAX: '0', STALLED_STAGE_WORKING_DAYS: '0' });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual([
      'REMINDER_MAX',
      'STALLED_STAGE_WORKING_DAYS',
    ]);
  });
});

describe('access-control configuration', () => {
  it('defaults to 15-minute access tokens, 30-day refresh tokens and a 15-minute lock after 5 failures', () => {
    expect(loadConfig(valid)).toMatchObject({
      AUTH_ACCESS_TOKEN_TTL_SECONDS: 900,
      AUTH_REFRESH_TOKEN_TTL_DAYS: 30,
      AUTH_LOCKOUT_THRESHOLD: 5,
      AUTH_LOCKOUT_MINUTES: 15,
    });
    expect(authTokenSecret(loadConfig(valid)).length).toBeGreaterThanOrEqual(32);
  });

  it('caps API tokens at 365 days and logins at 4 checked and 32 waiting by default, within bounds', () => {
    expect(loadConfig(valid)).toMatchObject({
      AUTH_API_TOKEN_MAX_DAYS: 365,
      AUTH_MAX_CONCURRENT_HASHES: 4,
      AUTH_MAX_QUEUED_LOGINS: 32,
    });
    expect(loadConfig({ ...valid, AUTH_MAX_QUEUED_LOGINS: '0' }).AUTH_MAX_QUEUED_LOGINS).toBe(0);
    expect(loadConfig({ ...valid, AUTH_API_TOKEN_MAX_DAYS: '30' }).AUTH_API_TOKEN_MAX_DAYS).toBe(
      30,
    );
    for (const [name, value] of [
      ['AUTH_API_TOKEN_MAX_DAYS', '0'],
      ['AUTH_API_TOKEN_MAX_DAYS', '3651'],
      ['AUTH_API_TOKEN_MAX_DAYS', 'forever'],
      ['AUTH_MAX_CONCURRENT_HASHES', '0'],
      ['AUTH_MAX_CONCURRENT_HASHES', '65'],
      ['AUTH_MAX_QUEUED_LOGINS', '-1'],
    ]) {
      expect(() => loadConfig({ ...valid, [name]: value })).toThrow(new RegExp(name));
    }
  });

  it('wants ADMIN_EMAIL and ADMIN_PASSWORD together, and lower-cases the e-mail', () => {
    expect(() => loadConfig({ ...valid, ADMIN_EMAIL: 'admin@example.org' })).toThrow(
      /ADMIN_PASSWORD ADMIN_EMAIL and ADMIN_PASSWORD must be set together/,
    );
    expect(() => loadConfig({ ...valid, ADMIN_PASSWORD: 'a long enough password' })).toThrow(
      /ADMIN_EMAIL ADMIN_EMAIL and ADMIN_PASSWORD must be set together/,
    );
    expect(() =>
      loadConfig({ ...valid, ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'short' }),
    ).toThrow(/ADMIN_PASSWORD must be at least 12 characters/);
    expect(
      loadConfig({
        ...valid,
        ADMIN_EMAIL: ' Admin@Example.ORG ',
        ADMIN_PASSWORD: 'a long enough password',
      }).ADMIN_EMAIL,
    ).toBe('admin@example.org');
  });
});

describe('signing secrets outside development and test', () => {
  const production = {
    DATABASE_URL: valid.DATABASE_URL,
    NODE_ENV: 'production',
    APPROVAL_LINK_SECRET: generated(),
    AUTH_TOKEN_SECRET: generated(),
  };
  function problemsOf(env: Record<string, string | undefined>): string[] {
    try {
      loadConfig(env);
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
    return [];
  }

  it('starts with two generated secrets of 32+ characters, and signs with them', () => {
    const config = loadConfig(production);
    expect(approvalLinkSecret(config)).toBe(production.APPROVAL_LINK_SECRET);
    expect(authTokenSecret(config)).toBe(production.AUTH_TOKEN_SECRET);
  });

  it.each(['APPROVAL_LINK_SECRET', 'AUTH_TOKEN_SECRET'])('refuses to start without %s', (name) => {
    expect(problemsOf({ ...production, [name]: undefined })).toEqual([
      `${name} is required unless NODE_ENV is development or test`,
    ]);
    expect(problemsOf({ ...production, [name]: '' })).toEqual([
      `${name} is required unless NODE_ENV is development or test`,
    ]);
    expect(problemsOf({ ...production, [name]: 'short' })).toEqual([
      `${name} must be at least 32 characters`,
    ]);
  });

  it('treats an unset NODE_ENV as production, and says so', () => {
    expect(loadConfig({ ...production, NODE_ENV: undefined }).NODE_ENV).toBe('production');
    const problems = problemsOf({ DATABASE_URL: valid.DATABASE_URL });
    expect(problems).toEqual([
      'APPROVAL_LINK_SECRET is required unless NODE_ENV is development or test',
      'AUTH_TOKEN_SECRET is required unless NODE_ENV is development or test',
      expect.stringMatching(/^NODE_ENV is unset, which counts as production/),
    ]);
  });

  it.each(SHIPPED_SECRETS.map((s) => [s]))('refuses the repository’s value %s', (shipped) => {
    for (const name of ['APPROVAL_LINK_SECRET', 'AUTH_TOKEN_SECRET']) {
      const problems = problemsOf({ ...production, [name]: shipped });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${name} is a value that ships in the repository`));
    }
  });

  it.each([
    ['a placeholder', 'change-me-to-a-long-random-secret-of-yours-0001'],
    ['another placeholder', 'REPLACE_WITH_OUTPUT_OF_OPENSSL_RAND_BASE64_48'],
    ['one repeated character', 'a'.repeat(48)],
    ['a typed pattern', '0123'.repeat(12)],
  ])('refuses %s', (_what, value) => {
    const problems = problemsOf({ ...production, AUTH_TOKEN_SECRET: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^AUTH_TOKEN_SECRET (is a value that ships|has fewer than 10)/);
  });

  it('refuses the same secret for links and for access tokens', () => {
    const same = generated();
    expect(
      problemsOf({ ...production, APPROVAL_LINK_SECRET: same, AUTH_TOKEN_SECRET: same }),
    ).toEqual(['AUTH_TOKEN_SECRET must differ from APPROVAL_LINK_SECRET']);
  });

  it('verifies with the current link secret first, then the previous ones; all checked alike', () => {
    const [old1, old2] = [generated(), generated()];
    const config = loadConfig({
      ...production,
      APPROVAL_LINK_PREVIOUS_SECRETS: `${old1}, ${old2}`,
    });
    expect(approvalLinkSecrets(config)).toEqual([production.APPROVAL_LINK_SECRET, old1, old2]);
    expect(
      problemsOf({
        ...production,
        APPROVAL_LINK_PREVIOUS_SECRETS: `${old1},${DEV_APPROVAL_LINK_SECRET}`,
      }),
    ).toEqual([expect.stringMatching(/^APPROVAL_LINK_PREVIOUS_SECRETS is a value that ships/)]);
    expect(
      problemsOf({ ...production, APPROVAL_LINK_PREVIOUS_SECRETS: production.AUTH_TOKEN_SECRET }),
    ).toEqual(['APPROVAL_LINK_PREVIOUS_SECRETS must not contain AUTH_TOKEN_SECRET']);
    expect(problemsOf({ ...production, APPROVAL_LINK_PREVIOUS_SECRETS: 'short' })).toEqual([
      'APPROVAL_LINK_PREVIOUS_SECRETS must be at least 32 characters each',
    ]);
  });

  it.each(['development', 'test'])('runs on the development secrets when NODE_ENV=%s', (env) => {
    const config = loadConfig({ DATABASE_URL: valid.DATABASE_URL, NODE_ENV: env });
    expect(approvalLinkSecret(config)).toBe(DEV_APPROVAL_LINK_SECRET);
    expect(authTokenSecret(config)).toBe(DEV_AUTH_TOKEN_SECRET);
    expect(approvalLinkSecrets(config)).toEqual([DEV_APPROVAL_LINK_SECRET]);
  });
});

describe('hardening configuration', () => {
  it('defaults to no cross-origin access, no trusted proxy, 10 logins and 60 link pages a minute', () => {
    expect(loadConfig(valid)).toMatchObject({
      CORS_ORIGINS: [],
      TRUST_PROXY: false,
      AUTH_RATE_LIMIT_PER_MINUTE: 10,
      LINK_RATE_LIMIT_PER_MINUTE: 60,
    });
  });

  it('reads CORS_ORIGINS as a list of exact origins', () => {
    expect(
      loadConfig({
        ...valid,
        CORS_ORIGINS: 'https://app.example.org, http://localhost:5173,https://app.example.org',
      }).CORS_ORIGINS,
    ).toEqual(['https://app.example.org', 'http://localhost:5173']);
  });

  it.each([
    ['https://app.example.org/', /did you mean https:\/\/app.example.org\?/],
    ['https://app.example.org/path', /no path/],
    ['https://app.example.org:443', /did you mean https:\/\/app.example.org\?/],
    ['https://App.Example.org', /did you mean https:\/\/app.example.org\?/],
    ['app.example.org', /is not an origin/],
    ['*', /is not an origin/],
    ['ftp://files.example.org', /is not an origin/],
  ])('refuses the CORS origin %s', (origin, message) => {
    expect(() => loadConfig({ ...valid, CORS_ORIGINS: origin })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ ...valid, CORS_ORIGINS: origin })).toThrow(message);
  });

  it.each([
    ['false', false],
    ['0', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.1', ['10.0.0.1']],
    ['10.0.0.0/8, fd00::/8', ['10.0.0.0/8', 'fd00::/8']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ ...valid, TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it.each(['maybe', '10.0.0.300', '10.0.0.0/33', 'proxy.internal'])(
    'refuses TRUST_PROXY=%s',
    (value) => {
      expect(() => loadConfig({ ...valid, TRUST_PROXY: value })).toThrow(/TRUST_PROXY must be/);
    },
  );

  it('refuses a rate limit below 1', () => {
    expect(() => loadConfig({ ...valid, LINK_RATE_LIMIT_PER_MINUTE: '0' })).toThrow(
      /LINK_RATE_LIMIT_PER_MINUTE/,
    );
  });
});
