import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { foundingCaseRequest } from '../support/fixtures';
import { http, login, Platform, RunningApi, startPlatform } from '../support/stack';

interface Organisation {
  id: string;
  name: string;
  region: string | null;
  country: string;
  kind: string;
  contacts: Record<string, unknown>[];
}

/** GET /api/v1/organisations and linking an existing organisation, everything real. */
describe('organisations (end to end)', () => {
  let platform: Platform;
  let api: RunningApi;
  let pool: Pool;
  const run = randomUUID().slice(0, 8);
  const PASSWORD = 'a long coordinator passphrase';
  const user = (name: string, role: 'coordinator' | 'observer') => ({
    email: `${name}-${run}@iurc.example`,
    role,
    token: '',
    id: '',
  });
  const ana = user('ana', 'coordinator');
  const bo = user('bo', 'coordinator');
  const olga = user('olga', 'observer');
  /** Ana's and Bo's partnerships, with their two partners each. */
  let anas: Record<string, any>;
  let bos: Record<string, any>;

  const v1 = (path: string): string => `${api.url}/api/v1${path}`;
  const as = (u: { token: string }) => ({ token: u.token });
  const byName = (orgs: Organisation[]): Organisation[] =>
    [...orgs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  async function list(query: string, u?: { token: string }): Promise<Record<string, any>> {
    const res = await http('GET', v1(`/organisations${query}`), undefined, {}, u ? as(u) : {});
    expect(res.status).toBe(200);
    return res.body;
  }
  const ids = (page: Record<string, any>): string[] =>
    (page.items as Organisation[]).map((o) => o.id);

  beforeAll(async () => {
    platform = await startPlatform();
    ({ api, pool } = platform);
    for (const u of [ana, bo, olga]) {
      const created = await http('POST', v1('/users'), {
        email: u.email,
        name: u.email,
        role: u.role,
        password: PASSWORD,
      });
      expect(created.status).toBe(201);
      u.id = created.body.id;
      u.token = (await login(api.url, u.email, PASSWORD)).body.accessToken;
    }
    const a = await http('POST', v1('/partnerships'), foundingCaseRequest(`${run}-a`), {}, as(ana));
    const b = await http('POST', v1('/partnerships'), foundingCaseRequest(`${run}-b`), {}, as(bo));
    expect([a.status, b.status]).toEqual([201, 201]);
    anas = a.body;
    bos = b.body;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('shows a coordinator the partners of their partnerships, with contacts, and not another’s', async () => {
    // Everything of the partnership's partners as its detail shows them, by name.
    expect(await list(`?q=${run}`, ana)).toEqual({
      items: byName(anas.organisations),
      page: 1,
      pageSize: 20,
      total: 2,
    });
    const [first] = anas.organisations as Organisation[];
    expect(Object.keys(first.contacts[0]).sort()).toEqual(
      ['active', 'email', 'id', 'language', 'name', 'role', 'timeZone', 'workingHours'].sort(),
    );
    // Without a filter too: only Ana's partners (she is in no other partnership).
    expect(new Set(ids(await list('?pageSize=100', ana)))).toEqual(
      new Set((anas.organisations as Organisation[]).map((o) => o.id)),
    );
    expect(await list(`?q=${run}-b`, ana)).toEqual({ items: [], page: 1, pageSize: 20, total: 0 });
    expect(ids(await list(`?q=${run}`, bo))).toEqual(ids({ items: byName(bos.organisations) }));
  });

  it('shows an admin every organisation, an observer those of the partnerships they observe', async () => {
    const all = await list(`?q=${run}`);
    expect(all.total).toBe(4);
    expect(new Set(ids(all))).toEqual(
      new Set([...anas.organisations, ...bos.organisations].map((o: Organisation) => o.id)),
    );

    expect(await list('', olga)).toMatchObject({ items: [], total: 0 });
    const added = await http(
      'PUT',
      v1(`/partnerships/${bos.id}/members/${olga.id}`),
      { role: 'observer' },
      {},
      as(bo),
    );
    expect(added.status).toBe(200);
    expect(await list('', olga)).toEqual({
      items: byName(bos.organisations),
      page: 1,
      pageSize: 20,
      total: 2,
    });
    // Removed, she sees them no more.
    const removed = await http(
      'DELETE',
      v1(`/partnerships/${bos.id}/members/${olga.id}`),
      undefined,
      {},
      as(bo),
    );
    expect(removed.status).toBe(204);
    expect(await list('', olga)).toMatchObject({ items: [], total: 0 });
  });

  it('matches `q` literally: %, _ and \\ are no wildcards', async () => {
    const body = foundingCaseRequest(`${run}-c`);
    body.organisations[0].name = `Taller 50%_off\\ ${run}`;
    const created = await http('POST', v1('/partnerships'), body, {}, as(ana));
    expect(created.status).toBe(201);
    const taller = (created.body.organisations as Organisation[]).find((o) =>
      o.name.startsWith('Taller'),
    )!;
    const q = (text: string): string => `?q=${encodeURIComponent(text)}`;
    for (const text of ['%', '_', '\\', '0%_off\\', `taller 50%_OFF\\ ${run}`]) {
      expect(ids(await list(q(text), ana))).toEqual([taller.id]);
    }
    // As wildcards these would match "50%_off" and every name.
    for (const text of ['5_%', '50%off', 'Taller%', '\\%']) {
      expect(await list(q(text), ana)).toMatchObject({ items: [], total: 0 });
    }
  });

  it('pages within bounds and refuses bad or undeclared parameters with problem+json', async () => {
    const page1 = await list(`?q=${run}&pageSize=1`);
    const page2 = await list(`?q=${run}&pageSize=1&page=2`);
    expect(page1).toMatchObject({ page: 1, pageSize: 1, total: 6 });
    expect(page2).toMatchObject({ page: 2, pageSize: 1, total: 6 });
    expect(page1.items).toHaveLength(1);
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0].id).not.toBe(page1.items[0].id);
    expect(page2.items[0].name >= page1.items[0].name).toBe(true);
    expect(await list(`?q=${run}&pageSize=100&page=2`)).toEqual({
      items: [],
      page: 2,
      pageSize: 100,
      total: 6,
    });

    for (const [query, field] of [
      ['?pageSize=101', 'pageSize'],
      ['?pageSize=0', 'pageSize'],
      ['?page=0', 'page'],
      ['?page=x', 'page'],
      ['?q=', 'q'],
      [`?q=${'x'.repeat(201)}`, 'q'],
      ['?kind=agency', 'kind'],
    ]) {
      const res = await http('GET', v1(`/organisations${query}`));
      expect([query, res.status, res.headers.get('content-type')]).toEqual([
        query,
        400,
        expect.stringContaining('application/problem+json'),
      ]);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    const anonymous = await http('GET', v1('/organisations'), undefined, {}, { token: null });
    expect(anonymous.status).toBe(401);
  });

  it('links an organisation the caller may see; one they may not is unknown and nothing is created', async () => {
    const [partner] = anas.organisations as Organisation[];
    const body = foundingCaseRequest(`${run}-d`);
    body.organisations[0] = { id: partner.id };
    const linked = await http('POST', v1('/partnerships'), body, {}, as(ana));
    expect(linked.status).toBe(201);
    expect((linked.body.organisations as Organisation[]).find((o) => o.id === partner.id)).toEqual(
      partner,
    );

    // Bo does not see Ana's partner: refused exactly as an id that does not exist.
    const counts = async (): Promise<number[]> => {
      const { rows } = await pool.query<{ p: number; m: number; o: number }>(
        `SELECT (SELECT count(*)::int FROM partnerships WHERE title LIKE $1) AS p,
                (SELECT count(*)::int FROM partnership_members WHERE user_id = $2) AS m,
                (SELECT count(*)::int FROM organisations WHERE name LIKE $1) AS o`,
        [`%${run}-e`, bo.id],
      );
      return [rows[0].p, rows[0].m, rows[0].o];
    };
    const before = await counts();
    const foreign = foundingCaseRequest(`${run}-e`);
    foreign.organisations[0] = { id: partner.id };
    const refused = await http('POST', v1('/partnerships'), foreign, {}, as(bo));
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ code: 'ORGANISATION_NOT_FOUND', missing: [partner.id] });
    const unknownId = randomUUID();
    foreign.organisations[0] = { id: unknownId };
    const unknown = await http('POST', v1('/partnerships'), foreign, {}, as(bo));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'ORGANISATION_NOT_FOUND', missing: [unknownId] });
    expect(refused.body.detail.replace(partner.id, unknownId)).toBe(unknown.body.detail);
    expect(await counts()).toEqual(before);
    expect(before).toEqual([0, 1, 0]);

    // An admin may link any organisation.
    foreign.organisations[0] = { id: bos.organisations[0].id };
    foreign.organisations[1] = { id: partner.id };
    const byAdmin = await http('POST', v1('/partnerships'), foreign);
    expect(byAdmin.status).toBe(201);
    expect((byAdmin.body.organisations as Organisation[]).map((o) => o.id).sort()).toEqual(
      [bos.organisations[0].id, partner.id].sort(),
    );
  });

  it('shows an organisation’s closure days to those who may see it, and lets only admins change them', async () => {
    const mine = anas.organisations[0].id as string;
    const theirs = bos.organisations[0].id as string;
    const date = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const set = await http('PUT', v1(`/organisations/${mine}/closures/${date}`), {
      name: 'Cierre',
    });
    expect(set.status).toBe(200);

    const seen = await http('GET', v1(`/organisations/${mine}/closures`), undefined, {}, as(ana));
    expect(seen.status).toBe(200);
    expect(seen.body.items).toMatchObject([{ date, name: 'Cierre' }]);
    // Bo's partner is none of Ana's: as if it did not exist.
    const hidden = await http(
      'GET',
      v1(`/organisations/${theirs}/closures`),
      undefined,
      {},
      as(ana),
    );
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('ORGANISATION_NOT_FOUND');
    // A coordinator may not set or remove closures, even of their own partner.
    const put = await http(
      'PUT',
      v1(`/organisations/${mine}/closures/${date}`),
      { name: 'Otro' },
      {},
      as(ana),
    );
    const del = await http(
      'DELETE',
      v1(`/organisations/${mine}/closures/${date}`),
      undefined,
      {},
      as(ana),
    );
    expect([put.status, put.body.code, del.status, del.body.code]).toEqual([
      403,
      'FORBIDDEN',
      403,
      'FORBIDDEN',
    ]);
    const after = await http('GET', v1(`/organisations/${mine}/closures`));
    expect(after.body.items).toMatchObject([{ date, name: 'Cierre' }]);
  });
});
