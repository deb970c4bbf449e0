import { createHash, createHmac, randomUUID, scryptSync } from 'node:crypto';
import { Pool } from 'pg';
import { failedLoginDelayMs, signAccessToken } from '@libs/auth';
import { authTokenSecret, loadConfig } from '@libs/config';
import { Managed } from '../../scripts/lib/processes';
import {
  adminToken,
  http,
  login,
  requireEnv,
  RunningApi,
  startApi,
  startWorker,
  testPool,
  TEST_ADMIN_EMAIL,
  TEST_ADMIN_PASSWORD,
  waitFor,
} from '../support/stack';

const THRESHOLD = 5;
const MAX_TOKEN_DAYS = 30;
/** An API token with a ten-year expiry, written before the suite's API starts. */
const LONG_LIVED_TOKEN = randomUUID();
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Accounts, login, tokens and the default-deny guard, against the real API and PostgreSQL. */
describe('access control over HTTP (end to end)', () => {
  let api: RunningApi;
  let worker: Managed;
  let pool: Pool;
  const apiOutput: string[] = [];
  const workerOutput: string[] = [];
  /** Every password and token this suite handled: none may appear in the processes' output. */
  const secrets = new Set<string>([TEST_ADMIN_PASSWORD]);

  beforeAll(async () => {
    pool = testPool();
    const owner = randomUUID();
    await pool.query(
      `INSERT INTO users (id, email, name, role, password_hash) VALUES ($1, $2, 'Old', 'observer', 'x')`,
      [owner, `old-${owner}@example.test`],
    );
    await pool.query(
      `INSERT INTO api_tokens (id, user_id, name, token_hash, expires_at)
       VALUES ($1, $2, 'old', 'x', now() + interval '3650 days')`,
      [LONG_LIVED_TOKEN, owner],
    );
    [worker, api] = await Promise.all([
      startWorker({ LOG_LEVEL: 'debug' }, workerOutput),
      startApi(
        {
          LOG_LEVEL: 'verbose',
          AUTH_LOCKOUT_THRESHOLD: String(THRESHOLD),
          AUTH_LOCKOUT_MINUTES: '15',
          // This suite logs in far more often than a person would; the per-IP limit is not under test.
          AUTH_RATE_LIMIT_PER_MINUTE: '10000',
          // The tests below send X-Forwarded-For to log in from several sources.
          TRUST_PROXY: '127.0.0.1',
          // Room for the concurrent logins below; the cap has its own test and API.
          AUTH_MAX_CONCURRENT_HASHES: '16',
          AUTH_API_TOKEN_MAX_DAYS: String(MAX_TOKEN_DAYS),
        },
        apiOutput,
      ),
    ]);
  });

  afterAll(async () => {
    await Promise.all([api?.process.stop(), worker?.stop()]);
    await pool?.end();
  });

  const v1 = (path: string): string => `${api.url}/api/v1${path}`;

  async function newUser(
    role: 'admin' | 'coordinator' | 'observer',
  ): Promise<{ id: string; email: string; password: string }> {
    const email = `${role}-${randomUUID().slice(0, 8)}@example.test`;
    const password = `pw-${randomUUID()}`;
    secrets.add(password);
    const res = await http('POST', v1('/users'), { email, name: `A ${role}`, role, password });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, email, password };
  }

  async function loggedIn(email: string, password: string): Promise<Record<string, any>> {
    const res = await login(api.url, email, password);
    expect(res.status).toBe(200);
    secrets.add(res.body.accessToken as string).add(res.body.refreshToken as string);
    return res.body;
  }

  const refresh = (refreshToken: string) =>
    http('POST', v1('/auth/refresh'), { refreshToken }, {}, { token: null });

  it('logs in with e-mail and password and calls the API with the access token', async () => {
    const res = await login(api.url, TEST_ADMIN_EMAIL.toUpperCase(), TEST_ADMIN_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    // The test admin is shared by the run: another suite (the fuzzer's PATCH /me) may have chosen
    // a language, a digest zone or no digest for it.
    const { rows } = await pool.query(
      'SELECT language, time_zone, weekly_digest FROM users WHERE email = $1',
      [TEST_ADMIN_EMAIL],
    );
    expect(res.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      refreshExpiresAt: expect.any(String),
      user: {
        id: expect.any(String),
        email: TEST_ADMIN_EMAIL,
        name: expect.any(String),
        role: 'admin',
        language: rows[0].language,
        timeZone: rows[0].time_zone,
        weeklyDigest: rows[0].weekly_digest,
      },
    });
    secrets.add(res.body.accessToken).add(res.body.refreshToken);
    const days = (Date.parse(res.body.refreshExpiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const me = await http('GET', v1('/me'), undefined, {}, { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(res.body.user);
  });

  it('denies by default: no token is 401 with WWW-Authenticate; public routes stay open', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/partnerships'],
      ['POST', '/api/v1/partnerships'],
      ['GET', '/api/v1/webhooks'],
      ['GET', '/api/v1/users'],
      ['GET', '/api/v1/me'],
      ['POST', '/api/v1/auth/logout'],
    ]) {
      const res = await http(method, `${api.url}${path}`, undefined, {}, { token: null });
      expect({ path, status: res.status, code: res.body.code }).toEqual({
        path,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="entente"');
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const garbage = await http('GET', v1('/partnerships'), undefined, {}, { token: 'nonsense' });
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get('www-authenticate')).toBe(
      'Bearer realm="entente", error="invalid_token"',
    );
    // Explicitly public: health, the OpenAPI document and UI, and the partner's approval page.
    expect((await http('GET', `${api.url}/health`, undefined, {}, { token: null })).status).toBe(
      200,
    );
    const doc = await http('GET', `${api.url}/api/docs-json`, undefined, {}, { token: null });
    expect(doc.status).toBe(200);
    expect((await fetch(`${api.url}/api/docs`)).status).toBe(200);
    expect((await fetch(`${api.url}/a/not-a-real-link`)).status).toBe(400); // its own page, not 401
    // The document declares the scheme, requires it by default, and opens the public operations.
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(doc.body.security).toEqual([{ bearer: [] }]);
    expect(doc.body.paths['/api/v1/auth/login'].post.security).toEqual([{}]);
    expect(doc.body.paths['/health'].get.security).toEqual([{}]);
    expect(doc.body.paths['/api/v1/partnerships'].get.security).toBeUndefined(); // the default
  });

  it('gives a wrong password and an unknown e-mail the identical answer', async () => {
    const user = await newUser('coordinator');
    const wrongPassword = await login(api.url, user.email, 'not the password at all');
    const unknownEmail = await login(api.url, `nobody-${randomUUID()}@example.test`, user.password);
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.body).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      detail: 'The e-mail or password is incorrect',
    });
    expect(wrongPassword.headers.get('content-type')).toBe(
      unknownEmail.headers.get('content-type'),
    );
  });

  it('throttles password guessing: growing delays, then a lock that refuses even the right password', async () => {
    const user = await newUser('coordinator');
    // Counted per source: these requests all come from 127.0.0.1.
    const state = async () =>
      (
        await pool.query<{ failed_logins: number; locked_until: Date | null }>(
          `SELECT failed_logins, locked_until FROM login_failures
            WHERE user_id = $1 AND source = '127.0.0.1'`,
          [user.id],
        )
      ).rows[0] ?? { failed_logins: 0, locked_until: null };
    const timedLogin = async (email: string, password: string) => {
      const started = Date.now();
      const res = await login(api.url, email, password);
      return { res, ms: Date.now() - started };
    };

    // The delay after the n-th consecutive failure, less 5 ms for timer and clock granularity.
    const atLeast = (failures: number): number => failedLoginDelayMs(failures) - 5;
    expect(atLeast(THRESHOLD)).toBeGreaterThan(atLeast(1)); // the delays grow
    const durations: number[] = [];
    let first: Record<string, unknown> | undefined;
    for (let attempt = 1; attempt <= THRESHOLD; attempt++) {
      const { res, ms } = await timedLogin(user.email, `guess number ${attempt}`);
      expect(res.status).toBe(401);
      first ??= res.body;
      expect(res.body).toEqual(first);
      durations.push(ms);
      const s = await state();
      expect(s.failed_logins).toBe(attempt);
      expect(s.locked_until === null).toBe(attempt < THRESHOLD);
    }
    // Each refusal waits the delay of its failure count (250 ms a failure): a floor that a busy
    // machine can only add to, never take from; the 5th waits at least 1.25 s.
    expect(durations.map((ms, i) => ms >= atLeast(i + 1))).toEqual(durations.map(() => true));
    const locked = await state();
    const lockMinutes = (locked.locked_until!.getTime() - Date.now()) / 60_000;
    expect(lockMinutes).toBeGreaterThan(14);
    expect(lockMinutes).toBeLessThanOrEqual(15);

    // Locked: the right password gets the very same answer, and counts as one more failure.
    const right = await timedLogin(user.email, user.password);
    expect(right.res.status).toBe(401);
    expect(right.res.body).toEqual(first);
    expect(right.ms).toBeGreaterThanOrEqual(atLeast(THRESHOLD + 1));
    expect((await state()).failed_logins).toBe(THRESHOLD + 1);

    // An unknown e-mail slows down the same way, so the delays do not reveal accounts either.
    const nobody = `nobody-${randomUUID()}@example.test`;
    const unknown: number[] = [];
    for (let attempt = 1; attempt <= THRESHOLD; attempt++) {
      unknown.push((await timedLogin(nobody, 'whatever it is')).ms);
    }
    expect(unknown.map((ms, i) => ms >= atLeast(i + 1))).toEqual(unknown.map(() => true));

    // An admin setting a new password lifts the lock.
    const newPassword = `pw-${randomUUID()}`;
    secrets.add(newPassword);
    const reset = await http('PATCH', v1(`/users/${user.id}`), { password: newPassword });
    expect(reset.status).toBe(200);
    expect(reset.body.lockedUntil).toBeNull();
    expect(await state()).toEqual({ failed_logins: 0, locked_until: null });
    await loggedIn(user.email, newPassword);
  });

  /** A login as if from `ip` (the suite's API trusts X-Forwarded-For from 127.0.0.1). */
  const loginFrom = (ip: string, email: string, password: string) =>
    http(
      'POST',
      v1('/auth/login'),
      { email, password },
      { 'x-forwarded-for': ip },
      { token: null },
    );

  /** Backends of this test database waiting for a lock. */
  const waitingForLocks = async (): Promise<number> =>
    (
      await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE NOT l.granted AND a.datname = current_database()`,
      )
    ).rows[0].n;

  it('counts concurrent guesses one after another: however many arrive at once, the lock holds after the threshold', async () => {
    const user = await newUser('coordinator');
    // The moment is forced: the user's row is held, so every attempt below is in flight at once.
    const holder = await pool.connect();
    let guesses: Promise<{ status: number; body: Record<string, any> }>[] = [];
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [user.id]);
      guesses = Array.from({ length: THRESHOLD }, (_, i) =>
        login(api.url, user.email, `concurrent guess ${i}`),
      );
      await waitFor(async () => (await waitingForLocks()) === THRESHOLD, {
        what: 'the guesses to wait for the row',
      });
      // The right password arrives while the wrong ones are still in flight.
      const right = login(api.url, user.email, user.password);
      guesses.push(right);
      await waitFor(async () => (await waitingForLocks()) === THRESHOLD + 1, {
        what: 'the right password to wait too',
      });
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }
    const answers = await Promise.all(guesses);
    expect(answers.map((a) => a.status)).toEqual(Array(THRESHOLD + 1).fill(401));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    const { rows } = await pool.query(
      'SELECT failed_logins, locked_until > now() AS locked FROM login_failures WHERE user_id = $1',
      [user.id],
    );
    expect(rows).toEqual([{ failed_logins: THRESHOLD + 1, locked: true }]);
  });

  it('locks out only the source of the failures: the owner still signs in from elsewhere', async () => {
    const user = await newUser('admin');
    for (const [attacker, sameNetwork, elsewhere] of [
      ['203.0.113.7', '203.0.113.7', '198.51.100.2'],
      // IPv6: the whole /64 is one source, another /64 is another.
      ['2001:db8:aa:1::1', '2001:db8:aa:1:ffff::2', '2001:db8:aa:2::1'],
    ]) {
      for (let attempt = 1; attempt <= THRESHOLD; attempt++) {
        expect((await loginFrom(attacker, user.email, `guess ${attempt}`)).status).toBe(401);
      }
      const fromAttacker = await loginFrom(sameNetwork, user.email, user.password);
      expect(fromAttacker.status).toBe(401);
      expect(fromAttacker.body.code).toBe('INVALID_CREDENTIALS');
      const fromOwner = await loginFrom(elsewhere, user.email, user.password);
      expect(fromOwner.status).toBe(200);
      secrets.add(fromOwner.body.accessToken).add(fromOwner.body.refreshToken);
    }
    // Admins see the lock; a new password lifts it from every source.
    expect((await http('GET', v1(`/users/${user.id}`))).body.lockedUntil).toEqual(
      expect.any(String),
    );
    const newPassword = `pw-${randomUUID()}`;
    secrets.add(newPassword);
    const reset = await http('PATCH', v1(`/users/${user.id}`), { password: newPassword });
    expect(reset.body.lockedUntil).toBeNull();
    const fromAttacker = await loginFrom('203.0.113.7', user.email, newPassword);
    expect(fromAttacker.status).toBe(200);
    secrets.add(fromAttacker.body.accessToken).add(fromAttacker.body.refreshToken);
  });

  it('answers a disabled account with the right password as a wrong password, and counts it the same', async () => {
    const user = await newUser('coordinator');
    const other = await newUser('coordinator');
    expect((await http('PATCH', v1(`/users/${user.id}`), { disabled: true })).status).toBe(200);
    const source = '192.0.2.44';
    const disabledRight = await loginFrom(source, user.email, user.password);
    const wrong = await loginFrom(source, other.email, 'not the password at all');
    expect(disabledRight.status).toBe(401);
    expect(disabledRight.body).toEqual(wrong.body);
    expect(disabledRight.headers.get('content-type')).toBe(wrong.headers.get('content-type'));
    // The same path as a wrong password (scrypt, counted, delayed), so it also locks the same.
    for (let attempt = 2; attempt <= THRESHOLD; attempt++) {
      expect((await loginFrom(source, user.email, user.password)).status).toBe(401);
    }
    const enabled = await http('PATCH', v1(`/users/${user.id}`), { disabled: false });
    expect(enabled.body.lockedUntil).toEqual(expect.any(String));
    expect((await loginFrom(source, user.email, user.password)).status).toBe(401);
  });

  it('refuses a login past AUTH_MAX_CONCURRENT_HASHES (and AUTH_MAX_QUEUED_LOGINS) with 503 SERVER_BUSY and Retry-After, counting nothing', async () => {
    const busy = await startApi({
      AUTH_MAX_CONCURRENT_HASHES: '1',
      AUTH_MAX_QUEUED_LOGINS: '0',
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    });
    try {
      const user = await newUser('coordinator');
      // The one place is held by a login waiting for the user's row, which the test holds.
      const holder = await pool.connect();
      let first: Promise<{ status: number }> | undefined;
      let second: Promise<{ status: number; headers: Headers; body: Record<string, any> }>;
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [user.id]);
        first = login(busy.url, user.email, 'a wrong guess in flight');
        await waitFor(async () => (await waitingForLocks()) === 1, {
          what: 'the first login to wait for the row',
        });
        second = login(busy.url, user.email, user.password);
        let settled = false;
        void second.then(() => (settled = true));
        // Answered at once, or (without a cap) stuck behind the row like the first.
        await waitFor(async () => settled || (await waitingForLocks()) === 2, {
          what: 'the second login to be answered or to wait',
        });
      } finally {
        await holder.query('COMMIT');
        holder.release();
      }
      const refused = await second;
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ code: 'SERVER_BUSY', status: 503 });
      expect((await first)?.status).toBe(401);
      const { rows } = await pool.query(
        'SELECT failed_logins FROM login_failures WHERE user_id = $1',
        [user.id],
      );
      expect(rows).toEqual([{ failed_logins: 1 }]);
      // With the place free again, the same login goes through.
      const after = await login(busy.url, user.email, user.password);
      expect(after.status).toBe(200);
      secrets.add(after.body.accessToken).add(after.body.refreshToken);
    } finally {
      await busy.process.stop();
    }
  });

  it('upgrades a password hashed with older scrypt parameters at the next login, to the real cost', async () => {
    // The suite's API hashes at a test cost; this one at the default, N=2^17.
    const real = await startApi({ PASSWORD_HASH_COST: '17' });
    try {
      await upgradesAtLogin(real);
    } finally {
      await real.process.stop();
    }
  });

  async function upgradesAtLogin(real: RunningApi): Promise<void> {
    const user = await newUser('observer');
    const hashOf = async () =>
      (await pool.query('SELECT password_hash FROM users WHERE id = $1', [user.id])).rows[0]
        .password_hash as string;
    // Made by the suite's API, at its test cost (test/support/stack.ts).
    expect(await hashOf()).toMatch(/^scrypt\$1024\$8\$1\$/);
    // As the previous release hashed it: N=2^15.
    const salt = Buffer.alloc(16, 3);
    const key = scryptSync(user.password.normalize('NFKC'), salt, 32, {
      N: 2 ** 15,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    });
    const old = `scrypt$32768$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    await pool.query('UPDATE users SET password_hash = $2 WHERE id = $1', [user.id, old]);
    const signIn = async () => {
      const res = await login(real.url, user.email, user.password);
      expect(res.status).toBe(200);
      secrets.add(res.body.accessToken as string).add(res.body.refreshToken as string);
    };
    await signIn();
    const stored = (await pool.query('SELECT password_hash FROM users WHERE id = $1', [user.id]))
      .rows[0].password_hash as string;
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(stored).not.toBe(old);
    await signIn();
  }

  it("ends API tokens on a new password or disabling, and lets admins revoke a user's tokens", async () => {
    const admin = (await http('GET', v1('/me'))).body;
    const user = await newUser('coordinator');
    const newToken = async (password: string): Promise<string> => {
      const { accessToken } = await loggedIn(user.email, password);
      const res = await http(
        'POST',
        v1('/me/api-tokens'),
        { name: 'CI' },
        {},
        { token: accessToken },
      );
      expect(res.status).toBe(201);
      secrets.add(res.body.token);
      return res.body.token as string;
    };
    const works = async (token: string): Promise<number> =>
      (await http('GET', v1('/me'), undefined, {}, { token })).status;

    // A new password.
    const first = await newToken(user.password);
    expect(await works(first)).toBe(200);
    const password = `pw-${randomUUID()}`;
    secrets.add(password);
    expect((await http('PATCH', v1(`/users/${user.id}`), { password })).status).toBe(200);
    expect(await works(first)).toBe(401);

    // Disabling: the token stays dead when the account is enabled again.
    const second = await newToken(password);
    expect((await http('PATCH', v1(`/users/${user.id}`), { disabled: true })).status).toBe(200);
    expect((await http('PATCH', v1(`/users/${user.id}`), { disabled: false })).status).toBe(200);
    expect(await works(second)).toBe(401);

    // An admin revokes them all; the user's session is left alone.
    const session = await loggedIn(user.email, password);
    const [a, b] = [await newToken(password), await newToken(password)];
    const revoked = await http('DELETE', v1(`/users/${user.id}/api-tokens`));
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ revoked: 2 });
    expect([await works(a), await works(b)]).toEqual([401, 401]);
    expect(await works(session.accessToken)).toBe(200);
    expect((await http('DELETE', v1(`/users/${user.id}/api-tokens`))).body).toEqual({
      revoked: 0,
    });
    expect((await http('DELETE', v1(`/users/${randomUUID()}/api-tokens`))).body.code).toBe(
      'USER_NOT_FOUND',
    );
    const byUser = await http(
      'DELETE',
      v1(`/users/${user.id}/api-tokens`),
      undefined,
      {},
      { token: session.accessToken },
    );
    expect(byUser.status).toBe(403);

    const audit = await http('GET', v1('/audit-log?pageSize=100'));
    const entries = audit.body.items.filter(
      (e: { target: string; action: string }) =>
        e.target === `user:${user.id}` && e.action !== 'user.created',
    );
    expect(
      entries.reverse().map((e: { action: string; details: unknown }) => [e.action, e.details]),
    ).toEqual([
      [
        'user.updated',
        { email: user.email, changes: { password: 'changed' }, apiTokensRevoked: 1 },
      ],
      [
        'user.updated',
        {
          email: user.email,
          changes: { disabled: { from: false, to: true } },
          apiTokensRevoked: 1,
        },
      ],
      ['user.updated', { email: user.email, changes: { disabled: { from: true, to: false } } }],
      ['user.api_tokens_revoked', { email: user.email, revoked: 2 }],
      ['user.api_tokens_revoked', { email: user.email, revoked: 0 }],
    ]);
    expect(entries.every((e: { actor: { id: string } }) => e.actor.id === admin.id)).toBe(true);
  });

  it(`gives every API token an expiry of at most AUTH_API_TOKEN_MAX_DAYS (${MAX_TOKEN_DAYS} here)`, async () => {
    const user = await newUser('coordinator');
    const { accessToken } = await loggedIn(user.email, user.password);
    const as = { token: accessToken as string };
    const longer = await http(
      'POST',
      v1('/me/api-tokens'),
      { name: 'too long', expiresInDays: MAX_TOKEN_DAYS + 1 },
      {},
      as,
    );
    expect(longer.status).toBe(400);
    expect(longer.body.errors).toEqual([
      {
        field: 'expiresInDays',
        messages: [`expiresInDays must not be greater than ${MAX_TOKEN_DAYS}`],
      },
    ]);
    expect((await http('GET', v1('/me/api-tokens'), undefined, {}, as)).body).toEqual([]);
    const unsaid = await http('POST', v1('/me/api-tokens'), { name: 'default' }, {}, as);
    expect(unsaid.status).toBe(201);
    secrets.add(unsaid.body.token);
    const days = (Date.parse(unsaid.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(MAX_TOKEN_DAYS - 1);
    expect(days).toBeLessThanOrEqual(MAX_TOKEN_DAYS);
    // A token made under a longer maximum (see beforeAll) was shortened when this API started.
    const { rows } = await pool.query(
      `SELECT expires_at <= now() + interval '${MAX_TOKEN_DAYS} days' AS capped FROM api_tokens WHERE id = $1`,
      [LONG_LIVED_TOKEN],
    );
    expect(rows).toEqual([{ capped: true }]);
  });

  it('rotates refresh tokens: each is single-use and yields a new pair', async () => {
    const user = await newUser('observer');
    const first = await loggedIn(user.email, user.password);
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    secrets.add(second.body.accessToken).add(second.body.refreshToken);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect(second.body.accessToken).not.toBe(first.accessToken);
    expect(second.body.user).toEqual(first.user);
    const me = await http('GET', v1('/me'), undefined, {}, { token: second.body.accessToken });
    expect(me.body.email).toBe(user.email);
    const rows = await pool.query(
      `SELECT token_hash, family_id, used_at, revoked_at FROM refresh_tokens WHERE user_id = $1
       ORDER BY created_at`,
      [user.id],
    );
    expect(rows.rows).toHaveLength(2);
    expect(rows.rows[0].family_id).toBe(rows.rows[1].family_id);
    expect(rows.rows[0].used_at).not.toBeNull();
    expect(rows.rows[1].used_at).toBeNull();
    // Stored as SHA-256 only.
    expect(rows.rows[1].token_hash).toBe(
      createHash('sha256').update(second.body.refreshToken).digest('hex'),
    );
    const unknown = await refresh('A'.repeat(43));
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('detects reuse of a used refresh token and revokes the whole family', async () => {
    const user = await newUser('coordinator');
    const login1 = await loggedIn(user.email, user.password);
    const otherSession = await loggedIn(user.email, user.password);
    const r2 = await refresh(login1.refreshToken);
    const r3 = await refresh(r2.body.refreshToken);
    expect([r2.status, r3.status]).toEqual([200, 200]);
    secrets.add(r2.body.refreshToken).add(r3.body.refreshToken);

    // The first token again: someone holds a copy.
    const reuse = await refresh(login1.refreshToken);
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_INVALID');
    // The newest token of that family is refused too…
    const newest = await refresh(r3.body.refreshToken);
    expect(newest.status).toBe(401);
    const family = await pool.query(
      `SELECT count(*)::int AS total, count(revoked_at)::int AS revoked FROM refresh_tokens
       WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)`,
      [createHash('sha256').update(login1.refreshToken).digest('hex')],
    );
    expect(family.rows[0]).toEqual({ total: 3, revoked: 3 });
    // … while the user's other session is untouched.
    expect((await refresh(otherSession.refreshToken)).status).toBe(200);
    expect(apiOutput.join('\n')).toContain('refresh token reuse detected');
  });

  it('logs out: the session of that refresh token ends', async () => {
    const user = await newUser('observer');
    const session = await loggedIn(user.email, user.password);
    const out = await http(
      'POST',
      v1('/auth/logout'),
      { refreshToken: session.refreshToken },
      {},
      { token: session.accessToken },
    );
    expect(out.status).toBe(204);
    expect((await refresh(session.refreshToken)).status).toBe(401);
  });

  it('issues personal API tokens: shown once, stored hashed, usable, revocable', async () => {
    const user = await newUser('coordinator');
    const session = await loggedIn(user.email, user.password);
    const as = { token: session.accessToken as string };
    const created = await http(
      'POST',
      v1('/me/api-tokens'),
      { name: 'CRM sync', expiresInDays: 30 },
      {},
      as,
    );
    expect(created.status).toBe(201);
    const { id, token } = created.body as { id: string; token: string };
    secrets.add(token);
    expect(token).toMatch(new RegExp(`^ent_pat_${id}_[\\w-]{43}$`));
    expect(created.body).toMatchObject({ name: 'CRM sync', expiresAt: expect.any(String) });

    const list = await http('GET', v1('/me/api-tokens'), undefined, {}, as);
    expect(list.body).toEqual([
      {
        id,
        name: 'CRM sync',
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
        lastUsedAt: null,
      },
    ]);
    expect(JSON.stringify(list.body)).not.toContain(token.slice(-43));
    const row = (await pool.query('SELECT * FROM api_tokens WHERE id = $1', [id])).rows[0];
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token.slice(-43));

    const me = await http('GET', v1('/me'), undefined, {}, { token });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(user.email);
    const lastUsed = (await pool.query('SELECT last_used_at FROM api_tokens WHERE id = $1', [id]))
      .rows[0].last_used_at;
    expect(lastUsed).not.toBeNull();
    // A forged secret with a real id is refused.
    const forged = `ent_pat_${id}_${'A'.repeat(43)}`;
    expect((await http('GET', v1('/me'), undefined, {}, { token: forged })).status).toBe(401);

    // Another user cannot revoke it; its owner can, and then it is refused.
    expect((await http('DELETE', v1(`/me/api-tokens/${id}`))).status).toBe(404);
    expect((await http('DELETE', v1(`/me/api-tokens/${id}`), undefined, {}, as)).status).toBe(204);
    const after = await http('GET', v1('/me'), undefined, {}, { token });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('UNAUTHENTICATED');
    const again = await http('DELETE', v1(`/me/api-tokens/${id}`), undefined, {}, as);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('API_TOKEN_NOT_FOUND');
    expect((await http('GET', v1('/me/api-tokens'), undefined, {}, as)).body).toEqual([]);
  });

  it('refuses a JWT with alg none, another key, another algorithm or past its expiry', async () => {
    const me = await http('GET', v1('/me'));
    const secret = authTokenSecret(
      loadConfig({ DATABASE_URL: requireEnv('TEST_DATABASE_URL'), NODE_ENV: 'test' }),
    );
    const get = (token: string) => http('GET', v1('/me'), undefined, {}, { token });
    // Control: a token the test signs with the API's own (test) key is accepted…
    const genuine = signAccessToken({ sub: me.body.id, role: 'admin' }, secret, { ttlSeconds: 60 });
    expect((await get(genuine.token)).status).toBe(200);
    const claims = genuine.claims;

    // … and every variation of it is not.
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    const hs = (alg: 'sha256' | 'sha512', header: object, key: string) => {
      const input = `${b64(header)}.${b64(claims)}`;
      return `${input}.${createHmac(alg, key).update(input).digest('base64url')}`;
    };
    const otherKey = hs(
      'sha256',
      { alg: 'HS256', typ: 'JWT' },
      'another-key-of-at-least-32-characters!',
    );
    const hs512 = hs('sha512', { alg: 'HS512', typ: 'JWT' }, secret);
    const expired = signAccessToken({ sub: me.body.id, role: 'admin' }, secret, {
      ttlSeconds: 900,
      now: new Date(Date.now() - 3_600_000),
    }).token;
    for (const [what, token] of [
      ['alg none', none],
      ['another key', otherKey],
      ['HS512', hs512],
      ['expired', expired],
    ]) {
      const res = await get(token);
      expect({ what, status: res.status, code: res.body.code }).toEqual({
        what,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it('answers 403 to an observer or coordinator calling an admin route', async () => {
    for (const role of ['observer', 'coordinator'] as const) {
      const user = await newUser(role);
      const { accessToken } = await loggedIn(user.email, user.password);
      const as = { token: accessToken as string };
      expect((await http('GET', v1('/me'), undefined, {}, as)).status).toBe(200);
      for (const [method, path] of [
        ['GET', '/users'],
        ['POST', '/users'],
        ['GET', '/audit-log'],
        ['GET', '/webhooks'],
      ]) {
        const res = await http(method, v1(path), method === 'POST' ? {} : undefined, {}, as);
        expect({ role, path, status: res.status, code: res.body.code }).toEqual({
          role,
          path,
          status: 403,
          code: 'FORBIDDEN',
        });
      }
    }
  });

  it('lets admins manage users, and records every change with its actor', async () => {
    const admin = (await http('GET', v1('/me'))).body;
    const email = `Mixed.Case-${randomUUID().slice(0, 8)}@Example.test`;
    const password = `pw-${randomUUID()}`;
    secrets.add(password);
    const created = await http('POST', v1('/users'), {
      email,
      name: 'Ana',
      role: 'coordinator',
      password,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: email.toLowerCase(),
      name: 'Ana',
      role: 'coordinator',
      disabled: false,
      lockedUntil: null,
    });
    expect(created.body).not.toHaveProperty('passwordHash');
    const id = created.body.id as string;

    const taken = await http('POST', v1('/users'), {
      email: email.toUpperCase(),
      name: 'Ana again',
      role: 'observer',
      password,
    });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('EMAIL_TAKEN');
    const weak = await http('POST', v1('/users'), {
      email: `weak-${randomUUID()}@example.test`,
      name: 'Weak',
      role: 'observer',
      password: 'short',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.errors).toEqual([
      { field: 'password', messages: ['password must be at least 12 characters'] },
    ]);
    const badRole = await http('POST', v1('/users'), {
      email: `x-${randomUUID()}@example.test`,
      name: 'X',
      role: 'superuser',
      password,
    });
    expect(badRole.status).toBe(400);

    expect((await http('GET', v1(`/users/${id}`))).body).toEqual(created.body);
    expect((await http('GET', v1(`/users/${randomUUID()}`))).body.code).toBe('USER_NOT_FOUND');
    expect((await http('GET', v1('/users/not-a-uuid'))).status).toBe(404);
    const page = await http('GET', v1('/users?page=1&pageSize=100'));
    expect(page.body.items.map((u: { id: string }) => u.id)).toContain(id);
    expect((await http('GET', v1('/users?pageSize=101'))).status).toBe(400);

    // The user has a session; disabling them ends it and refuses their logins and tokens.
    const session = await loggedIn(email, password);
    const renamed = await http('PATCH', v1(`/users/${id}`), {
      name: 'Ana García',
      role: 'observer',
    });
    expect(renamed.body).toMatchObject({ name: 'Ana García', role: 'observer' });
    // The role is read from the account on every request, not from the token.
    expect(
      (await http('GET', v1('/me'), undefined, {}, { token: session.accessToken })).body.role,
    ).toBe('observer');
    const disabled = await http('PATCH', v1(`/users/${id}`), { disabled: true });
    expect(disabled.body.disabled).toBe(true);
    expect((await refresh(session.refreshToken)).status).toBe(401);
    expect(
      (await http('GET', v1('/me'), undefined, {}, { token: session.accessToken })).status,
    ).toBe(401);
    const refused = await login(api.url, email, password);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('INVALID_CREDENTIALS');
    expect((await http('PATCH', v1(`/users/${id}`), {})).status).toBe(400);

    const audit = await http('GET', v1('/audit-log?pageSize=100'));
    expect(audit.status).toBe(200);
    const mine = audit.body.items
      .filter((e: { target: string }) => e.target === `user:${id}`)
      .reverse();
    expect(mine).toEqual([
      expect.objectContaining({
        action: 'user.created',
        actor: { id: admin.id, email: admin.email, name: admin.name },
        details: { email: email.toLowerCase(), name: 'Ana', role: 'coordinator', source: 'api' },
      }),
      expect.objectContaining({
        action: 'user.updated',
        actor: expect.objectContaining({ id: admin.id }),
        details: {
          email: email.toLowerCase(),
          changes: {
            name: { from: 'Ana', to: 'Ana García' },
            role: { from: 'coordinator', to: 'observer' },
          },
        },
      }),
      expect.objectContaining({
        action: 'user.updated',
        details: {
          email: email.toLowerCase(),
          changes: { disabled: { from: false, to: true } },
          apiTokensRevoked: 0,
        },
      }),
    ]);
    // The configured first admin was recorded as coming from configuration, with no actor.
    const first = await pool.query(
      `SELECT actor_user_id, details FROM audit_log WHERE action = 'user.created' AND target = $1`,
      [`user:${admin.id}`],
    );
    expect(first.rows).toEqual([
      { actor_user_id: null, details: expect.objectContaining({ source: 'config' }) },
    ]);
  });

  it('never writes a password or token to the API or worker output', async () => {
    // Something was captured (the reuse warning above), so an empty capture cannot pass this.
    expect(apiOutput.length).toBeGreaterThan(0);
    expect(workerOutput.length).toBeGreaterThan(0);
    secrets.add(await adminToken(api.url));
    const output = [...apiOutput, ...workerOutput].join('\n');
    for (const secret of secrets) expect(output.includes(secret)).toBe(false);
    // Nor any password hash.
    expect(output).not.toMatch(/scrypt\$/);
  });
});
