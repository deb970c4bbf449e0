import { isIP } from 'node:net';
import { z } from 'zod';
import {
  DEFAULT_FOLLOW_UP_POLICY,
  FollowUpPolicy,
  followUpPolicyProblems,
  isValidTimeZone,
  LANGUAGES,
  MAX_FOLLOW_UP_WORKING_MINUTES,
  mergeFollowUpPolicy,
} from '../domain';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(1).max(65535);

/** Upper bound of any follow-up duration: the domain's (100 working days of 9 hours). */
export { MAX_FOLLOW_UP_WORKING_MINUTES };

// Integers and ranges are checked by the domain's rules (see `configSchema`), named per variable.
const followUpMinutes = z.coerce.number();

/**
 * Comma-separated exact origins (`scheme://host[:port]`). Compared as strings with the browser's
 * Origin header, so anything the browser would never send (a path, a trailing slash, a default
 * port, upper case) is refused here rather than silently never matching.
 */
const corsOrigins = z.string().transform((value, ctx) => {
  const origins = value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let canonical: string | undefined;
    try {
      const url = new URL(origin);
      if (url.protocol === 'http:' || url.protocol === 'https:') canonical = url.origin;
    } catch {
      // reported below
    }
    if (canonical !== origin) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `"${origin}" is not an origin: use http(s)://host[:port], no path, no trailing slash${canonical ? ` (did you mean ${canonical}?)` : ''}`,
      });
    }
  }
  return [...new Set(origins)];
});

/** An IP address, or a CIDR block (`10.0.0.0/8`, `fd00::/8`). */
function isIpOrCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  const version = isIP(address);
  if (!version || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

/**
 * Which proxies may set X-Forwarded-For (Fastify's `trustProxy`): `false` (the default: the
 * client is the TCP peer), a number of proxy hops, or a comma-separated list of proxy
 * addresses/CIDRs. `true` trusts any sender's X-Forwarded-For, so clients could pick their own
 * IP and escape the per-IP rate limits: only behind a proxy that overwrites the header.
 */
const trustProxy = z.string().transform((value, ctx): boolean | number | string[] => {
  const v = value.trim().toLowerCase();
  if (v === 'false' || v === 'no') return false;
  if (v === 'true' || v === 'yes') return true;
  if (/^\d+$/.test(v)) return Number(v) === 0 ? false : Number(v);
  const addresses = v.split(',').map((a) => a.trim());
  const bad = addresses.filter((a) => !isIpOrCidr(a));
  if (bad.length) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `must be false, true, a number of hops or a list of proxy IPs/CIDRs (not ${bad.join(', ')})`,
    });
  }
  return addresses;
});

/**
 * Every variable the apps accept, before cross-field checks. Exported so tooling (e.g. the compose
 * file test) can list the accepted names; parse with `configSchema`, not this.
 */
