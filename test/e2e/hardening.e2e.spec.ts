import { createHash } from 'node:crypto';
import { IncomingHttpHeaders, request } from 'node:http';
import { foundingCaseRequest } from '../support/fixtures';
import { adminToken, http, Platform, RunningApi, startApi, startPlatform } from '../support/stack';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: Record<string, any> | undefined;
}

/**
 * One request with node:http: any header (Origin, X-Forwarded-For), and tolerant of the server
 * closing the connection before a large body is written (what it does when it refuses one).
 */
function raw(
  method: string,
  url: string,
  { headers = {}, body }: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method,
      headers:
        body === undefined ? headers : { 'content-length': Buffer.byteLength(body), ...headers },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const type = res.headers['content-type'] ?? '';
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json: type.includes('json') && text ? JSON.parse(text) : undefined,
        });
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    req.end(body);
  });
}

function expectSecurityHeaders(res: RawResponse): void {
  expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
  expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers).not.toHaveProperty('x-powered-by');
  expect(res.headers).not.toHaveProperty('server');
}

const APP = 'https://app.example.org';
const EVIL = 'https://evil.example';

/** Everything real: the compiled API (twice, differently configured) and worker processes. */
describe('hardening (end to end)', () => {
  let platform: Platform;
  let api: RunningApi;
  /** CORS allow-list, low rate limits, an https public URL. */
  let guarded: RunningApi;
  const guardedOutput: string[] = [];

  beforeAll(async () => {
    [platform, guarded] = await Promise.all([
      startPlatform(),
      startApi(
        {
          CORS_ORIGINS: `${APP},http://localhost:5173`,
          LINK_RATE_LIMIT_PER_MINUTE: '3',
          AUTH_RATE_LIMIT_PER_MINUTE: '2',
          PUBLIC_BASE_URL: 'https://entente.test',
          // Everything the process would log, to check below that no secret is among it.
          LOG_LEVEL: 'verbose',
        },
        guardedOutput,
      ),
    ]);
    api = platform.api;
  });

  afterAll(async () => {
    await Promise.all([platform?.stop(), guarded?.process.stop()]);
  });

  describe('security headers', () => {
    it('are on /health, with the locked-down CSP and no HSTS over http', async () => {
      const res = await raw('GET', `${api.url}/health`);
      expect(res.status).toBe(200);
      expectSecurityHeaders(res);
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
      );
      expect(res.headers).not.toHaveProperty('strict-transport-security');
    });

    it('add Strict-Transport-Security when the public URL is https', async () => {
      const res = await raw('GET', `${guarded.url}/health`);
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    });

    it('are on a 404 problem', async () => {
      const res = await raw('GET', `${api.url}/api/v1/nothing-here`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expectSecurityHeaders(res);
    });

    it('are on the approval page, whose CSP allows exactly its own inline style', async () => {
      const res = await raw('GET', `${api.url}/a/not-a-real-token`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('text/html');
      expectSecurityHeaders(res);
      const styles = [...res.text.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(([, css]) => css);
      expect(styles).toHaveLength(1);
      const hash = createHash('sha256').update(styles[0], 'utf8').digest('base64');
      expect(res.headers['content-security-policy']).toBe(
        `default-src 'none'; style-src 'sha256-${hash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      );
      expect(res.text).not.toMatch(/<script|\sstyle=/);
    });

    it('let Swagger UI load its own scripts and styles, and nothing inline but styles', async () => {
      const res = await raw('GET', `${api.url}/api/docs`);
      expect(res.status).toBe(200);
      const csp = res.headers['content-security-policy'] ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("img-src 'self' data:");
      // Every script is an external same-origin file: nothing needs 'unsafe-inline' scripts.
      const scripts = [...res.text.matchAll(/<script([^>]*)>/g)].map(([, attrs]) => attrs);
      expect(scripts.length).toBeGreaterThan(0);
      for (const attrs of scripts) {
        expect(attrs).toMatch(/^\s*src=["'](?!https?:|\/\/)[^"']+\.js["']\s*$/);
      }
      const init = await raw('GET', `${api.url}/api/docs/swagger-ui-init.js`);
      expect(init.status).toBe(200);
      expect(init.headers['content-security-policy']).toBe(csp);
    });
  });

  describe('CORS', () => {
    it('echoes an allowed origin, without credentials, and varies on Origin', async () => {
      const res = await raw('GET', `${guarded.url}/health`, { headers: { origin: APP } });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe(APP);
      expect(res.headers.vary).toMatch(/\bOrigin\b/);
      expect(res.headers).not.toHaveProperty('access-control-allow-credentials');
    });

    it('gives another origin no CORS header', async () => {
      for (const origin of [EVIL, `${APP}.evil.example`, 'null']) {
        const res = await raw('GET', `${guarded.url}/health`, { headers: { origin } });
        expect(res.status).toBe(200);
        expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      }
    });

    it('answers an allowed preflight with the methods and headers the API takes', async () => {
      const res = await raw('OPTIONS', `${guarded.url}/api/v1/partnerships`, {
        headers: {
          origin: APP,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type, idempotency-key',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(APP);
      expect(res.headers['access-control-allow-methods']).toBe('GET, POST, PATCH, DELETE');
      expect(res.headers['access-control-allow-headers']).toMatch(
        /^Authorization, Content-Type, Idempotency-Key/,
      );
      expect(res.headers).not.toHaveProperty('access-control-allow-credentials');
    });

    it('refuses a preflight from another origin with 403 and no CORS header', async () => {
      const res = await raw('OPTIONS', `${guarded.url}/api/v1/partnerships`, {
        headers: { origin: EVIL, 'access-control-request-method': 'POST' },
      });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      expectSecurityHeaders(res);
    });

    it('allows no origin at all by default', async () => {
      const simple = await raw('GET', `${api.url}/health`, { headers: { origin: APP } });
      expect(simple.headers).not.toHaveProperty('access-control-allow-origin');
      const preflight = await raw('OPTIONS', `${api.url}/api/v1/partnerships`, {
        headers: { origin: APP, 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(403);
      expect(preflight.headers).not.toHaveProperty('access-control-allow-origin');
    });
  });

  describe('rate limits (per client IP, LINK 3/min and AUTH 2/min on this API)', () => {
    it('answer the approval link with 429 problem+json and Retry-After past the limit', async () => {
      const link = `${guarded.url}/a/garbage-token`;
      for (let i = 0; i < 3; i++) expect((await raw('GET', link)).status).toBe(400);
      const limited = await raw('GET', link);
      expect(limited.status).toBe(429);
      expect(limited.headers['content-type']).toContain('application/problem+json');
      expect(limited.json).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expectSecurityHeaders(limited);

      // GET and POST share the bucket; another token does not reset it.
      const post = await raw('POST', `${guarded.url}/a/another-token`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'decision=approve',
      });
      expect(post.status).toBe(429);
      // TRUST_PROXY is false: a client cannot pick its own IP with X-Forwarded-For.
      const spoofed = await raw('GET', link, { headers: { 'x-forwarded-for': '203.0.113.7' } });
      expect(spoofed.status).toBe(429);
      // Other routes are not limited.
      expect((await raw('GET', `${guarded.url}/health`)).status).toBe(200);
    });

    it('limit login and refresh, each on its own', async () => {
      const login = (): Promise<RawResponse> =>
        raw('POST', `${guarded.url}/api/v1/auth/login`, {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'nobody@example.org', password: 'wrong password 123' }),
        });
      const started = Date.now();
      expect((await login()).status).not.toBe(429);
      expect((await login()).status).not.toBe(429);
      const limited = await login();
      expect(limited.status).toBe(429);
      expect(limited.json).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
      // 2 a minute: a token comes back every 30 s, so the wait is at most 30 s, and at least 30 s
      // less the time the three logins took (however slow the machine made them).
      const elapsed = Math.ceil((Date.now() - started) / 1000);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeLessThanOrEqual(30);
      expect(retryAfter).toBeGreaterThanOrEqual(Math.max(1, 30 - elapsed));

      const refresh = await raw('POST', `${guarded.url}/api/v1/auth/refresh`, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: 'not-a-token' }),
      });
      expect(refresh.status).not.toBe(429);
    });
  });

  describe('logs', () => {
    it('carry no approval-link token, password or refresh token of the requests above', () => {
      expect(guardedOutput.length).toBeGreaterThan(0);
      const log = guardedOutput.join('\n');
      for (const secret of [
        'garbage-token',
        'another-token',
        'wrong password 123',
        'not-a-token',
      ]) {
        expect(log).not.toContain(secret);
      }
    });
  });

  describe('body size', () => {
    it('answers an oversized body with 413 problem+json and records nothing, on the API and on the approval page', async () => {
      // A valid create by the admin, oversized only by trailing whitespace (still valid JSON):
      // were the limit not applied, it would be recorded.
      const request = foundingCaseRequest();
      const json = await raw('POST', `${api.url}/api/v1/partnerships`, {
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await adminToken(api.url)}`,
        },
        body: JSON.stringify(request) + ' '.repeat(1024 * 1024),
      });
      expect(json.status).toBe(413);
      expect(json.headers['content-type']).toContain('application/problem+json');
      expect(json.json).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
      expectSecurityHeaders(json);
      const written = await platform.pool.query(
        `SELECT (SELECT count(*) FROM partnerships WHERE title = $1)::int AS partnerships,
                (SELECT count(*) FROM organisations WHERE name = ANY($2))::int AS organisations`,
        [request.title, request.organisations.map((o: { name: string }) => o.name)],
      );
      expect(written.rows[0]).toEqual({ partnerships: 0, organisations: 0 });

      const form = await raw('POST', `${api.url}/a/some-token`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `decision=approve&comment=${'x'.repeat(1024 * 1024)}`,
      });
      expect(form.status).toBe(413);
      expect(form.json).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    });
  });

  describe('query whitelist and page bounds', () => {
    let partnershipId: string;
    let webhookId: string;

    beforeAll(async () => {
      const created = await http('POST', `${api.url}/api/v1/partnerships`, foundingCaseRequest());
      expect(created.status).toBe(201);
      partnershipId = created.body.id;
      const webhook = await http('POST', `${api.url}/api/v1/webhooks`, {
        url: 'http://127.0.0.1:9/hardening',
        secret: 'hardening-secret-0123456789',
        eventTypes: ['stage.advanced'],
        // Only this suite's partnership: other suites count their own deliveries.
        partnershipIds: [partnershipId],
      });
      expect(webhook.status).toBe(201);
      webhookId = webhook.body.id;
    });

    afterAll(async () => {
      if (webhookId) await http('DELETE', `${api.url}/api/v1/webhooks/${webhookId}`);
    });

    const lists = (): Array<[string, string, boolean]> => [
      ['partnerships', '/api/v1/partnerships', true],
      ['timeline', `/api/v1/partnerships/${partnershipId}/timeline`, true],
      ['approvals', `/api/v1/partnerships/${partnershipId}/approvals`, true],
      ['webhooks', '/api/v1/webhooks', true],
      ['deliveries', `/api/v1/webhooks/${webhookId}/deliveries`, true],
    ];

    it('refuses an unknown query parameter on every list', async () => {
      for (const [name, path] of lists()) {
        const ok = await http('GET', `${api.url}${path}`);
        expect([name, ok.status]).toEqual([name, 200]);
        const res = await http('GET', `${api.url}${path}?sneaky=1`);
        expect([name, res.status]).toEqual([name, 400]);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          errors: [{ field: 'sneaky', messages: ['sneaky is not an accepted field'] }],
        });
      }
    });

    it('bounds every paged list at pageSize 100', async () => {
      for (const [name, path, paged] of lists()) {
        if (!paged) continue;
        const max = await http('GET', `${api.url}${path}?pageSize=100`);
        expect([name, max.status, max.body.pageSize]).toEqual([name, 200, 100]);
        const over = await http('GET', `${api.url}${path}?pageSize=101`);
        expect([name, over.status]).toEqual([name, 400]);
        expect(over.body.errors).toEqual([
          { field: 'pageSize', messages: ['pageSize must not be greater than 100'] },
        ]);
      }
    });
  });
});
