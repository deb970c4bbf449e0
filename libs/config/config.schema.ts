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
import { shippedSecretProblem } from './shipped-secrets';
import { allowedNetworkProblem } from '../webhooks/webhook-destination';

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

/** Comma-separated secrets (base64 and hex have no comma), each 32+ characters. */
const secretList = z.string().transform((value, ctx) => {
  const secrets = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.some((s) => s.length < 32)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be at least 32 characters each' });
  }
  return secrets;
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
 * Comma-separated addresses and CIDR blocks that webhooks may reach although the address rule
 * (libs/webhooks/webhook-destination.ts) refuses them: loopback, private, link-local, CGNAT, ….
 */
const allowedNetworks = z.string().transform((value, ctx) => {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const problem = allowedNetworkProblem(entry);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${entry}" ${problem}` });
  }
  return [...new Set(entries)];
});

/**
 * Every variable the apps accept, before cross-field checks, each with its description (what
 * docs/configuration.md shows: `npm run docs:tables` writes the table from this object, and a
 * test fails when the two differ). Exported so tooling can list the accepted names; parse with
 * `configSchema`, not this.
 */
export const configObject = z.object({
  NODE_ENV: z
    .enum(['development', 'test', 'production'])
    .default('production')
    .describe(
      'Unset counts as `production`, which requires the two secrets below; `npm start` sets `development`, `npm test` sets `test`.',
    ),
  LOG_LEVEL: z
    .enum(['error', 'warn', 'log', 'debug', 'verbose'])
    .default('log')
    .describe('The least severe level written to the log.'),

  API_HOST: z.string().min(1).default('0.0.0.0').describe('Where the API listens.'),
  API_PORT: port.default(3000).describe('Where the API listens.'),
  PUBLIC_BASE_URL: z
    .string()
    .url()
    .optional()
    .describe(
      'The API’s address as people reach it, used in the links we print or send (e-mails); `http://localhost:<API_PORT>` when unset.',
    ),
  API_CREATE_WAIT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(10_000)
    .describe(
      'How long `POST /partnerships` waits for the workflow to record the partnership before it answers `202`.',
    ),
  PARTNERSHIP_TEMPLATE_KEY: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a template key (lower-case letters, digits, _)')
    .default('default')
    .describe(
      'The stage template new partnerships start with: its latest published version (docs/templates.md).',
    ),
  API_REQUEST_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(600_000)
    .default(30_000)
    .describe(
      'How long a client may take to send a whole request (headers and body) before the API answers `408` and closes the connection. Does not limit how long an answer (or an event stream) lasts.',
    ),
  API_CONNECTION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(3_600_000)
    .default(120_000)
    .describe(
      'How long a connection may stay silent in both directions before the API closes it. Event streams are exempt (they send a heartbeat and have their own rules).',
    ),
  API_KEEP_ALIVE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(600_000)
    .default(72_000)
    .describe(
      'How long an idle keep-alive connection is kept open between requests; behind a load balancer, longer than its idle timeout.',
    ),
  TEMPORAL_CALL_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(500)
    .max(120_000)
    .default(10_000)
    .describe(
      'Deadline of each change the API sends to a partnership’s workflow (an update) and of each read (a query): past it the API answers `503 DEPENDENCY_UNAVAILABLE` with `Retry-After`, and a change that had not yet reached the workflow is refused when it gets there later.',
    ),
  TEMPORAL_UPDATE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(600_000)
    .default(60_000)
    .describe(
      'How long the API waits, from the start, for a change the workflow has accepted to be done; past it `503 DEPENDENCY_UNAVAILABLE` with `cause: "accepted"` (the change goes on and is recorded). At least `TEMPORAL_CALL_TIMEOUT_MS`.',
    ),
  STREAMS_PER_USER: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000)
    .default(10)
    .describe(
      'Event streams (`GET /partnerships/:id/events/stream`) one user may hold open on one API process; past it `429` with `Retry-After`.',
    ),
  STREAMS_PER_PROCESS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(1_000)
    .describe(
      'Event streams one API process holds open at most; past it `503` with `Retry-After`.',
    ),
  STREAM_ACCESS_CHECK_MS: z.coerce
    .number()
    .int()
    .min(200)
    .max(300_000)
    .default(5_000)
    .describe(
      'How often each open event stream checks again that its credential is still valid and its user may still read the partnership; a stream whose user lost access (disabled, removed, token revoked or expired) ends within this time.',
    ),
  STREAM_BUFFER_BYTES: z.coerce
    .number()
    .int()
    .min(4_096)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024)
    .describe(
      'Bytes an event stream may hold waiting for a client that does not read; past it the stream is dropped (the client resumes with `Last-Event-ID`).',
    ),
  CORS_ORIGINS: corsOrigins
    .default('')
    .describe(
      'Browser origins allowed to call the API cross-origin, comma-separated (`scheme://host[:port]`); none by default.',
    ),
  TRUST_PROXY: trustProxy
    .default('false')
    .describe(
      'Which proxies may set `X-Forwarded-For`: `false` (the client is the TCP peer), a hop count, proxy IPs/CIDRs, or `true` (only behind a proxy that overwrites the header).',
    ),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(10)
    .describe(
      'Requests per minute and client IP to the login routes (`POST /api/v1/auth/login`, `/auth/session`), and separately to the refresh routes.',
    ),
  LINK_RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(60)
    .describe('Requests per minute and client IP to the partner pages (`/a/:token`, `/t/:token`).'),

  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .describe(
      'PostgreSQL connection string, e.g. `postgres://user:pass@localhost:5432/entente`; `npm start` runs an embedded PostgreSQL when it is unset.',
    ),
  DATABASE_POOL_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .describe('Connections per process.'),
  DATABASE_MIGRATE_ON_START: bool
    .default('true')
    .describe(
      'The API runs pending migrations before it serves, under a PostgreSQL advisory lock.',
    ),

  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'must be host:port')
    .default('localhost:7233')
    .describe(
      'Temporal frontend (`host:port`): the dev server by default, or an external cluster or Temporal Cloud (`<ns>.<acct>.tmprl.cloud:7233`).',
    ),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default').describe('The Temporal namespace.'),
  TEMPORAL_TLS: bool
    .optional()
    .describe('Use TLS to reach Temporal; implied by a client certificate or an API key.'),
  TEMPORAL_TLS_CERT_PATH: z
    .string()
    .min(1)
    .optional()
    .describe('Client certificate for mTLS (with `TEMPORAL_TLS_KEY_PATH`).'),
  TEMPORAL_TLS_KEY_PATH: z
    .string()
    .min(1)
    .optional()
    .describe('Its private key (with `TEMPORAL_TLS_CERT_PATH`).'),
  TEMPORAL_TLS_CA_PATH: z
    .string()
    .min(1)
    .optional()
    .describe('CA certificate that signed the server’s, when it is not a public one.'),
  TEMPORAL_TLS_SERVER_NAME: z
    .string()
    .min(1)
    .optional()
    .describe('Server name to verify the server’s certificate against.'),
  TEMPORAL_API_KEY: z.string().min(1).optional().describe('Temporal Cloud API key; turns TLS on.'),

  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .default('smtp://127.0.0.1:1025')
    .describe('Outgoing e-mail: any SMTP relay (Mailpit, which `npm start` runs, by default).'),
  MAIL_FROM: z
    .string()
    .min(3)
    .default('Entente <no-reply@entente.local>')
    .describe('Sender of every e-mail.'),
  APPROVAL_LINK_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe(
      'HMAC secret that signs the partner pages’ links (32+ characters); **required outside development and test**, where it must also differ from `AUTH_TOKEN_SECRET` and from every value in the repository. A fixed development secret in development and test.',
    ),
  APPROVAL_LINK_PREVIOUS_SECRETS: secretList
    .default('')
    .describe(
      'Rotation: earlier link secrets, comma-separated, that still verify links already sent (they sign nothing). Same rules as `APPROVAL_LINK_SECRET`; drop one once its links have expired.',
    ),
  APPROVAL_LINK_GRACE_HOURS: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 30)
    .default(72)
    .describe('How long an approval link stays valid after the request’s deadline.'),

  // Access tokens are JWTs signed (HS256) with AUTH_TOKEN_SECRET; refresh tokens rotate on use.
  AUTH_TOKEN_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe(
      'Signs access tokens (JWT, HS256; 32+ characters); **required outside development and test**, with the same rules as `APPROVAL_LINK_SECRET`. A fixed development secret in development and test.',
    ),
  AUTH_ACCESS_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(30)
    .max(86_400)
    .default(900)
    .describe('Lifetime of an access token.'),
  AUTH_REFRESH_TOKEN_TTL_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .describe('Lifetime of a refresh token after its last use (each use rotates it).'),
  AUTH_LOCKOUT_THRESHOLD: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(5)
    .describe('Consecutive failed logins that lock an account …'),
  AUTH_LOCKOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1440)
    .default(15)
    .describe('… for this many minutes.'),
  AUTH_API_TOKEN_MAX_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(365)
    .describe(
      'Longest lifetime of a personal API token: a token asked for longer is refused, one asked for without an expiry gets this one, and at start longer expiries are shortened to it.',
    ),
  PASSWORD_HASH_COST: z.coerce
    .number()
    .int()
    .min(10)
    .max(20)
    .default(17)
    .describe(
      'scrypt’s cost for new password hashes, as log2 of N (17: N=2^17, r=8, p=1, OWASP’s; each hash holds 128 MiB, twice that per step up, times AUTH_MAX_CONCURRENT_HASHES). Below 17 only with NODE_ENV=test, where the suite creates and logs in hundreds of users. A login re-hashes a password made at a lower cost; until each user has signed in once after a rise, a wrong password for their account answers faster than one for an unknown e-mail (which is checked at the new cost).',
    ),
  AUTH_MAX_CONCURRENT_HASHES: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(4)
    .describe('Logins one API process checks at once (each runs a 128 MiB scrypt) …'),
  AUTH_MAX_QUEUED_LOGINS: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(32)
    .describe(
      '… and how many more wait their turn; a login past both answers `503 SERVER_BUSY` with `Retry-After`, neither counted nor checked.',
    ),
  ADMIN_EMAIL: z
    .string()
    .trim()
    .toLowerCase()
    .email('must be an e-mail address')
    .optional()
    .describe(
      'The first admin, created at API start when no user has this e-mail (set both or neither; `npm start` sets `admin@entente.local` in development).',
    ),
  ADMIN_PASSWORD: z
    .string()
    .min(12, 'must be at least 12 characters')
    .max(256)
    .optional()
    .describe('The first admin’s password (12 to 256 characters).'),

  // A failed webhook delivery is retried with exponential backoff (coefficient 2); after the last
  // attempt it is marked failed and the partnership's timeline records it.
  WEBHOOK_RETRY_INITIAL_MS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400_000)
    .default(10_000)
    .describe('Webhook retries: the first interval, doubling …'),
  WEBHOOK_RETRY_MAX_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400_000)
    .default(3_600_000)
    .describe('… up to this cap …'),
  WEBHOOK_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .describe('… for at most this many attempts in all.'),
  WEBHOOK_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(25_000)
    .default(10_000)
    .describe(
      'Timeout of one webhook request (at most 25000: below the delivery activity’s 30 s timeout).',
    ),

  WEBHOOK_ALLOWED_NETWORKS: allowedNetworks
    .default('')
    .describe(
      'Internal receivers webhooks may reach: comma-separated addresses or CIDR blocks (`10.20.0.0/16`, `fd00:1::/32`, `127.0.0.1`). Empty by default: only public unicast addresses.',
    ),
  WEBHOOK_WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(20)
    .describe(
      'Webhook requests one worker sends at once (their own task queue, apart from recording and e-mail).',
    ),
  WEBHOOK_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(10)
    .describe('Webhook delivery workflow tasks one worker runs at once.'),

  // Follow-ups: the policy a new partnership starts with (a create request may override parts of
  // it, and the coordinator may change it later). Checked as a whole at start-up by the same
  // rules as a partnership's policy (`followUpPolicyProblems`).
  REMINDER_FIRST_AFTER_WORKING_MINUTES: followUpMinutes
    .default(1080)
    .describe(
      'First reminder to an approver who has not answered, in minutes of their working time (a default working day, 09:00–18:00, is 540).',
    ),
  REMINDER_REPEAT_WORKING_MINUTES: followUpMinutes
    .default(540)
    .describe('Then one reminder every this many working minutes.'),
  REMINDER_MAX: z.coerce
    .number()
    .default(3)
    .describe('At most this many reminders per approver and request.'),
  REMINDER_ESCALATE: bool
    .default('true')
    .describe(
      'After the last reminder (one more interval), tell the coordinator who is still awaited.',
    ),
  OVERDUE_TASK_REMINDER_REPEAT_WORKING_MINUTES: followUpMinutes
    .default(540)
    .describe(
      'Reminders to the assignee of an open task past its due date, every this many working minutes …',
    ),
  OVERDUE_TASK_REMINDER_MAX: z.coerce
    .number()
    .default(3)
    .describe('… at most this many per due date.'),
  STALLED_STAGE_WORKING_DAYS: z.coerce
    .number()
    .default(10)
    .describe(
      'Remind the coordinator when a stage has had no activity for this many working days …',
    ),
  STALLED_STAGE_REMINDER_MAX: z.coerce
    .number()
    .default(3)
    .describe('… at most this many times in a row.'),
  COORDINATOR_TIME_ZONE: z
    .string()
    .refine(isValidTimeZone, 'must be an IANA time-zone name such as Europe/Madrid')
    .default('UTC')
    .describe('The coordinator’s IANA time zone: their reminders go out in its working hours.'),
  COORDINATOR_LANGUAGE: z
    .enum(LANGUAGES)
    .default('en')
    .describe('The language of the coordinator’s e-mails.'),
  BILINGUAL_EMAILS: bool
    .default('false')
    .describe('Every follow-up e-mail in the recipient’s language, followed by an English copy.'),

  CALENDAR_REFRESH_AT: z
    .string()
    .trim()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, 'must be HH:MM (UTC, 00:00 to 23:59) or off')
    .default('02:30')
    .describe(
      'When, each day in UTC, the worker’s Temporal Schedule `calendar-refresh` gives every running partnership its working calendars again (new holiday data, closures, snapshots that would run out); `off` deletes the Schedule. The worker creates or corrects the Schedule at each start.',
    ),
  DIGEST_AT: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^(off|(mon|tue|wed|thu|fri|sat|sun) ([01]\d|2[0-3]):(00|15|30|45))$/,
      'must be "<mon…sun> HH:MM" on a quarter hour (e.g. mon 09:00) or off',
    )
    .default('mon 09:00')
    .describe(
      'When each coordinator gets the weekly digest e-mail, on the wall clock of their own time zone (their profile’s, else `COORDINATOR_TIME_ZONE`). The worker’s Temporal Schedule `weekly-digest` runs every 15 minutes and sends to those whose time it is; `off` deletes the Schedule. See docs/digest.md.',
    ),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(500)
    .describe('The worker’s sticky cache of workflows (memory).'),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(50)
    .describe('Activities one worker runs at once.'),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(40)
    .describe('Workflow tasks one worker runs at once.'),
  WORKER_SHUTDOWN_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(600_000)
    .default(20_000)
    .describe('How long in-flight activities may take to finish on SIGTERM/SIGINT.'),
  WORKER_WORKFLOW_BUNDLE_PATH: z
    .string()
    .min(1)
    .optional()
    .describe(
      'A prebuilt workflow bundle. Unset: `dist/workflow-bundle.js` outside development when it exists (required in production), else the worker bundles `workflows/` itself.',
    ),
});