export const configObject = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),

  /** HTTP API. */
  API_HOST: z.string().min(1).default('0.0.0.0'),
  API_PORT: port.default(3000),
  /** Public base URL of the API, used in links we print or send. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** How long POST /partnerships waits for the workflow to record the partnership before answering 202. */
  API_CREATE_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  /** Browser origins allowed to call the API cross-origin (comma-separated); none by default. */
  CORS_ORIGINS: corsOrigins.default(''),
  /** See `trustProxy` above; false by default (the API is reached directly). */
  TRUST_PROXY: trustProxy.default('false'),
  /** Requests per minute and client IP to POST /api/v1/auth/login, and separately to /refresh. */
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Requests per minute and client IP to the approval-link pages (GET and POST /a/:token). */
  LINK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),

  /** PostgreSQL connection string, e.g. postgres://user:pass@localhost:5432/entente. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** Run pending migrations when the API starts. */
  DATABASE_MIGRATE_ON_START: bool.default('true'),

  /** Temporal frontend (host:port); the dev server by default. */
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'must be host:port')
    .default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** Use TLS to reach Temporal (implied by a client certificate or an API key). */
  TEMPORAL_TLS: bool.optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CA_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** Temporal Cloud API key. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),

  /** Outgoing e-mail: any SMTP relay (Mailpit in dev and tests). */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().min(3).default('Entente <no-reply@entente.local>'),
  /** HMAC secret of approval links (at least 32 characters); required in production. */
  APPROVAL_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** How long an approval link stays valid after the request's deadline. */
  APPROVAL_LINK_GRACE_HOURS: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 30)
    .default(72),

  /**
   * Accounts and sign-in. Access tokens are JWTs signed (HS256) with AUTH_TOKEN_SECRET, at least
   * 32 characters; required in production. Refresh tokens rotate on every use.
   */
  AUTH_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  AUTH_REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Consecutive failed logins that lock an account, … */
  AUTH_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  /** … for this many minutes. */
  AUTH_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** The first admin: created at API start when no user has this e-mail (set both or neither). */
  ADMIN_EMAIL: z.string().trim().toLowerCase().email('must be an e-mail address').optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').max(256).optional(),

  /**
   * Outgoing webhooks. A failed delivery is retried with exponential backoff (coefficient 2)
   * from the initial interval up to the maximum interval, for at most WEBHOOK_MAX_ATTEMPTS
   * attempts in all; then it is marked failed and the partnership's timeline records it.
   */
  WEBHOOK_RETRY_INITIAL_MS: z.coerce.number().int().min(1).max(86_400_000).default(10_000),
  WEBHOOK_RETRY_MAX_INTERVAL_MS: z.coerce.number().int().min(1).max(86_400_000).default(3_600_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  /** Timeout of one webhook request; below the delivery activity's 30 s start-to-close timeout. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(25_000).default(10_000),

  /**
   * Follow-ups: the policy a new partnership starts with (a create request may override parts of
   * it, and the coordinator may change it later). Durations are minutes of the recipient's working
   * time: a default working day (09:00–18:00) is 540 minutes. Checked as a whole at start-up by
   * the same rules as a partnership's policy (`followUpPolicyProblems`).
   */
  /** First reminder to an approver who has not answered: 2 working days after the request. */
  REMINDER_FIRST_AFTER_WORKING_MINUTES: followUpMinutes.default(1080),
  /** Then one reminder every working day. */
  REMINDER_REPEAT_WORKING_MINUTES: followUpMinutes.default(540),
  /** At most this many reminders per approver and request. */
  REMINDER_MAX: z.coerce.number().default(3),
  /** After the last reminder (one more interval), tell the coordinator who is still awaited. */
  REMINDER_ESCALATE: bool.default('true'),
  /** Reminders to the assignee of an open task past its due date: every working day, … */
  OVERDUE_TASK_REMINDER_REPEAT_WORKING_MINUTES: followUpMinutes.default(540),
  /** … at most this many per due date. */
  OVERDUE_TASK_REMINDER_MAX: z.coerce.number().default(3),
  /** Remind the coordinator when a stage has had no activity for this many working days, … */
  STALLED_STAGE_WORKING_DAYS: z.coerce.number().default(10),
  /** … at most this many times in a row. */
  STALLED_STAGE_REMINDER_MAX: z.coerce.number().default(3),
  /** The coordinator's IANA time zone (their reminders go out in its working hours). */
  COORDINATOR_TIME_ZONE: z
    .string()
    .refine(isValidTimeZone, 'must be an IANA time-zone name such as Europe/Madrid')
    .default('UTC'),
  /** The language of the coordinator's e-mails. */
  COORDINATOR_LANGUAGE: z.enum(LANGUAGES).default('en'),
  /** Every follow-up e-mail in the recipient's language followed by an English copy. */
  BILINGUAL_EMAILS: bool.default('false'),

  /** Worker tuning. */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(500),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(1000).default(50),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(1).max(1000).default(40),
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
  /** Path of the prebuilt workflow bundle; when absent the worker bundles `workflows/` itself. */
  WORKER_WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
});

/**
 * The one place that reads the environment. Every variable is described here; nothing else in the
 * code base touches `process.env` (the start script passes values down to child processes).
 */
