import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(1).max(65535);

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
  if (Boolean(c.TEMPORAL_TLS_CERT_PATH) !== Boolean(c.TEMPORAL_TLS_KEY_PATH)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: [c.TEMPORAL_TLS_CERT_PATH ? 'TEMPORAL_TLS_KEY_PATH' : 'TEMPORAL_TLS_CERT_PATH'],
      message: 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together',
    });
  }
});

export type ConfigValues = z.infer<typeof configSchema>;
