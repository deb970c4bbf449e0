import { gunzipSync } from 'node:zlib';
import { RunningApi, startApi, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD } from '../support/stack';

/**
 * The web app from the API's origin, and its sessions: the refresh token only ever in an
 * httpOnly cookie, rotated on each renewal, the whole session ended on reuse or logout.
 */
describe('web app and web sessions (end to end)', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({ AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  });
  afterAll(async () => {
    await api?.process.stop();
  });

  const session = (path = ''): string => `${api.url}/api/v1/auth/session${path}`;
  const cookieOf = (res: Response): string => {
    const header = res.headers.get('set-cookie') ?? '';
    return header.split(';')[0];
  };
  async function signIn(): Promise<{ res: Response; body: Record<string, any>; cookie: string }> {
    const res = await fetch(session(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: TEST_ADMIN_EMAIL, password: TEST_ADMIN_PASSWORD }),
    });
    return { res, body: (await res.json()) as Record<string, any>, cookie: cookieOf(res) };
  }
  const refresh = (
    cookie: string,
    headers: Record<string, string> = { 'x-entente-session': '1' },
  ) =>
    fetch(session('/refresh'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, ...headers },
      body: '{}',
    });

  it('signs in with the refresh token in an httpOnly, Secure, SameSite=Strict cookie, never in the body', async () => {
    const { res, body } = await signIn();
    expect(res.status).toBe(200);
    expect(body.accessToken).toEqual(expect.any(String));
    expect(body.user).toMatchObject({ email: TEST_ADMIN_EMAIL, role: 'admin' });
    expect(body).not.toHaveProperty('refreshToken');
    expect(JSON.stringify(body)).not.toMatch(/ent_rt_|refresh/i);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^entente_session=[^;]+;/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('Secure');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/api/v1/auth/session');
    expect(res.headers.get('cache-control')).toBe('no-store');
    // The access token works on the API.
    const me = await fetch(`${api.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${body.accessToken}` },
    });
    expect(me.status).toBe(200);
  });

  it('renews from the cookie, rotating it; a reused cookie ends the whole session', async () => {
    const { cookie: first } = await signIn();
    const renewed = await refresh(first);
    expect(renewed.status).toBe(200);
    const second = cookieOf(renewed);
    expect(second).toMatch(/^entente_session=.+/);
    expect(second).not.toBe(first);
    expect(await renewed.json()).not.toHaveProperty('refreshToken');

    // The first cookie again (a copy): refused, and the rotated one dies with it.
    const reused = await refresh(first);
    expect(reused.status).toBe(401);
    expect(((await reused.json()) as { code: string }).code).toBe('REFRESH_TOKEN_INVALID');
    expect(reused.headers.get('set-cookie')).toMatch(/^entente_session=; Max-Age=0/);
    expect((await refresh(second)).status).toBe(401);
  });

  it('refuses renewal and logout without the X-Entente-Session header (a cross-site form cannot send it)', async () => {
    const { cookie } = await signIn();
    const res = await refresh(cookie, {});
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('FORBIDDEN');
    const out = await fetch(session(), { method: 'DELETE', headers: { cookie } });
    expect(out.status).toBe(403);
    // Nothing was used up: the cookie still renews.
    expect((await refresh(cookie)).status).toBe(200);
  });

  it('without a cookie, renewal answers 204: nobody is signed in on this browser', async () => {
    const res = await refresh('');
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('logs out: the cookie is cleared and can no longer renew', async () => {
    const { cookie } = await signIn();
    const out = await fetch(session(), {
      method: 'DELETE',
      headers: { cookie, 'x-entente-session': '1' },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^entente_session=; Max-Age=0/);
    expect((await refresh(cookie)).status).toBe(401);
  });

  it('remembers the language per user; a language Entente does not speak is refused and changes nothing', async () => {
    const { body } = await signIn();
    const auth = {
      authorization: `Bearer ${body.accessToken}`,
      'content-type': 'application/json',
    };
    const patch = (language: unknown) =>
      fetch(`${api.url}/api/v1/me`, {
        method: 'PATCH',
        headers: auth,
        body: JSON.stringify({ language }),
      });
    const set = await patch('zh');
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ language: 'zh' });
    const bad = await patch('fr');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
    const me = await fetch(`${api.url}/api/v1/me`, { headers: auth });
    expect(await me.json()).toMatchObject({ language: 'zh' });
    // A new session carries it, so the app opens in the user's language on any device.
    expect((await signIn()).body.user.language).toBe('zh');
    expect((await patch(null)).status).toBe(200);
    expect((await signIn()).body.user.language).toBeNull();
  });

  it.each([
    '/',
    '/login',
    '/my-work',
    '/partnerships/new',
    '/partnerships/3f1c0000-0000-4000-8000-000000000000',
    '/admin/users',
  ])(
    'serves the app at %s with a strict CSP (own scripts only, no inline, no eval)',
    async (path) => {
      const res = await fetch(`${api.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(csp).toContain("frame-ancestors 'none'");
      const html = await res.text();
      expect(html).toContain('<div id="root"></div>');
      // No inline script: every <script> has a src.
      expect(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g)).toBeNull();
    },
  );

  it('serves the built assets, gzipped when asked, cacheable for good; unknown files and paths get a 404 problem', async () => {
    const html = await (await fetch(`${api.url}/`)).text();
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const plain = await fetch(`${api.url}${script}`, {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(plain.headers.get('cache-control')).toContain('immutable');
    const body = Buffer.from(await plain.arrayBuffer());
    // Node's fetch decodes gzip itself: ask with a raw request to see the encoded bytes.
    const { request } = await import('node:http');
    const gz = await new Promise<{ encoding?: string; bytes: Buffer }>((resolve, reject) => {
      const req = request(
        `${api.url}${script}`,
        { headers: { 'accept-encoding': 'gzip' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              encoding: res.headers['content-encoding'] as string | undefined,
              bytes: Buffer.concat(chunks),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(gz.encoding).toBe('gzip');
    expect(gunzipSync(gz.bytes).equals(body)).toBe(true);

    for (const path of [
      '/assets/nope.js',
      '/assets/..%2Fapps%2Fapi%2Fsrc%2Fmain.js',
      '/nowhere',
      '/partnerships/a/b',
    ]) {
      const res = await fetch(`${api.url}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });
});