export const configSchema = configObject.superRefine((c, ctx) => {
  if (c.NODE_ENV === 'production' && !c.APPROVAL_LINK_SECRET) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['APPROVAL_LINK_SECRET'],
      message: 'is required in production',
    });
  }
  if (c.NODE_ENV === 'production' && !c.AUTH_TOKEN_SECRET) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['AUTH_TOKEN_SECRET'],
      message: 'is required in production',
    });
  }
  if (Boolean(c.ADMIN_EMAIL) !== Boolean(c.ADMIN_PASSWORD)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: [c.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'],
      message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    });
  }
  if (c.WEBHOOK_RETRY_MAX_INTERVAL_MS < c.WEBHOOK_RETRY_INITIAL_MS) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['WEBHOOK_RETRY_MAX_INTERVAL_MS'],
      message: 'must be at least WEBHOOK_RETRY_INITIAL_MS',
    });
  }
  for (const problem of followUpPolicyProblems(followUpDefaults(c))) {
    // "approvals.maxReminders must be …" → "REMINDER_MAX must be …"
    const space = problem.indexOf(' ');
    const variable = FOLLOW_UP_VARIABLES[problem.slice(0, space)];
    // The zone and language are already checked field by field above.
    if (variable === 'COORDINATOR_TIME_ZONE' || variable === 'COORDINATOR_LANGUAGE') continue;
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: variable ? [variable] : [],
      message: variable ? problem.slice(space + 1) : `follow-up policy: ${problem}`,
    });
  }
  if (Boolean(c.TEMPORAL_TLS_CERT_PATH) !== Boolean(c.TEMPORAL_TLS_KEY_PATH)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: [c.TEMPORAL_TLS_CERT_PATH ? 'TEMPORAL_TLS_KEY_PATH' : 'TEMPORAL_TLS_CERT_PATH'],
      message: 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together',
    });
  }
});

export type ConfigValues = z.infer<typeof configSchema>;

/** The follow-up policy field each variable sets. */
const FOLLOW_UP_VARIABLES: Record<string, keyof z.infer<typeof configObject>> = {
  'approvals.firstAfterWorkingMinutes': 'REMINDER_FIRST_AFTER_WORKING_MINUTES',
  'approvals.repeatEveryWorkingMinutes': 'REMINDER_REPEAT_WORKING_MINUTES',
  'approvals.maxReminders': 'REMINDER_MAX',
  'approvals.escalate': 'REMINDER_ESCALATE',
  'overdueTasks.repeatEveryWorkingMinutes': 'OVERDUE_TASK_REMINDER_REPEAT_WORKING_MINUTES',
  'overdueTasks.maxReminders': 'OVERDUE_TASK_REMINDER_MAX',
  'stalledStage.afterWorkingDays': 'STALLED_STAGE_WORKING_DAYS',
  'stalledStage.maxReminders': 'STALLED_STAGE_REMINDER_MAX',
  'coordinator.timeZone': 'COORDINATOR_TIME_ZONE',
  'coordinator.language': 'COORDINATOR_LANGUAGE',
  bilingualEmails: 'BILINGUAL_EMAILS',
};

/**
 * The follow-up policy a new partnership starts with: the domain's defaults with what the
 * environment sets. Valid whenever the config loaded (the schema checks it).
 */
export function followUpDefaults(c: z.infer<typeof configObject>): FollowUpPolicy {
  return mergeFollowUpPolicy(DEFAULT_FOLLOW_UP_POLICY, {
    approvals: {
      firstAfterWorkingMinutes: c.REMINDER_FIRST_AFTER_WORKING_MINUTES,
      repeatEveryWorkingMinutes: c.REMINDER_REPEAT_WORKING_MINUTES,
      maxReminders: c.REMINDER_MAX,
      escalate: c.REMINDER_ESCALATE,
    },
    overdueTasks: {
      repeatEveryWorkingMinutes: c.OVERDUE_TASK_REMINDER_REPEAT_WORKING_MINUTES,
      maxReminders: c.OVERDUE_TASK_REMINDER_MAX,
    },
    stalledStage: {
      afterWorkingDays: c.STALLED_STAGE_WORKING_DAYS,
      maxReminders: c.STALLED_STAGE_REMINDER_MAX,
    },
    coordinator: { timeZone: c.COORDINATOR_TIME_ZONE, language: c.COORDINATOR_LANGUAGE },
    bilingualEmails: c.BILINGUAL_EMAILS,
  });
}
