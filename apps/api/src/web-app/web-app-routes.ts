/**
 * The web app's pages (client-side routes of web/src/app.tsx): each answers the app's
 * index.html, so a reload or a link from an e-mail opens the right screen. Listed, not a
 * catch-all, so an unknown path still gets a 404 problem.
 */
export const WEB_APP_ROUTES = [
  '/',
  '/login',
  '/my-work',
  '/account',
  '/insight',
  '/partnerships/new',
  '/partnerships/:id',
  '/admin/users',
  '/admin/webhooks',
  '/admin/organisations',
  '/admin/templates',
  '/admin/audit',
] as const;

const PATTERNS = WEB_APP_ROUTES.map(
  (route) => new RegExp(`^${route.replace(/:[a-z]+/g, '[^/]+')}$`),
);

/** Whether a request path (without its query) is one of the web app's pages. */
export function isWebAppPage(path: string): boolean {
  return PATTERNS.some((p) => p.test(path));
}
