import { loadConfig } from '@libs/config';
import { LANGUAGES } from '@libs/domain';
import { partnerPageSamples } from '../approvals/partner-page.samples';
import {
  API_CSP,
  APPROVAL_PAGE_CSP,
  clientKey,
  contentSecurityPolicy,
  corsDecision,
  DOCS_CSP,
  inlineStyleHashes,
  RateLimiter,
  rateLimitedRoute,
  redactUrl,
  securityHeaders,
  securityOptions,
} from './security';

describe(contentSecurityPolicy.name, () => {
  it('locks JSON, problems and unknown paths down completely', () => {
    for (const path of [
      '/api/v1/partnerships',
      '/health',
      '/nope',
      '/api/docs-json',
      '/a/x/y',
      '/t/x/y',
    ]) {
      expect(contentSecurityPolicy(path)).toBe(API_CSP);
    }
    expect(API_CSP).toContain("default-src 'none'");
    expect(API_CSP).toContain("frame-ancestors 'none'");
  });

  it('gives Swagger UI its own scripts and styles, and nothing from elsewhere', () => {
    expect(contentSecurityPolicy('/api/docs')).toBe(DOCS_CSP);
    expect(contentSecurityPolicy('/api/docs/swagger-ui-bundle.js')).toBe(DOCS_CSP);
    expect(DOCS_CSP).toContain("script-src 'self';");
    expect(DOCS_CSP).not.toMatch(/unsafe-eval|\*|https?:/);
  });

  it('lets the approval page use its own stylesheet and post to itself, and nothing else', () => {
    expect(contentSecurityPolicy('/a/some.token')).toBe(APPROVAL_PAGE_CSP);
    // The partner task page is framed and styled like the approval page.
    expect(contentSecurityPolicy('/t/some.token')).toBe(APPROVAL_PAGE_CSP);
    expect(APPROVAL_PAGE_CSP).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/,
    );
  });

  it('allows the inline style of every approval page in every language, and the pages need nothing else', () => {
    const pages = LANGUAGES.flatMap(partnerPageSamples);
    for (const html of pages) {
      const hashes = inlineStyleHashes(html);
      expect(hashes.length).toBeGreaterThan(0);
      for (const hash of hashes) expect(APPROVAL_PAGE_CSP).toContain(hash);
      // A style attribute, a script or an external resource would be blocked by the policy.
      expect(html).not.toMatch(/\sstyle=|<script|<link|<img|<iframe/i);
    }
  });
});

describe(securityHeaders.name, () => {
  const baseline: [string, string][] = [
    ['content-security-policy', API_CSP],
    ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'no-referrer'],
    ['x-frame-options', 'DENY'],
    ['cross-origin-opener-policy', 'same-origin'],
    ['cross-origin-resource-policy', 'same-origin'],
    ['cache-control', 'no-store'],
  ];
  it.each(baseline)('sends %s: %s', (header, value) => {
    expect(securityHeaders('/api/v1/partnerships', false)[header]).toBe(value);
  });

  it('sends the baseline headers and nothing else without HSTS', () => {
    expect(Object.keys(securityHeaders('/api/v1/partnerships', false)).sort()).toEqual(
      baseline.map(([header]) => header).sort(),
    );
  });

  it('adds Strict-Transport-Security only for an https deployment', () => {
    const db = { NODE_ENV: 'test', DATABASE_URL: 'postgres://u:p@localhost:5432/e' };
    const https = securityOptions(
      loadConfig({ ...db, PUBLIC_BASE_URL: 'https://entente.example' }),
    );
    const http = securityOptions(loadConfig({ ...db, PUBLIC_BASE_URL: 'http://entente.example' }));
    expect(https.hsts).toBe(true);
    expect(http.hsts).toBe(false);
    expect(securityOptions(loadConfig(db)).hsts).toBe(false);
    expect(securityHeaders('/health', true)['strict-transport-security']).toBe('max-age=31536000');
    expect(securityHeaders('/health', false)).not.toHaveProperty('strict-transport-security');
  });
});

describe(corsDecision.name, () => {
  const allowed = new Set(['https://app.example.org']);

  it('is not involved without an Origin header', () => {
    expect(corsDecision(allowed, 'GET', {})).toEqual({ kind: 'none' });
  });

  it('echoes an allowed origin, without credentials', () => {
    const d = corsDecision(allowed, 'GET', { origin: 'https://app.example.org' });
    expect(d).toEqual({
      kind: 'allowed',
      preflight: false,
      headers: {
        'access-control-allow-origin': 'https://app.example.org',
        'access-control-expose-headers': 'Location, Retry-After',
      },
    });
  });

  it('answers an allowed preflight with the methods and headers the API takes', () => {
    const d = corsDecision(allowed, 'OPTIONS', {
      origin: 'https://app.example.org',
      'access-control-request-method': 'POST',
    });
    expect(d.kind).toBe('allowed');
    if (d.kind !== 'allowed') return;
    expect(d.preflight).toBe(true);
    expect(d.headers['access-control-allow-methods']).toBe('GET, POST, PATCH, DELETE');
    expect(d.headers['access-control-allow-headers']).toBe(
      'Authorization, Content-Type, Idempotency-Key, Last-Event-ID',
    );
    expect(d.headers).not.toHaveProperty('access-control-allow-credentials');
  });

  it('refuses another origin, a look-alike and an empty list', () => {
    for (const origin of ['https://evil.example', 'https://app.example.org.evil.example', 'null']) {
      expect(corsDecision(allowed, 'GET', { origin })).toEqual({ kind: 'not-allowed' });
      expect(
        corsDecision(allowed, 'OPTIONS', { origin, 'access-control-request-method': 'GET' }),
      ).toEqual({ kind: 'refused-preflight' });
    }
    expect(corsDecision(new Set(), 'GET', { origin: 'https://app.example.org' })).toEqual({
      kind: 'not-allowed',
    });
  });
});

