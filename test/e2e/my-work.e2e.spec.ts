import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { overdueFrom } from '@libs/domain';
import { foundingCaseRequest } from '../support/fixtures';
import { http, login, Platform, RunningApi, startPlatform, waitFor } from '../support/stack';

const DAY_MS = 24 * 3600 * 1000;

/** GET /api/v1/me/work: what waits on the signed-in coordinator, everything real. */
describe('my work (end to end)', () => {
  let platform: Platform;
  let api: RunningApi;
  let pool: Pool;
  const ana = { email: `ana-${randomUUID().slice(0, 8)}@iurc.example`, token: '', id: '' };
  const bo = { email: `bo-${randomUUID().slice(0, 8)}@iurc.example`, token: '', id: '' };
  const PASSWORD = 'a long coordinator passphrase';

  beforeAll(async () => {
    platform = await startPlatform();
    ({ api, pool } = platform);
    for (const user of [ana, bo]) {
      const created = await http('POST', `${api.url}/api/v1/users`, {
        email: user.email,
        name: user.email,
        role: 'coordinator',
        password: PASSWORD,
      });
      expect(created.status).toBe(201);
      user.id = created.body.id;
      user.token = (await login(api.url, user.email, PASSWORD)).body.accessToken;
    }
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const v1 = (path: string): string => `${api.url}/api/v1${path}`;
  const as = (user: { token: string }) => ({ token: user.token });
  const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  async function work(user: { token: string }, query = ''): Promise<Record<string, any>> {
    const res = await http('GET', v1(`/me/work${query}`), undefined, {}, as(user));
    expect(res.status).toBe(200);
    return res.body;
  }
  const brief = (items: Record<string, any>[]): string[] =>
    items.map((i) => `${i.kind} ${i.taskId ?? i.approvalId ?? ''}`.trim());

  it('lists the gate, an overdue task and an expired request; acting on the partnership clears the news', async () => {
    const created = await http('POST', v1('/partnerships'), foundingCaseRequest(), {}, as(ana));
    expect(created.status).toBe(201);
    const p = created.body;
    expect(await work(ana)).toEqual({ items: [], page: 1, pageSize: 20, total: 0 });

    // An optional task, due two days ago and unassigned: overdue in the coordinator's zone.
    const due = isoDate(Date.now() - 2 * DAY_MS);
    const added = await http(
      'POST',
      v1(`/partnerships/${p.id}/tasks`),
      { title: 'Send the SME survey', required: false, dueDate: due },
      {},
      as(ana),
    );
    expect(added.status).toBe(201);
    const survey = (added.body.tasksByStage.introduction as any[]).find(
      (t) => t.title === 'Send the SME survey',
    );
    const overdue = {
      kind: 'task-overdue',
      partnershipId: p.id,
      partnershipTitle: p.title,
      stage: 'introduction',
      at: overdueFrom(due, p.followUpPolicy.coordinator.timeZone).toISOString(),
      approvalId: null,
      taskId: survey.id,
      title: 'Send the SME survey',
      dueDate: due,
    };
    expect((await work(ana)).items).toEqual([overdue]);

    // Every required task done: the gate is ready, since the last of them was completed.
    let detail = added.body;
    for (const t of detail.tasksByStage.introduction as any[]) {
      if (!t.required) continue;
      const res = await http(
        'POST',
        v1(`/partnerships/${p.id}/tasks/${t.id}/complete`),
        {},
        {},
        as(ana),
      );
      expect(res.status).toBe(200);
      detail = res.body;
    }
    const lastDone = (detail.tasksByStage.introduction as any[])
      .filter((t) => t.required)
      .map((t) => t.completedAt as string)
      .sort()
      .pop();
    const ready = await work(ana);
    expect(ready.items).toEqual([
      { ...overdue, kind: 'gate-ready', at: lastDone, taskId: null, title: null, dueDate: null },
      overdue,
    ]);
    expect(ready.total).toBe(2);
    // Paged, newest first.
    const second = await work(ana, '?page=2&pageSize=1');
    expect(second).toMatchObject({ page: 2, pageSize: 1, total: 2 });
    expect(brief(second.items)).toEqual([`task-overdue ${survey.id}`]);
    expect(await work(ana, '?page=3&pageSize=1')).toMatchObject({ items: [], total: 2 });

    // Gate consent asked: the gate waits for the partners, not for Ana. Then it expires.
    const asked = await http(
      'POST',
      v1(`/partnerships/${p.id}/approvals`),
      { subject: { kind: 'gate' }, deadline: new Date(Date.now() + 4_000).toISOString() },
      {},
      as(ana),
    );
    expect(asked.status).toBe(201);
    expect(brief((await work(ana)).items)).toEqual([`task-overdue ${survey.id}`]);
    const expired = await waitFor(
      async () => {
        const res = await http('GET', v1(`/approvals/${asked.body.id}`), undefined, {}, as(ana));
        return res.body.status === 'expired' && res.body;
      },
      { timeoutMs: 30_000, what: 'the request to expire' },
    );
    const afterExpiry = await work(ana);
    expect(afterExpiry.items[0]).toEqual({
      kind: 'approval-expired',
      partnershipId: p.id,
      partnershipTitle: p.title,
      stage: 'introduction',
      at: expired.closedAt,
      approvalId: asked.body.id,
      taskId: null,
      title: expired.subject.title,
      dueDate: null,
    });
    expect(brief(afterExpiry.items)).toEqual([
      `approval-expired ${asked.body.id}`,
      `task-overdue ${survey.id}`,
    ]);

    // Bo coordinates none of it; observing it does not make it his work either.
    expect((await work(bo)).items).toEqual([]);
    expect(
      (
        await http(
          'PUT',
          v1(`/partnerships/${p.id}/members/${bo.id}`),
          { role: 'observer' },
          {},
          as(ana),
        )
      ).status,
    ).toBe(200);
    expect((await work(bo)).items).toEqual([]);

    // Ana acts on the partnership: the news is gone, the overdue task stays until it is done.
    const changed = await http(
      'PATCH',
      v1(`/partnerships/${p.id}/follow-up-policy`),
      { bilingualEmails: true },
      {},
      as(ana),
    );
    expect(changed.status).toBe(200);
    expect(brief((await work(ana)).items)).toEqual([`task-overdue ${survey.id}`]);
    expect(
      (await http('POST', v1(`/partnerships/${p.id}/tasks/${survey.id}/complete`), {}, {}, as(ana)))
        .status,
    ).toBe(200);
    expect((await work(ana)).items).toEqual([]);
  }, 90_000);

  it('lists escalations, answered requests and a stall until someone acts, from the timeline', async () => {
    // What takes days to happen for real, written as the workflow projects it.
    const id = randomUUID();
    const now = Date.now();
    const ago = (days: number): Date => new Date(now - days * DAY_MS);
    await pool.query(
      `INSERT INTO partnerships (id, title, stage, status, coordinator_name, coordinator_email, areas, workflow_id,
                                 last_sequence, template_key, template_version, created_at, updated_at, last_activity_at)
       VALUES ($1::uuid, $2, 'knowledge_sharing', 'active', 'Ana', $3, '[]', 'partnership-' || $1::text, 9,
               'default', 1, $4, $4, $5)`,
      [id, `Stalled ${id}`, ana.email, ago(30), ago(1)],
    );
    await pool.query(
      `INSERT INTO partnership_members (partnership_id, user_id, role) VALUES ($1, $2, 'coordinator')`,
      [id, ana.id],
    );
    await pool.query(
      `INSERT INTO partnership_tasks (partnership_id, id, stage, position, title, required, kind, status, source, updated_sequence)
       VALUES ($1, 'knowledge_sharing.report', 'knowledge_sharing', 1, 'Share the report', true, 'task', 'open', 'template', 1)`,
      [id],
    );
    const events: [string, string, number][] = [
      ['partnership.created', 'user', 30],
      ['stage.advanced', 'user', 20],
      ['approval.rejected', 'contact', 4],
      ['task.renamed', 'user', 3.5], // Ana acted after the rejection, before the rest
      ['approval.approved', 'contact', 3],
      ['approval.escalated', 'system', 2],
      ['stage.stalled', 'system', 1],
      ['reminder.sent', 'system', 0.5], // the system does not end a stall
    ];
    for (const [i, [type, kind, days]] of events.entries()) {
      await pool.query(
        `INSERT INTO partnership_events (partnership_id, sequence, type, actor, occurred_at, payload)
         VALUES ($1, $2, $3, jsonb_build_object('kind', $4::text), $5, '{}')`,
        [id, i + 1, type, kind, ago(days)],
      );
    }
    const request = async (
      status: string,
      title: string,
      closedDays: number | null,
      escalatedDays: number | null = null,
    ): Promise<string> => {
      const approvalId = randomUUID();
      await pool.query(
        `INSERT INTO approval_requests (id, partnership_id, subject, status, requested_at, deadline, closed_at,
                                        requested_by, organisations, escalated_at, updated_sequence)
         VALUES ($1, $2, jsonb_build_object('kind', 'document', 'title', $3::text), $4, $5, $6, $7, '{}', '[]', $8, 9)`,
        [
          approvalId,
          id,
          title,
          status,
          ago(10),
          new Date(now + 10 * DAY_MS),
          closedDays === null ? null : ago(closedDays),
          escalatedDays === null ? null : ago(escalatedDays),
        ],
      );
      return approvalId;
    };
    await request('rejected', 'Budget', 4);
    const approved = await request('approved', 'MoU', 3);
    const escalated = await request('pending', 'Work plan', null, 2);
    await request('withdrawn', 'Old plan', 5);

    const items = (await work(ana)).items.filter((i: any) => i.partnershipId === id);
    expect(items).toEqual([
      {
        kind: 'stage-stalled',
        partnershipId: id,
        partnershipTitle: `Stalled ${id}`,
        stage: 'knowledge_sharing',
        at: ago(1).toISOString(),
        approvalId: null,
        taskId: null,
        title: null,
        dueDate: null,
      },
      expect.objectContaining({
        kind: 'approval-escalated',
        approvalId: escalated,
        title: 'Work plan',
        at: ago(2).toISOString(),
      }),
      expect.objectContaining({
        kind: 'approval-approved',
        approvalId: approved,
        title: 'MoU',
        at: ago(3).toISOString(),
      }),
    ]);

    // A partner's answer ends the stall (anyone but the system restarts its clock); only Ana's
    // side ends the news of the requests.
    await pool.query(
      `INSERT INTO partnership_events (partnership_id, sequence, type, actor, occurred_at, payload)
       VALUES ($1, 20, 'approval.decided', '{"kind":"contact"}', $2, '{}')`,
      [id, ago(0.2)],
    );
    expect(brief((await work(ana)).items.filter((i: any) => i.partnershipId === id))).toEqual([
      `approval-escalated ${escalated}`,
      `approval-approved ${approved}`,
    ]);
    await pool.query(
      `INSERT INTO partnership_events (partnership_id, sequence, type, actor, occurred_at, payload)
       VALUES ($1, 21, 'task.assigned', '{"kind":"user"}', $2, '{}')`,
      [id, ago(0.1)],
    );
    expect((await work(ana)).items.filter((i: any) => i.partnershipId === id)).toEqual([]);
  });
});
