import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { decideByLink, openGate, requestApproval } from '../support/consent';
import { foundingCaseRequest } from '../support/fixtures';
import { http, login, RunningApi } from '../support/stack';
import { usePlatform } from '../support/use-platform';

interface Entry {
  sequence: number;
  type: string;
  occurredAt: string;
  payload: Record<string, any>;
}
type Interval = [number, number];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const t = (iso: string): number => Date.parse(iso);
const s = (ms: number): number => Math.round(ms / 1000);

/** Total length of the union of `intervals`. */
function measure(intervals: Interval[]): number {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let reached = -Infinity;
  for (const [a, b] of sorted) {
    total += Math.max(0, b - Math.max(a, reached));
    reached = Math.max(reached, b);
  }
  return total;
}

/** `intervals` cut to within `within` (itself a set of disjoint intervals). */
function intersect(intervals: Interval[], within: Interval[]): Interval[] {
  return intervals.flatMap(([a, b]) =>
    within.map(([c, d]): Interval => [Math.max(a, c), Math.min(b, d)]).filter(([x, y]) => y > x),
  );
}

/** Percentile by linear interpolation between closest ranks (PostgreSQL's percentile_cont). */
function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const r = p * (v.length - 1);
  return v[Math.floor(r)] + (v[Math.ceil(r)] - v[Math.floor(r)]) * (r - Math.floor(r));
}

/**
 * The figures docs/analytics.md defines, computed here from a partnership's timeline with interval
 * arithmetic (not the API's event-by-event fold): the active intervals (not paused, not ended),
 * each organisation's intervals of being waited on, and their unions.
 */
function expectedFrom(
  timeline: Entry[],
  approvals: Record<string, any>[],
  tasks: { id: string; stage: string; assigneeContactId: string | null }[],
  orgOf: Record<string, string>,
  now: number,
) {
  const active: Interval[] = [];
  let activeFrom: number | null = null;
  const stays: { stage: string; from: number; to: number; by: string | null }[] = [];
  const orgIntervals: Record<string, Interval[]> = {};
  const turnarounds: { organisationId: string; ms: number }[] = [];
  const add = (org: string, iv: Interval): void => {
    (orgIntervals[org] ??= []).push(iv);
  };
  let stage = 'introduction';
  for (const e of timeline) {
    const at = t(e.occurredAt);
    if (e.type === 'partnership.created') {
      activeFrom = at;
      stays.push({ stage, from: at, to: now, by: null });
    }
    if (e.type === 'stage.advanced' || e.type === 'stage.sent_back') {
      const last = stays[stays.length - 1];
      last.to = at;
      last.by = e.type;
      stage = e.payload.to;
      if (stage !== 'agreed') stays.push({ stage, from: at, to: now, by: null });
    }
    if (e.type === 'partnership.paused' || e.type === 'partnership.closed') {
      if (activeFrom !== null) active.push([activeFrom, at]);
      activeFrom = null;
    }
    if (e.type === 'partnership.resumed') activeFrom = at;
  }
  if (activeFrom !== null) active.push([activeFrom, now]);

  for (const request of approvals) {
    const asked = timeline.find(
      (e) => e.type === 'approval.requested' && e.payload.approvalId === request.id,
    )!;
    const closed = timeline.find(
      (e) =>
        [
          'approval.approved',
          'approval.rejected',
          'approval.withdrawn',
          'approval.expired',
        ].includes(e.type) && e.payload.approvalId === request.id,
    );
    const decisions = timeline.filter(
      (e) => e.type === 'approval.decided' && e.payload.approvalId === request.id,
    );
    for (const org of request.organisations as Record<string, any>[]) {
      const need =
        org.rule.kind === 'any'
          ? 1
          : org.rule.kind === 'quorum'
            ? org.rule.n
            : org.approvers.length;
      const mine = decisions.filter((d) => orgOf[d.payload.contactId] === org.organisationId);
      const answer =
        mine.find((d) => d.payload.outcome === 'rejected') ??
        mine.filter((d) => d.payload.outcome === 'approved')[need - 1];
      const closedAt = closed ? t(closed.occurredAt) : now;
      const end = answer ? Math.min(t(answer.occurredAt), closedAt) : closedAt;
      add(org.organisationId, [t(asked.occurredAt), end]);
      if (answer && t(answer.occurredAt) <= closedAt) {
        turnarounds.push({
          organisationId: org.organisationId,
          ms: t(answer.occurredAt) - t(asked.occurredAt),
        });
      }
    }
  }
  // Tasks this test assigns stay in the stage they are assigned in (the test checks it).
  for (const task of tasks) {
    const changes = timeline.filter(
      (e) =>
        ['task.assigned', 'task.completed', 'task.reopened'].includes(e.type) &&
        e.payload.taskId === task.id,
    );
    changes.forEach((e, i) => {
      if (e.type !== 'task.assigned' || !e.payload.assigneeContactId) return;
      const next = changes[i + 1];
      add(orgOf[e.payload.assigneeContactId], [t(e.occurredAt), next ? t(next.occurredAt) : now]);
    });
  }

  const waitingMs: Record<string, number> = {};
  for (const [org, ivs] of Object.entries(orgIntervals))
    waitingMs[org] = measure(intersect(ivs, active));
  const anyOrg = measure(intersect(Object.values(orgIntervals).flat(), active));
  return {
    stays: stays.map((x) => ({
      stage: x.stage,
      by: x.by,
      ms: measure(intersect([[x.from, x.to]], active)),
    })),
    turnarounds,
    waitingMs,
    coordinatorMs: measure(active) - anyOrg,
  };
}

