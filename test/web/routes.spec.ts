import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isWebAppPage, WEB_APP_ROUTES } from '../../apps/api/src/web-app/web-app-routes';

/**
 * The API answers index.html for the web app's pages only (apps/api/src/web-app): a page of
 * web/src/app.tsx that the list lacks opens in the app but gives a 404 on a reload or from a link
 * in an e-mail. The router's paths, read from the source, must be the list.
 */
describe('the web app’s pages and the routes the API serves them at', () => {
  const source = readFileSync(join(__dirname, '..', '..', 'web', 'src', 'app.tsx'), 'utf8');
  const pages = [...source.matchAll(/path: '([^']+)'/g)].map((m) => m[1]).filter((p) => p !== '*');

  it('lists every page of the router, and nothing else', () => {
    expect(pages.length).toBeGreaterThan(5);
    expect([...WEB_APP_ROUTES].sort()).toEqual([...pages].sort());
  });

  it.each([
    ['/admin/organisations', true],
    ['/partnerships/5d0c7f7e-2b2a-4b8e-9a39-2d9f1c1b7e11', true],
    ['/admin/organisations/extra', false],
    ['/unknown', false],
  ])('%s is a page: %s', (path, expected) => {
    expect(isWebAppPage(path)).toBe(expected);
  });
});
