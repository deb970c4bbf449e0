/**
 * Where the login page sends the user afterwards: a path of this app, nothing else. The value is
 * parsed as the browser would parse it, because a browser reads `//evil.example`,
 * `/\evil.example` and `/<tab>/evil.example` alike as another host: a check on the first
 * characters alone would make the login page an open redirect.
 */
export function safeNext(next: string | null, origin: string): string {
  if (!next || !next.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return '/';
  }
  if (url.origin !== new URL(origin).origin || url.pathname === '/login') return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
