import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DATA_DIR } from './database-url';

/** The admin `npm start` creates in development. */
export const DEV_ADMIN_EMAIL = 'admin@entente.local';
export const DEV_ADMIN_PASSWORD_FILE = join(DATA_DIR, 'admin-password');

/**
 * The development admin's password: generated once into `.data/admin-password` (mode 600, like
 * an SSH key), then reused, so the admin that the first `npm start` created keeps working.
 */
export function devAdminPassword(file = DEV_ADMIN_PASSWORD_FILE): string {
  if (existsSync(file)) {
    return readFileSync(file, 'utf8').trim();
  }
  mkdirSync(dirname(file), { recursive: true });
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}

/**
 * Who the developer tools (seed, bench) log in as: ADMIN_EMAIL / ADMIN_PASSWORD when set, else
 * the development admin of `npm start` (its password file must exist).
 */
export function toolCredentials(): { email: string; password: string } {
  if (process.env.ADMIN_EMAIL && process.env.ADMIN_PASSWORD) {
    return { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD };
  }
  if (!existsSync(DEV_ADMIN_PASSWORD_FILE)) {
    throw new Error(
      'No credentials: set ADMIN_EMAIL and ADMIN_PASSWORD, or run `npm start` once (it creates the dev admin)',
    );
  }
  return { email: DEV_ADMIN_EMAIL, password: devAdminPassword() };
}

/**
 * A logged-in session against a running API: `authorization()` gives the header value, logging in
 * again shortly before the access token expires (long benchmark runs outlive one token).
 */
export class ApiSession {
  private cached: { token: string; renewAt: number } | undefined;
  private pending: Promise<{ token: string; renewAt: number }> | undefined;

  constructor(
    private readonly apiUrl: string,
    private readonly credentials: () => { email: string; password: string } = toolCredentials,
  ) {}

  async authorization(): Promise<string> {
    if (!this.cached || this.cached.renewAt <= Date.now()) {
      // One login at a time, however many requests are waiting for it.
      this.pending ??= this.login().finally(() => (this.pending = undefined));
      this.cached = await this.pending;
    }
    return `Bearer ${this.cached.token}`;
  }

  private async login(): Promise<{ token: string; renewAt: number }> {
    const url = `${this.apiUrl.replace(/\/+$/, '')}/api/v1/auth/login`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(this.credentials()),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json().catch(() => ({}))) as {
      accessToken?: string;
      expiresIn?: number;
      code?: string;
      detail?: string;
    };
    if (!res.ok || !body.accessToken) {
      throw new Error(
        `login at ${url} failed: HTTP ${res.status} ${body.code ?? ''} ${body.detail ?? ''}`.trim(),
      );
    }
    const lifetimeMs = (body.expiresIn ?? 900) * 1000;
    return { token: body.accessToken, renewAt: Date.now() + lifetimeMs * 0.8 };
  }
}