describe(RateLimiter.name, () => {
  function limiter(perMinute: number) {
    let now = 1_000_000;
    const sut = new RateLimiter(perMinute, () => now);
    return { sut, advance: (ms: number) => (now += ms) };
  }

  it('allows the limit at once, then refuses with the time until the next request fits', () => {
    const { sut } = limiter(3);
    for (let i = 0; i < 3; i++) expect(sut.take('1.2.3.4')).toEqual({ allowed: true });
    expect(sut.take('1.2.3.4')).toEqual({ allowed: false, retryAfterSeconds: 20 });
  });

  it('counts each key on its own', () => {
    const { sut } = limiter(1);
    expect(sut.take('a').allowed).toBe(true);
    expect(sut.take('a').allowed).toBe(false);
    expect(sut.take('b').allowed).toBe(true);
  });

  it('refills evenly over the minute', () => {
    const { sut, advance } = limiter(60);
    for (let i = 0; i < 60; i++) sut.take('k');
    expect(sut.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    advance(1_000);
    expect(sut.take('k').allowed).toBe(true);
    expect(sut.take('k').allowed).toBe(false);
  });

  it('forgets keys whose bucket is full again', () => {
    const { sut, advance } = limiter(10);
    sut.take('a');
    sut.take('b');
    expect(sut.size).toBe(2);
    advance(60_000);
    sut.take('c');
    expect(sut.size).toBe(1);
  });
});

describe(clientKey.name, () => {
  it('keys IPv6 clients by their /64, so one host cannot pick a fresh address per request', () => {
    const key = clientKey('2001:db8:1:2::5');
    expect(key).toBe('2001:db8:1:2::/64');
    for (const same of [
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:0db8:0001:0002:0000:0000:0000:0009',
      '2001:DB8:1:2::abcd',
    ]) {
      expect(clientKey(same)).toBe(key);
    }
    expect(clientKey('2001:db8:1:3::5')).not.toBe(key);
    expect(clientKey('2001:db8:2:2::5')).not.toBe(key);
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });

  it('keys IPv4 clients by their address, also when mapped into IPv6', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('203.0.113.8')).not.toBe(clientKey('203.0.113.7'));
  });

  it('keeps anything it cannot parse as its own key', () => {
    expect(clientKey('')).toBe('');
    expect(clientKey('not an address')).toBe('not an address');
  });
});

describe(rateLimitedRoute.name, () => {
  it.each([
    ['POST', '/api/v1/auth/login', 'login'],
    ['POST', '/api/v1/auth/refresh', 'refresh'],
    ['GET', '/a/:token', 'approval-link'],
    ['HEAD', '/a/:token', 'approval-link'],
    ['POST', '/a/:token', 'approval-link'],
    ['GET', '/a/abc.def', 'approval-link'],
    ['GET', '/t/:token', 'approval-link'],
    ['HEAD', '/t/:token', 'approval-link'],
    ['POST', '/t/:token', 'approval-link'],
    ['POST', '/t/abc.def', 'approval-link'],
    ['GET', '/api/v1/auth/login', undefined],
    ['POST', '/api/v1/partnerships', undefined],
    ['GET', '/health', undefined],
    ['OPTIONS', '/a/:token', undefined],
  ])('%s %s → %s', (method, route, expected) => {
    expect(rateLimitedRoute(method, route)).toBe(expected);
  });
});

describe(redactUrl.name, () => {
  it('hides the approval-link token and credential-like query values', () => {
    expect(redactUrl('/a/eyJhbGciOi.abc.def')).toBe('/a/[redacted]');
    expect(redactUrl('/t/eyJ0IjoiaW50cm8.abc?utm_source=mail')).toBe(
      '/t/[redacted]?utm_source=mail',
    );
    expect(redactUrl('/a/eyJhbGciOi.abc?utm_source=mail')).toBe('/a/[redacted]?utm_source=mail');
    expect(redactUrl('/api/v1/x?page=2&access_token=s3cret&apiKey=k&password=p')).toBe(
      '/api/v1/x?page=2&access_token=[redacted]&apiKey=[redacted]&password=[redacted]',
    );
    expect(redactUrl('/api/v1/partnerships/42/timeline?page=1')).toBe(
      '/api/v1/partnerships/42/timeline?page=1',
    );
  });
});
