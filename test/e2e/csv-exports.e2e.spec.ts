import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { foundingCaseRequest } from '../support/fixtures';
import { adminToken, http, login, RunningApi } from '../support/stack';
import { usePlatform } from '../support/use-platform';

/** A downloaded CSV: its headers, raw bytes and records keyed by column header. */
interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
  records: Record<string, string>[];
}

/** A spreadsheet would take these for formulas: the export prefixes them with a quote. */
const asText = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/** The CSV exports of the board, a timeline and the audit log, downloaded and parsed. */
describe('CSV exports (end to end)', () => {
  let api: RunningApi;

  usePlatform((platform) => ({ api } = platform));

  const url = (path: string): string => `${api.url}/api/v1${path}`;

  async function download(path: string, token?: string): Promise<Download> {
    const res = await fetch(url(path), {
      headers: { authorization: `Bearer ${token ?? (await adminToken(api.url))}` },
    });
    // Not res.text(): UTF-8 decoding drops the byte-order mark this test checks.
    const bytes = Buffer.from(await res.arrayBuffer());
    const records =
      res.status === 200
        ? (parse(bytes, { bom: true, columns: true, relax_quotes: false }) as Record<
            string,
            string
          >[])
        : [];
    return { status: res.status, headers: res.headers, bytes, records };
  }

  async function coordinator(name: string): Promise<{ id: string; token: string }> {
    const email = `csv-${randomUUID().slice(0, 8)}@iurc.example`;
    const password = 'a long coordinator passphrase';
    const created = await http('POST', url('/users'), {
      email,
      name,
      role: 'coordinator',
      password,
    });
    expect(created.status).toBe(201);
    const token = (await login(api.url, email, password)).body.accessToken as string;
    return { id: created.body.id as string, token };
  }

  function expectCsvHeaders(d: Download, filename: string): void {
    expect(d.status).toBe(200);
    expect(d.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(d.headers.get('content-disposition')).toBe(`attachment; filename="${filename}"`);
    expect([...d.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // RFC 4180: CRLF after every record.
    expect(d.bytes.subarray(-2).toString('latin1')).toBe('\r\n');
  }

  const suffix = randomUUID().slice(0, 8);
  let ana: { id: string; token: string };
  let bo: { id: string; token: string };
  const anas: string[] = [];
  let bos: string;

  beforeAll(async () => {
    ana = await coordinator('Ana');
    bo = await coordinator('Bo');
    const titles = [
      `=HYPERLINK("http://evil.example","click") ${suffix}`,
      `成都 · València, "clean energy"\nsecond line ${suffix}`,
      `Plain partnership ${suffix}`,
    ];
    for (const title of titles) {
      const res = await http(
        'POST',
        url('/partnerships'),
        { ...foundingCaseRequest(suffix), title },
        {},
        { token: ana.token },
      );
      expect(res.status).toBe(201);
      anas.push(res.body.id as string);
    }
    const other = await http(
      'POST',
      url('/partnerships'),
      { ...foundingCaseRequest(suffix), title: `Bo's own ${suffix}` },
      {},
      { token: bo.token },
    );
    expect(other.status).toBe(201);
    bos = other.body.id as string;
    // One partnership paused, so that the status filter has something to tell apart.
    expect(
      (
        await http(
          'POST',
          url(`/partnerships/${anas[2]}/pause`),
          { comment: '=cmd|" /C calc"!A0' },
          {},
          { token: ana.token },
        )
      ).status,
    ).toBe(200);
  });

  /** The board's JSON cards as the CSV must show them, column by column (docs/api.md). */
  function boardRows(items: Record<string, any>[]): Record<string, string>[] {
    return items.map((p) => {
      const orgs = p.organisations as { id: string; name: string; country: string }[];
      return {
        ID: p.id,
        Title: asText(p.title),
        Stage: p.stage,
        Status: p.status,
        Coordinator: p.coordinator.name,
        'Coordinator email': p.coordinator.email,
        Organisations: orgs.map((o) => o.name).join('; '),
        Countries: orgs.map((o) => o.country).join('; '),
        'Stage entered at (UTC)': p.stageEnteredAt,
        'Days in stage': String(p.daysInStage),
        'Open required tasks': String(p.openRequiredTasks),
        'Overdue tasks': String(p.overdueTasks),
        'Pending approvals': String(p.pendingApprovals),
        'Awaiting organisations': (p.awaitingOrganisationIds as string[])
          .map((id) => orgs.find((o) => o.id === id)!.name)
          .join('; '),
        'Last activity at (UTC)': p.lastActivityAt,
      };
    });
  }

  it('exports the board row for row as the JSON board, under the same filters, only what the caller may see', async () => {
    for (const filter of [
      `q=${suffix}`,
      `q=${suffix}&status=paused`,
      `q=${suffix}&status=active&stage=introduction`,
    ]) {
      const json = await http(
        'GET',
        url(`/partnerships?${filter}&pageSize=100`),
        undefined,
        {},
        { token: ana.token },
      );
      expect(json.status).toBe(200);
      const csv = await download(`/partnerships/export.csv?${filter}`, ana.token);
      expectCsvHeaders(csv, 'partnerships.csv');
      expect(csv.records).toEqual(boardRows(json.body.items));
    }
    const mine = await download(`/partnerships/export.csv?q=${suffix}`, ana.token);
    expect(mine.records.map((r) => r.ID).sort()).toEqual([...anas].sort());
    // Never Bo's partnership, not even its title.
    expect(mine.bytes.toString('utf8')).not.toContain(bos);
    expect(mine.bytes.toString('utf8')).not.toContain("Bo's own");
    // The formula title is text; the title with a comma, quotes and a line break survives whole.
    const titles = mine.records.map((r) => r.Title);
    expect(titles).toContain(`'=HYPERLINK("http://evil.example","click") ${suffix}`);
    expect(titles).toContain(`成都 · València, "clean energy"\nsecond line ${suffix}`);
    expect(mine.records.find((r) => r.ID === anas[2])!.Status).toBe('paused');
    // An admin sees all four, Bo only his.
    const admin = await download(`/partnerships/export.csv?q=${suffix}`);
    expect(admin.records.map((r) => r.ID).sort()).toEqual([...anas, bos].sort());
    const his = await download(`/partnerships/export.csv?q=${suffix}`, bo.token);
    expect(his.records.map((r) => r.ID)).toEqual([bos]);
  });

  it('refuses bad filters with problem+json, as the board does', async () => {
    for (const query of ['stage=nowhere', 'status=lost', 'page=2', `q=${'x'.repeat(201)}`]) {
      const res = await http('GET', url(`/partnerships/export.csv?${query}`));
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const none = await http('GET', url('/partnerships/export.csv'), undefined, {}, { token: null });
    expect(none.status).toBe(401);
  });

  it('exports a timeline row for row as the JSON timeline; not to a foreign coordinator', async () => {
    const id = anas[2];
    const json = await http(
      'GET',
      url(`/partnerships/${id}/timeline?pageSize=100`),
      undefined,
      {},
      { token: ana.token },
    );
    expect(json.status).toBe(200);
    expect(json.body.items.length).toBeGreaterThanOrEqual(2); // created, paused
    const csv = await download(`/partnerships/${id}/timeline/export.csv`, ana.token);
    expectCsvHeaders(csv, `timeline-${id}.csv`);
    expect(csv.records).toEqual(
      (json.body.items as Record<string, any>[]).map((e) => ({
        Sequence: String(e.sequence),
        'Occurred at (UTC)': e.occurredAt,
        Type: e.type,
        'Actor kind': e.actor.kind,
        'Actor name': e.actor.name ?? '',
        'Actor email': e.actor.email ?? '',
        'Details (JSON)': JSON.stringify(e.payload),
      })),
    );
    // The pause comment is inside the JSON cell, which starts with `{`: no formula.
    expect(csv.records.some((r) => r['Details (JSON)'].includes('=cmd|'))).toBe(true);

    const foreignJson = await http(
      'GET',
      url(`/partnerships/${id}/timeline`),
      undefined,
      {},
      { token: bo.token },
    );
    const foreign = await download(`/partnerships/${id}/timeline/export.csv`, bo.token);
    expect(foreignJson.status).not.toBe(200);
    expect(foreign.status).toBe(foreignJson.status);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    expect(foreign.bytes.toString('utf8')).not.toContain('=cmd');
    const missing = await download(`/partnerships/${randomUUID()}/timeline/export.csv`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.bytes.toString('utf8')).code).toBe('PARTNERSHIP_NOT_FOUND');
  });

  it('exports the audit log to admins row for row as the JSON log, newest first; 403 to anyone else', async () => {
    const json = await http('GET', url('/audit-log?pageSize=100'));
    expect(json.status).toBe(200);
    const csv = await download('/audit-log/export.csv');
    expectCsvHeaders(csv, 'audit-log.csv');
    expect(csv.records).toHaveLength(json.body.total);
    // The users this spec created are in it.
    expect(csv.records.filter((r) => r.Action === 'user.created').length).toBeGreaterThanOrEqual(2);
    expect(csv.records.slice(0, json.body.items.length)).toEqual(
      (json.body.items as Record<string, any>[]).map((e) => ({
        ID: e.id,
        'At (UTC)': e.at,
        'Actor name': e.actor?.name ?? '',
        'Actor email': e.actor?.email ?? '',
        Action: e.action,
        Target: e.target,
        'Details (JSON)': JSON.stringify(e.details),
      })),
    );
    const refused = await download('/audit-log/export.csv', ana.token);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.parse(refused.bytes.toString('utf8')).code).toBe('FORBIDDEN');
  });
});
