import { safeNext } from '../../web/src/auth/next';

const ORIGIN = 'https://entente.example';

describe(safeNext.name, () => {
  it.each([
    [
      '/partnerships/3f1c0000-0000-4000-8000-000000000000',
      '/partnerships/3f1c0000-0000-4000-8000-000000000000',
    ],
    ['/?q=ivace&view=agreed', '/?q=ivace&view=agreed'],
    ['/admin/audit#top', '/admin/audit#top'],
  ])('keeps a path of this app: %s', (next, expected) => {
    expect(safeNext(next, ORIGIN)).toBe(expected);
  });

  it.each([
    null,
    '',
    'https://evil.example/',
    '//evil.example/',
    // A browser reads a backslash as a slash, and drops tabs and newlines: other hosts too.
    '/\\evil.example/',
    '/\t/evil.example/',
    '/\n/evil.example/',
    'javascript:alert(1)',
    'evil.example',
    // Back to the login page would only ask again.
    '/login?next=/',
  ])('sends anything else to the board: %j', (next) => {
    expect(safeNext(next, ORIGIN)).toBe('/');
  });
});
