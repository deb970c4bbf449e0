import { randomUUID } from 'node:crypto';
import { foundingCaseRequest } from '../support/fixtures';
import { http, Platform, startPlatform, TEST_ADMIN_EMAIL } from '../support/stack';

/** Strings that break a query built by concatenation, or widen a LIKE built without escaping. */
const METACHARACTERS = [
  "' OR '1'='1",
  "'; DROP TABLE partnerships; --",
  '" OR ""="',
  '%',
  '_',
  '\\',
  "\\'",
  '%_%',
  "') UNION SELECT id, title FROM partnerships --",
  '$1',
  '1; SELECT pg_sleep(5)',
  '*/ OR 1=1 /*',
];

/**
 * SQL metacharacters in every filter and identifier are data, never SQL: free text matches
 * literally, enumerated filters and ids refuse them with 400 or 404, and nothing is changed.
 */
describe('SQL metacharacters in filters (end to end)', () => {
  let platform: Platform;
  let url: (path: string) => string;
  let tag: string;

  beforeAll(async () => {
    // Many failed logins from one address: the per-IP limit is not under test here.
    platform = await startPlatform({ AUTH_RATE_LIMIT_PER_MINUTE: '10000' });
    url = (path) => `${platform.api.url}/api/v1${path}`;
    // Two partnerships whose titles share a unique tag; one title holds the metacharacters literally.
    tag = `sqlmeta-${randomUUID().slice(0, 8)}`;
    for (const suffix of [`${tag} plain`, `${tag} 100%_done' OR '1'='1`]) {
      const created = await http('POST', url('/partnerships'), {
        ...foundingCaseRequest(),
        title: `Valencia – Chengdu ${suffix}`,
      });
      expect(created.status).toBe(201);
    }
  });

  afterAll(async () => {
    await platform?.stop();
  });

  /**
   * What an injected statement would change: this suite's own partnerships (their rows and
   * timelines) and the test admin's account. Only rows this suite owns, so what other suites'
   * workflows write meanwhile does not count.
   */
  async function tableCounts(): Promise<Record<string, unknown>> {
    const { rows } = await platform.pool.query<{ name: string; n: unknown }>(
      `SELECT 'partnerships' AS name, count(*)::text AS n FROM partnerships WHERE title LIKE $1
       UNION ALL SELECT 'partnership rows', md5(string_agg(
           concat_ws('|', id, title, stage, status, last_sequence), ',' ORDER BY id))
         FROM partnerships WHERE title LIKE $1
       UNION ALL SELECT 'partnership_events', count(*)::text FROM partnership_events e
         JOIN partnerships p ON p.id = e.partnership_id WHERE p.title LIKE $1
       UNION ALL SELECT 'admin', md5(concat_ws('|', id, email, role, disabled))
         FROM users WHERE email = $2`,
      [`%${tag}%`, TEST_ADMIN_EMAIL],
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.n]));
  }

  it('matches free text literally in the board’s q filter', async () => {
    const before = await tableCounts();
    const all = await http('GET', url(`/partnerships?q=${encodeURIComponent(tag)}&pageSize=100`));
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(2);
    for (const meta of METACHARACTERS) {
      const res = await http(
        'GET',
        url(`/partnerships?q=${encodeURIComponent(meta)}&pageSize=100`),
      );
      expect([meta, res.status]).toEqual([meta, 200]);
      // Only titles (or partner names) that contain the string itself: never "everything".
      // (Other suites share the database: their organisations may carry these characters too.)
      for (const item of res.body.items as { title: string; organisations: { name: string }[] }[]) {
        const names = [item.title, ...item.organisations.map((o) => o.name)];
        expect([meta, names.some((n) => n.includes(meta))]).toEqual([meta, true]);
      }
    }
    const literal = await http(
      'GET',
      url(`/partnerships?q=${encodeURIComponent("100%_done' OR '1'='1")}`),
    );
    expect(literal.body.items.map((i: { title: string }) => i.title)).toEqual([
      expect.stringContaining(`${tag} 100%_done' OR '1'='1`),
    ]);
    expect(await tableCounts()).toEqual(before);
  });

  it('refuses metacharacters in enumerated filters, paging and ids, and changes nothing', async () => {
    const before = await tableCounts();
    const webhook = await http('POST', url('/webhooks'), {
      url: 'http://127.0.0.1:9/sql',
      secret: 'sql-metacharacters-secret',
      eventTypes: ['stage.advanced'],
      partnershipIds: [randomUUID()],
    });
    expect(webhook.status).toBe(201);
    for (const meta of METACHARACTERS) {
      const q = encodeURIComponent(meta);
      for (const path of [
        `/partnerships?status=${q}`,
        `/partnerships?stage=${q}`,
        `/partnerships?page=${q}`,
        `/partnerships?pageSize=${q}`,
        `/webhooks/${webhook.body.id}/deliveries?status=${q}`,
        `/users?page=${q}`,
      ]) {
        const res = await http('GET', url(path));
        expect([path, res.status]).toEqual([path, 400]);
      }
      for (const path of [
        `/partnerships/${q}`,
        `/partnerships/${q}/timeline`,
        `/approvals/${q}`,
        `/webhooks/${q}`,
        `/users/${q}`,
      ]) {
        const res = await http('GET', url(path));
        expect([path, [400, 404].includes(res.status)]).toEqual([path, true]);
      }
      const login = await http(
        'POST',
        url('/auth/login'),
        { email: meta, password: meta },
        {},
        { token: null },
      );
      expect([meta, [400, 401].includes(login.status)]).toEqual([meta, true]);
    }
    await http('DELETE', url(`/webhooks/${webhook.body.id}`));
    expect(await tableCounts()).toEqual(before);
  });
});