/**
 * The one place that reads the environment. Every variable is described here; nothing else in the
 * code base touches `process.env` (the start script passes values down to child processes).
 */
export const configSchema = configObject.superRefine((c, ctx) => {
  for (const problem of secretProblems(c)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: [problem.variable],
      message: problem.message,
    });
  }
  if (Boolean(c.ADMIN_EMAIL) !== Boolean(c.ADMIN_PASSWORD)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: [c.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'],
      message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    });
  }
  if (c.PASSWORD_HASH_COST < 17 && c.NODE_ENV !== 'test') {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['PASSWORD_HASH_COST'],
      message: 'must be at least 17 unless NODE_ENV is test',
    });
  }
  if (c.TEMPORAL_UPDATE_TIMEOUT_MS < c.TEMPORAL_CALL_TIMEOUT_MS) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['TEMPORAL_UPDATE_TIMEOUT_MS'],
      message: 'must be at least TEMPORAL_CALL_TIMEOUT_MS',
    });
  }
  // A silent connection closes without an answer: a slow request must get its 408 first.
  if (c.API_CONNECTION_TIMEOUT_MS <= c.API_REQUEST_TIMEOUT_MS) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['API_CONNECTION_TIMEOUT_MS'],
      message: 'must be longer than API_REQUEST_TIMEOUT_MS',
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

