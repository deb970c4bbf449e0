import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import { ConfigValues, publicBaseUrl } from '@libs/config';
import { DomainError, ErrorCode } from '@libs/domain';
import { renderMessagePage } from '../approvals/approval-page';
import { isWebAppPage } from '../web-app/web-app-routes';

/**
 * HTTP hardening of the API process: security headers, the CORS allow-list and per-client rate
 * limits (per IPv4 address or IPv6 /64), as one Fastify `onRequest` hook. A hook rather than @fastify/helmet, @fastify/cors and
 * @fastify/rate-limit: it sets every header on the Node response itself, so the responses that
 * bypass Fastify's reply (the SSE stream writes its own head) carry them too; the CSP differs per
 * route; and a refusal is a DomainError, so it leaves through the problem+json filter like every
 * other error.
 */
export interface SecurityOptions {
  /** Exact origins (CORS_ORIGINS); empty: no cross-origin access. */
  corsOrigins: readonly string[];
  /** Send Strict-Transport-Security (the public base URL is https). */
  hsts: boolean;
  authRateLimitPerMinute: number;
  linkRateLimitPerMinute: number;
}

export function securityOptions(config: ConfigValues): SecurityOptions {
  return {
    corsOrigins: config.CORS_ORIGINS,
    hsts: publicBaseUrl(config).startsWith('https://'),
    authRateLimitPerMinute: config.AUTH_RATE_LIMIT_PER_MINUTE,
    linkRateLimitPerMinute: config.LINK_RATE_LIMIT_PER_MINUTE,
  };
}

// ---------------------------------------------------------------------------------------------
// Security headers

const LOCKED_DOWN = "frame-ancestors 'none'; base-uri 'none'";

/** JSON and problem+json: nothing may load, run or frame. */
export const API_CSP = `default-src 'none'; form-action 'none'; ${LOCKED_DOWN}`;

/** sha256 CSP sources of every inline `<style>` block of an HTML page. */
export function inlineStyleHashes(html: string): string[] {
  return [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    ([, css]) => `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`,
  );
}

/**
 * The approval page: no script at all, its one fixed `<style>` block by hash (every page shares
 * the layout), and its forms post to itself only. Computed from the template, so a change to the
 * page's CSS cannot leave it unstyled.
 */
export const APPROVAL_PAGE_CSP = `default-src 'none'; style-src ${inlineStyleHashes(
  renderMessagePage('en', ''),
).join(' ')}; form-action 'self'; ${LOCKED_DOWN}`;

/**
 * Swagger UI (/api/docs): its scripts, stylesheet and favicons are served by the API itself and
 * the document is embedded in swagger-ui-init.js; it needs inline styles (a `<style>` block and
 * style attributes it generates), data: images in its CSS, and same-origin fetches for
 * "Try it out". No inline script and no eval.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
  `img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'self'; ${LOCKED_DOWN}`;

/**
 * The web app's pages: its own scripts, stylesheets and fonts only (no inline script, no eval, no
 * inline style), fetches to this origin, images from here or data: URLs (icons in CSS).
 */
export const WEB_APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  `font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; ${LOCKED_DOWN}`;

export function contentSecurityPolicy(path: string): string {
  if (isWebAppPage(path)) return WEB_APP_CSP;
  if (/^\/a\/[^/]+$/.test(path)) return APPROVAL_PAGE_CSP;
  // The partner task, event and knowledge pages share the approval page's frame, hence its one
  // style block.
  if (/^\/[tek]\/[^/]+$/.test(path)) return APPROVAL_PAGE_CSP;
  if (path === '/api/docs' || path.startsWith('/api/docs/')) return DOCS_CSP;
  return API_CSP;
}

/** The headers every response gets; a route may still set its own Cache-Control (SSE, assets). */
export function securityHeaders(path: string, hsts: boolean): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(path),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    // API answers and the approval page carry personal data and tokens.
    'cache-control': 'no-store',
    ...(hsts ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// CORS

export const CORS_ALLOWED_METHODS = 'GET, POST, PATCH, DELETE';
export const CORS_ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, Last-Event-ID';
export const CORS_EXPOSED_HEADERS = 'Location, Retry-After';

export type CorsDecision =
  /** No Origin header: not a CORS request. */
  | { kind: 'none' }
  | { kind: 'allowed'; headers: Record<string, string>; preflight: boolean }
  /** A preflight from an origin not on the list: refused (403, no CORS headers). */
  | { kind: 'refused-preflight' }
  /** A simple request from an origin not on the list: answered without CORS headers. */
  | { kind: 'not-allowed' };

export function corsDecision(
  allowed: ReadonlySet<string>,
  method: string,
  headers: FastifyRequest['headers'],
): CorsDecision {
  const origin = headers.origin;
  if (typeof origin !== 'string') return { kind: 'none' };
  const preflight = method === 'OPTIONS' && headers['access-control-request-method'] !== undefined;
  if (!allowed.has(origin))
    return preflight ? { kind: 'refused-preflight' } : { kind: 'not-allowed' };
  // No Access-Control-Allow-Credentials: the API authenticates with a bearer header, not cookies.
  const common = { 'access-control-allow-origin': origin };
  return preflight
    ? {
        kind: 'allowed',
        preflight,
        headers: {
          ...common,
          'access-control-allow-methods': CORS_ALLOWED_METHODS,
          'access-control-allow-headers': CORS_ALLOWED_HEADERS,
          'access-control-max-age': '600',
        },
      }
    : {
        kind: 'allowed',
        preflight,
        headers: { ...common, 'access-control-expose-headers': CORS_EXPOSED_HEADERS },
      };
}

// ---------------------------------------------------------------------------------------------
// Rate limits

/**
 * A token bucket per key: `perMinute` requests at once, refilled evenly over a minute. In memory,
 * so each API process counts on its own. Full buckets are dropped once a minute, which bounds the
 * map by the keys seen in the last minute.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private sweptAt: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
    this.sweptAt = now();
  }

  /** Takes one request from the key's bucket; when empty, how long until the next one fits. */
  take(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.now();
    if (now - this.sweptAt >= 60_000) this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    const tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.perMs);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return { allowed: true };
    }
    this.buckets.set(key, { tokens, at: now });
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)),
    };
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.perMinute) this.buckets.delete(key);
    }
  }
}