/** Insight over partnerships driven through the real API, workflows and signed links. */
describe('Insight (end to end)', () => {
  let api: RunningApi;

  usePlatform((platform) => ({ api } = platform));

  const url = (path: string): string => `${api.url}/api/v1${path}`;
  const suffix = randomUUID().slice(0, 8);
  const raquel = `raquel+${suffix}@ivace.example`;
  const li = `li.wei+${suffix}@eiri.example`;
  let ana: string;
  let bo: string;
  const ids: Record<'advanced' | 'assigned' | 'paused', string> = {
    advanced: '',
    assigned: '',
    paused: '',
  };
  let assignedTask: { id: string; stage: string; assigneeContactId: string };
  let partnerOrgs: { es: string; cn: string };
  /** The Spanish partner of the partnership with the assigned task. */
  let assignedEs: string;

  async function coordinator(name: string): Promise<string> {
    const email = `insight-${randomUUID().slice(0, 8)}@iurc.example`;
    const password = 'a long coordinator passphrase';
    const created = await http('POST', url('/users'), {
      email,
      name,
      role: 'coordinator',
      password,
    });
    expect(created.status).toBe(201);
    return (await login(api.url, email, password)).body.accessToken as string;
  }

  async function detail(id: string): Promise<Record<string, any>> {
    const res = await http('GET', url(`/partnerships/${id}`));
    expect(res.status).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    ana = await coordinator('Ana');
    bo = await coordinator('Bo');
    for (const key of Object.keys(ids) as (keyof typeof ids)[]) {
      const res = await http(
        'POST',
        url('/partnerships'),
        { ...foundingCaseRequest(suffix), title: `Insight ${key} ${suffix}` },
        {},
        { token: ana },
      );
      expect(res.status).toBe(201);
      ids[key] = res.body.id as string;
    }
    const orgs = (await detail(ids.advanced)).organisations as Record<string, any>[];
    partnerOrgs = {
      es: orgs.find((o) => o.country === 'ES')!.id,
      cn: orgs.find((o) => o.country === 'CN')!.id,
    };

    // Advanced: the partners answer a gate request a second apart, then the gate opens.
    const approvalId = await requestApproval(api.url, ids.advanced, { kind: 'gate' });
    await sleep(1100);
    expect(await decideByLink(api.url, raquel, approvalId, 'approve')).toBe(200);
    await sleep(1100);
    expect(await decideByLink(api.url, li, approvalId, 'approve')).toBe(200);
    await openGate(api.url, ids.advanced, [raquel, li]);
    const advanced = await http('POST', url(`/partnerships/${ids.advanced}/advance`), {});
    expect(advanced.status).toBe(200);

    // Assigned: a task of the current stage given to Raquel, due three days ago (overdue).
    const assigned = await detail(ids.assigned);
    const task = (assigned.tasksByStage.introduction as Record<string, any>[]).find(
      (x) => x.status === 'open' && !x.answeredBy,
    )!;
    const spanish = (assigned.organisations as Record<string, any>[]).find(
      (o) => o.country === 'ES',
    )!;
    const contactId = spanish.contacts[0].id as string;
    const due = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    await sleep(1100);
    const patched = await http('PATCH', url(`/partnerships/${ids.assigned}/tasks/${task.id}`), {
      assigneeContactId: contactId,
      dueDate: due,
    });
    expect(patched.status).toBe(200);
    assignedTask = { id: task.id, stage: 'introduction', assigneeContactId: contactId };
    assignedEs = spanish.id as string;

    // Paused a second after it began.
    await sleep(1100);
    expect((await http('POST', url(`/partnerships/${ids.paused}/pause`), {})).status).toBe(200);
  });

  /** The timeline, approval requests and contact → organisation map of one partnership. */
  async function sourcesOf(id: string) {
    const timeline = await http('GET', url(`/partnerships/${id}/timeline?pageSize=100`));
    const approvals = await http('GET', url(`/partnerships/${id}/approvals?pageSize=100`));
    const orgOf: Record<string, string> = {};
    for (const o of (await detail(id)).organisations as Record<string, any>[]) {
      for (const c of o.contacts as { id: string }[]) orgOf[c.id] = o.id;
    }
    return {
      timeline: (timeline.body.items as Entry[]).sort((a, b) => a.sequence - b.sequence),
      approvals: approvals.body.items as Record<string, any>[],
      orgOf,
    };
  }

  /** One partnership's insight against the figures its timeline yields, computed here. */
  async function expectFiguresOfTimeline(key: keyof typeof ids): Promise<Record<string, any>> {
    {
      const id = ids[key];
      const source = await sourcesOf(id);
      const res = await http('GET', url(`/partnerships/${id}/insight`));
      expect(res.status).toBe(200);
      const view = res.body;
      const tasks = key === 'assigned' ? [assignedTask] : [];
      if (key === 'assigned') {
        expect(source.timeline.some((e) => e.type.startsWith('stage.'))).toBe(false);
      }
      const expected = expectedFrom(
        source.timeline,
        source.approvals,
        tasks,
        source.orgOf,
        t(view.generatedAt),
      );
      expect(view.stays.map((x: any) => [x.stage, x.seconds])).toEqual(
        expected.stays.map((x) => [x.stage, s(x.ms)]),
      );
      expect(
        [...view.turnarounds]
          .map((x: any) => [x.organisationId, x.seconds])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      ).toEqual(
        expected.turnarounds
          .map((x) => [x.organisationId, s(x.ms)])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );
      expect(view.coordinatorWaitingSeconds).toBe(s(expected.coordinatorMs));
      for (const org of view.organisations as Record<string, any>[]) {
        expect([org.organisationId, org.waitingSeconds]).toEqual([
          org.organisationId,
          s(expected.waitingMs[org.organisationId] ?? 0),
        ]);
      }
      return view;
    }
  }

  it('gives each partnership the figures its timeline yields', async () => {
    for (const key of Object.keys(ids) as (keyof typeof ids)[]) await expectFiguresOfTimeline(key);
  });

  it('says whose turn it is now and counts overdue tasks', async () => {
    const advanced = (await http('GET', url(`/partnerships/${ids.advanced}/insight`))).body;
    expect(advanced).toMatchObject({ stage: 'area_exploration', waitingOn: 'coordinator' });
    // Both partners answered: the gate request waited on each until its answer.
    expect(advanced.turnarounds).toHaveLength((await sourcesOf(ids.advanced)).approvals.length * 2);
    expect(advanced.stays.map((x: any) => [x.stage, x.leftBy])).toEqual([
      ['introduction', 'advanced'],
      ['area_exploration', null],
    ]);

    const assigned = (await http('GET', url(`/partnerships/${ids.assigned}/insight`))).body;
    expect(assigned).toMatchObject({
      waitingOn: 'partners',
      waitingOnOrganisationIds: [assignedEs],
      overdueTasks: 1,
    });

    const paused = (await http('GET', url(`/partnerships/${ids.paused}/insight`))).body;
    expect(paused).toMatchObject({ status: 'paused', waitingOn: 'nobody', waitingSince: null });
    const pausedAgain = (await http('GET', url(`/partnerships/${ids.paused}/insight`))).body;
    // Paused time counts nowhere: the figures stand still.
    expect(pausedAgain.currentStageSeconds).toBe(paused.currentStageSeconds);
    expect(pausedAgain.coordinatorWaitingSeconds).toBe(paused.coordinatorWaitingSeconds);
  });

  it('aggregates over the partnerships the caller may see, under the board’s filters', async () => {
    const res = await http(
      'GET',
      url(`/insight?q=${suffix}&pageSize=100`),
      undefined,
      {},
      { token: ana },
    );
    expect(res.status).toBe(200);
    const insight = res.body;
    expect(insight.total).toBe(3);
    expect(new Set(insight.items.map((r: any) => r.id))).toEqual(new Set(Object.values(ids)));

    // Stage figures over the ended stays, from the timelines.
    const now = t(insight.generatedAt);
    const all = await Promise.all(Object.values(ids).map((id) => sourcesOf(id)));
    const figures = all.map((x) => expectedFrom(x.timeline, x.approvals, [], x.orgOf, now));
    for (const stage of ['introduction', 'area_exploration']) {
      const ended = figures.flatMap((f) =>
        f.stays.filter((x) => x.stage === stage && x.by !== null).map((x) => x.ms),
      );
      const row = insight.stages.find((x: any) => x.stage === stage);
      expect(row).toMatchObject({
        endedStays: ended.length,
        medianSeconds: ended.length ? s(percentileCont(ended, 0.5)!) : null,
        p90Seconds: ended.length ? s(percentileCont(ended, 0.9)!) : null,
      });
    }
    const introduction = insight.stages.find((x: any) => x.stage === 'introduction');
    expect(introduction).toMatchObject({ endedStays: 1, openStays: 2 });

    // Approval answer time per organisation: the gate request and the partner tasks' requests.
    const answers = figures.flatMap((f) => f.turnarounds);
    for (const org of [partnerOrgs.es, partnerOrgs.cn]) {
      const mine = answers.filter((a) => a.organisationId === org).map((a) => a.ms);
      expect(insight.approvalTurnaround.find((x: any) => x.organisationId === org)).toMatchObject({
        answered: mine.length,
        medianSeconds: s(percentileCont(mine, 0.5)!),
        p90Seconds: s(percentileCont(mine, 0.9)!),
      });
    }

    // Whose turn now, per side, with overdue tasks.
    const side = (id: string | null) => insight.sides.find((x: any) => x.organisationId === id);
    expect(side(null)).toMatchObject({ side: 'coordinator', waitingNow: 1 });
    expect(side(assignedEs)).toMatchObject({ waitingNow: 1, overdueTasks: 1 });
    expect(insight.overdueTasks).toBe(1);

    // Another coordinator sees none of them; the stage filter narrows.
    const other = await http('GET', url(`/insight?q=${suffix}`), undefined, {}, { token: bo });
    expect(other.body.total).toBe(0);
    expect(
      (
        await http(
          'GET',
          url(`/partnerships/${ids.advanced}/insight`),
          undefined,
          {},
          { token: bo },
        )
      ).status,
    ).toBe(404);
    const exploring = await http(
      'GET',
      url(`/insight?q=${suffix}&stage=area_exploration`),
      undefined,
      {},
      { token: ana },
    );
    expect(exploring.body.items.map((r: any) => r.id)).toEqual([ids.advanced]);
    expect((await http('GET', url('/insight?stage=nowhere'))).status).toBe(400);
  });

  it('exports the same rows as CSV', async () => {
    const json = (
      await http('GET', url(`/insight?q=${suffix}&pageSize=100`), undefined, {}, { token: ana })
    ).body;
    const started = Date.now();
    const res = await fetch(url(`/insight/export.csv?q=${suffix}`), {
      headers: { authorization: `Bearer ${ana}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="insight.csv"');
    const records = parse(Buffer.from(await res.arrayBuffer()), {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    // The CSV was computed a moment later: what runs on with the clock may be that much more.
    const slack =
      Math.ceil((Date.now() - started) / 1000) +
      Math.ceil((Date.now() - t(json.generatedAt)) / 1000) +
      1;
    expect(records.map((r) => r.ID)).toEqual(json.items.map((r: any) => r.id));
    json.items.forEach((row: Record<string, any>, i: number) => {
      const csv = records[i];
      const names = (row.organisations as any[]).map((o) => o.organisationName);
      expect({
        Title: csv.Title,
        Stage: csv.Stage,
        Status: csv.Status,
        'Waiting on': csv['Waiting on'],
        'Waiting on organisations': csv['Waiting on organisations'],
        Organisations: csv.Organisations,
        'Overdue tasks': Number(csv['Overdue tasks']),
      }).toEqual({
        Title: row.title,
        Stage: row.stage,
        Status: row.status,
        'Waiting on': row.waitingOn,
        'Waiting on organisations': row.waitingOnOrganisationIds
          .map(
            (id: string) =>
              row.organisations.find((o: any) => o.organisationId === id).organisationName,
          )
          .join('; '),
        Organisations: names.join('; '),
        'Overdue tasks': row.overdueTasks,
      });
      expect(csv['Waiting since (UTC)']).toBe(row.waitingSince ?? '');
      const near = (cell: string, value: number | null): void => {
        if (value === null) return expect(cell).toBe('');
        expect(Number(cell)).toBeGreaterThanOrEqual(value);
        expect(Number(cell)).toBeLessThanOrEqual(value + slack);
      };
      near(csv['Seconds in current stage'], row.currentStageSeconds);
      near(csv['Seconds waiting on the coordinator'], row.coordinatorWaitingSeconds);
      const perOrg = csv['Seconds waiting on each organisation'].split('; ');
      (row.organisations as any[]).forEach((o, j) => near(perOrg[j], o.waitingSeconds));
    });
  });

  it('folds a partnership again when its timeline moves after a read', async () => {
    const before = await expectFiguresOfTimeline('paused');
    expect(before.waitingOn).toBe('nobody');
    await sleep(1100);
    expect((await http('POST', url(`/partnerships/${ids.paused}/resume`), {})).status).toBe(200);
    const after = await expectFiguresOfTimeline('paused');
    expect(after.status).toBe('active');
    expect(after.waitingOn).not.toBe('nobody');
    // And across: the same partnership's row in the list, with the same figures.
    const across = await http('GET', url(`/insight?q=${suffix}&pageSize=100`));
    const row = (across.body.items as Record<string, any>[]).find((r) => r.id === ids.paused)!;
    expect(row).toMatchObject({ status: 'active', waitingOn: after.waitingOn });
  });
});