/** Environments that may run on the development secrets; anything else is a deployment. */
export function usesDevelopmentSecrets(nodeEnv: z.infer<typeof configObject>['NODE_ENV']): boolean {
  return nodeEnv === 'development' || nodeEnv === 'test';
}

/**
 * Outside development and test, the signing secrets must be set, be the operator's own (no value
 * that ships in the repository) and differ from one another: a token secret that equals a link
 * secret would let one kind of credential be turned into the other.
 */
function secretProblems(c: z.infer<typeof configObject>): { variable: string; message: string }[] {
  if (usesDevelopmentSecrets(c.NODE_ENV)) return [];
  const problems: { variable: string; message: string }[] = [];
  const required = 'is required unless NODE_ENV is development or test';
  if (!c.APPROVAL_LINK_SECRET)
    problems.push({ variable: 'APPROVAL_LINK_SECRET', message: required });
  if (!c.AUTH_TOKEN_SECRET) problems.push({ variable: 'AUTH_TOKEN_SECRET', message: required });
  const named: [string, string | undefined][] = [
    ['APPROVAL_LINK_SECRET', c.APPROVAL_LINK_SECRET],
    ['AUTH_TOKEN_SECRET', c.AUTH_TOKEN_SECRET],
    ...c.APPROVAL_LINK_PREVIOUS_SECRETS.map((s): [string, string] => [
      'APPROVAL_LINK_PREVIOUS_SECRETS',
      s,
    ]),
  ];
  for (const [variable, value] of named) {
    // A short one is already refused for its length.
    const problem = value && value.length >= 32 ? shippedSecretProblem(value) : undefined;
    if (problem) problems.push({ variable, message: problem });
  }
  if (c.AUTH_TOKEN_SECRET && c.AUTH_TOKEN_SECRET === c.APPROVAL_LINK_SECRET) {
    problems.push({
      variable: 'AUTH_TOKEN_SECRET',
      message: 'must differ from APPROVAL_LINK_SECRET',
    });
  }
  if (c.AUTH_TOKEN_SECRET && c.APPROVAL_LINK_PREVIOUS_SECRETS.includes(c.AUTH_TOKEN_SECRET)) {
    problems.push({
      variable: 'APPROVAL_LINK_PREVIOUS_SECRETS',
      message: 'must not contain AUTH_TOKEN_SECRET',
    });
  }
  return problems;
}

/** The follow-up policy field each variable sets (docs/api.md shows it: `npm run docs:tables`). */
export const FOLLOW_UP_VARIABLES: Record<string, keyof z.infer<typeof configObject>> = {
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