/**
 * What a client's requests are counted under (rate limits, failed logins): an IPv4 address as it
 * is; an IPv6 address by its /64, the smallest network a site is given, since one host may hold
 * a whole /64 and send each request from a fresh address; an IPv4-mapped IPv6 address as its IPv4.
 * Anything unparsable is its own key.
 */
export function clientKey(ip: string): string {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.parse(ip);
  } catch {
    return ip;
  }
  if (address.kind() === 'ipv4') return address.toString();
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${v6.parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(':')}::/64`;
}

export type RateLimitedRoute = 'login' | 'refresh' | 'approval-link';

/**
 * Which limit a request counts against. `route` is the matched route pattern (so a
 * percent-encoded path cannot dodge it), or the path when nothing matched.
 */
export function rateLimitedRoute(method: string, route: string): RateLimitedRoute | undefined {
  if (method === 'POST' && (route === '/api/v1/auth/login' || route === '/api/v1/auth/session'))
    return 'login';
  if (
    method === 'POST' &&
    (route === '/api/v1/auth/refresh' || route === '/api/v1/auth/session/refresh')
  )
    return 'refresh';
  if (
    (method === 'GET' || method === 'HEAD' || method === 'POST') &&
    (route === '/a/:token' ||
      route === '/t/:token' ||
      route === '/e/:token' ||
      route === '/k/:token' ||
      /^\/[atek]\/[^/]+$/.test(route))
  ) {
    return 'approval-link';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Logs

const SECRET_PARAMETER = /token|secret|password|passwd|signature|api[-_]?key/i;

/**
 * A request URL fit for a log line: the link token in `/a/`, `/t/`, `/e/` and `/k/<token>` and the values of
 * query parameters that look like credentials are replaced.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).replace(/^\/([atek])\/[^/?#]+/, '/$1/[redacted]');
  if (q === -1) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0];
      return SECRET_PARAMETER.test(name) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

// ---------------------------------------------------------------------------------------------
// The hook

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Adds the hook to the Fastify instance; call before any route is registered. */
export function installSecurity(fastify: FastifyInstance, options: SecurityOptions): void {
  const allowedOrigins = new Set(options.corsOrigins);
  const limiters: Record<RateLimitedRoute, RateLimiter> = {
    login: new RateLimiter(options.authRateLimitPerMinute),
    refresh: new RateLimiter(options.authRateLimitPerMinute),
    'approval-link': new RateLimiter(options.linkRateLimitPerMinute),
  };

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = pathOf(request.url);
    // On the Node response: kept by error responses, and by streams that write their own head.
    const raw = reply.raw;
    for (const [name, value] of Object.entries(securityHeaders(path, options.hsts))) {
      raw.setHeader(name, value);
    }

    if (allowedOrigins.size > 0) raw.setHeader('vary', 'Origin');
    const cors = corsDecision(allowedOrigins, request.method, request.headers);
    if (cors.kind === 'refused-preflight') {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        'Cross-origin requests from this origin are not allowed',
      );
    }
    if (cors.kind === 'allowed') {
      for (const [name, value] of Object.entries(cors.headers)) raw.setHeader(name, value);
      if (cors.preflight) {
        void reply.code(204).header('content-length', '0').send();
        return reply;
      }
    }

    const limited = rateLimitedRoute(request.method, request.routeOptions.url ?? path);
    if (limited) {
      const verdict = limiters[limited].take(clientKey(request.ip));
      if (!verdict.allowed) {
        raw.setHeader('retry-after', String(verdict.retryAfterSeconds));
        throw new DomainError(
          ErrorCode.TOO_MANY_REQUESTS,
          `Too many requests; retry in ${verdict.retryAfterSeconds} s`,
          { retryAfterSeconds: verdict.retryAfterSeconds },
        );
      }
    }
  });
}
