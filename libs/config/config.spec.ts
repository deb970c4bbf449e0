import { DEFAULT_FOLLOW_UP_POLICY, followUpPolicyProblems } from '../domain';
import { ConfigError, loadConfig } from './config';
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
