import { DEFAULT_FOLLOW_UP_POLICY, followUpPolicyProblems } from '../domain';
import { authTokenSecret, ConfigError, loadConfig } from './config';
import { followUpDefaults } from './config.schema';

const valid = { DATABASE_URL: 'postgres://u:p@localhost:5432/entente' };

describe(loadConfig.name, () => {
  it('applies defaults to a minimal environment', () => {
    const config = loadConfig(valid);
    expect(config.API_PORT).toBe(3000);
    expect(config.TEMPORAL_ADDRESS).toBe('localhost:7233');
    expect(config.TEMPORAL_NAMESPACE).toBe('default');
    expect(config.DATABASE_MIGRATE_ON_START).toBe(true);
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

  it('requires AUTH_TOKEN_SECRET (32+ characters) in production', () => {
    const production = {
      ...valid,
      NODE_ENV: 'production',
      APPROVAL_LINK_SECRET: 'a'.repeat(32),
    };
    expect(() => loadConfig(production)).toThrow(/AUTH_TOKEN_SECRET is required in production/);
    expect(() => loadConfig({ ...production, AUTH_TOKEN_SECRET: 'short' })).toThrow(
      /AUTH_TOKEN_SECRET must be at least 32 characters/,
    );
    const config = loadConfig({ ...production, AUTH_TOKEN_SECRET: 's'.repeat(40) });
    expect(authTokenSecret(config)).toBe('s'.repeat(40));
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
