/**
 * The web app's refresh cookie: httpOnly (no script reads it), Secure (browsers treat
 * http://localhost as secure, so development works too), SameSite=Strict (never sent from another
 * site) and scoped to the session routes (no other request carries it).
 */
export const SESSION_COOKIE = 'entente_session';
export const SESSION_COOKIE_PATH = '/api/v1/auth/session';
export const SESSION_CSRF_HEADER = 'x-entente-session';

const ATTRIBUTES = `Path=${SESSION_COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict`;

export function sessionCookie(refreshToken: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${refreshToken}; Max-Age=${maxAgeSeconds}; ${ATTRIBUTES}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Max-Age=0; ${ATTRIBUTES}`;
}

/** The session cookie's value in a `Cookie` header, if there is one. */
export function sessionCookieOf(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return value || undefined;
    }
  }
  return undefined;
}
