import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { overdueFrom } from '@libs/domain';
import { foundingCaseRequest } from '../support/fixtures';
import { http, RunningApi } from '../support/stack';
import { usePlatform } from '../support/use-platform';

const DAY_MS = 24 * 3600 * 1000;

/** The board's cards (GET /api/v1/partnerships), everything real. */
describe('the board (end to end)', () => {
  let api: RunningApi;
  let pool: Pool;

  usePlatform((platform) => ({ api, pool } = platform));

  const url = (path: string): string => `${api.url}/api/v1/partnerships${path}`;
  const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

  it('shows partners, days in stage, open, overdue and awaited work and the paused mark', async () => {
    const suffix = randomUUID().slice(0, 8);
    const created = await http('POST', url(''), foundingCaseRequest(suffix));
    expect(created.status).toBe(201);
    const p = created.body;
    const [cn, es] = p.organisations as { id: string; name: string; contacts: { id: string }[] }[];
    expect(cn.name).toContain('Sichuan'); // partners by name
    const [first, second] = p.tasksByStage.introduction as { id: string; required: boolean }[];
    // Overdue: due two days ago for the Chinese contact (in any zone, the next day has begun).
    expect(
      (
        await http('PATCH', url(`/${p.id}/tasks/${first.id}`), {
          assigneeContactId: cn.contacts[0].id,
          dueDate: isoDate(Date.now() - 2 * DAY_MS),
        })
      ).status,
    ).toBe(200);
    // Not overdue: due in a month.
    expect(
      (
        await http('PATCH', url(`/${p.id}/tasks/${second.id}`), {
          dueDate: isoDate(Date.now() + 30 * DAY_MS),
        })
      ).status,
    ).toBe(200);
    const approval = await http('POST', url(`/${p.id}/approvals`), {
      subject: { kind: 'gate' },
      deadline: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    });
    expect(approval.status).toBe(201);
    const paused = await http('POST', url(`/${p.id}/pause`), { comment: 'summer break' });
    expect(paused.status).toBe(200);
    const openRequired = (paused.body.tasksByStage.introduction as any[]).filter(
      (t) => t.required && t.status === 'open',
    ).length;

    const board = await http('GET', url(`?q=${suffix}`));
    expect(board.status).toBe(200);
    expect(board.body).toMatchObject({ page: 1, pageSize: 20, total: 1 });
    expect(board.body.items).toEqual([
      {
        id: p.id,
        title: p.title,
        stage: 'introduction',
        status: 'paused',
        coordinator: p.coordinator,
        organisations: [
          { id: cn.id, name: cn.name, country: 'CN' },
          { id: es.id, name: es.name, country: 'ES' },
        ],
        // Entered at creation: the partnership.created event.
        stageEnteredAt: p.createdAt,
        daysInStage: 0,
        openRequiredTasks: openRequired,
        overdueTasks: 1,
        pendingApprovals: 1,
        // The gate request asks every partner (rule any); neither has answered.
        awaitingOrganisationIds: [cn.id, es.id],
        lastActivityAt: paused.body.lastActivityAt,
      },
    ]);
    expect(openRequired).toBeGreaterThan(0);
    expect(board.body.countsByStage).toEqual({
      introduction: 1,
      area_exploration: 0,
      knowledge_sharing: 0,
      project_proposal: 0,
      agreed: 0,
    });
    expect(board.body.countsByStatus).toEqual({ active: 0, paused: 1, agreed: 0, closed: 0 });

    // The status filter: no active one; the counts per status ignore it, those per stage do not.
    const active = await http('GET', url(`?q=${suffix}&status=active`));
    expect(active.body).toMatchObject({ total: 0, items: [] });
    expect(active.body.countsByStage.introduction).toBe(0);
    expect(active.body.countsByStatus).toEqual({ active: 0, paused: 1, agreed: 0, closed: 0 });
    // `open` is what the board shows by default: active and paused, never closed or agreed.
    const open = await http('GET', url(`?q=${suffix}&status=open`));
    expect(open.body).toMatchObject({ total: 1 });
    expect(open.body.items.map((c: { id: string }) => c.id)).toEqual([p.id]);
    expect(open.body.countsByStage.introduction).toBe(1);
    const closed = await http('GET', url(`?q=${suffix}&status=closed`));
    expect(closed.body).toMatchObject({ total: 0, items: [] });
    // The stage filter the other way round.
    const later = await http('GET', url(`?q=${suffix}&stage=area_exploration`));
    expect(later.body).toMatchObject({ total: 0, items: [] });
    expect(later.body.countsByStage.introduction).toBe(1);
    expect(later.body.countsByStatus.paused).toBe(0);
    // A partner's name finds it too.
    const byPartner = await http('GET', url(`?q=${encodeURIComponent(`(EIRI) ${suffix}`)}`));
    expect(byPartner.body.items.map((c: { id: string }) => c.id)).toEqual([p.id]);
  });

  it('counts days in the stage from the last stage change, overdue tasks in each zone and the rule of each organisation', async () => {
    // A read model as the workflow writes it, with a history that HTTP cannot fake: entered its
    // stage 12 days ago, tasks due in different zones, an approval half given.
    const id = randomUUID();
    const title = `Board read model ${id}`;
    const [orgA, orgB, orgC] = [randomUUID(), randomUUID(), randomUUID()];
    const [kiritimati, losAngeles, unknownZone, a2, b1] = Array.from({ length: 5 }, () =>
      randomUUID(),
    );
    const now = Date.now();
    await pool.query(
      `INSERT INTO organisations (id, name, country, kind) VALUES
         ($1, 'Alpha ' || $4::text, 'ES', 'agency'), ($2, 'Beta ' || $4::text, 'CN', 'institute'), ($3, 'Gamma ' || $4::text, 'FR', 'company')`,
      [orgA, orgB, orgC, id],
    );
    const contact = (cid: string, org: string, zone: string): Promise<unknown> =>
      pool.query(
        `INSERT INTO contacts (id, organisation_id, name, email, language, time_zone, working_hours)
         VALUES ($1::uuid, $2, 'c', $1::text || '@example.org', 'en', $3, '{"start":"09:00","end":"18:00","days":[1,2,3,4,5]}')`,
        [cid, org, zone],
      );
    await contact(kiritimati, orgA, 'Pacific/Kiritimati');
    await contact(losAngeles, orgA, 'America/Los_Angeles');
    await contact(unknownZone, orgB, 'Mars/Olympus_Mons'); // unknown to PostgreSQL: counted as UTC
    await contact(a2, orgA, 'Europe/Madrid');
    await contact(b1, orgB, 'Asia/Shanghai');
    await pool.query(
      `INSERT INTO partnerships (id, title, stage, status, coordinator_name, coordinator_email, areas, workflow_id,
                                 last_sequence, template_key, template_version, created_at, updated_at, last_activity_at)
       VALUES ($1::uuid, $2, 'area_exploration', 'active', 'Ana', 'ana@iurc.example', '[]', 'partnership-' || $1::text, 5,
               'default', 1, $3, $3, $4)`,
      [id, title, new Date(now - 30 * DAY_MS), new Date(now - DAY_MS)],
    );
    await pool.query(
      `INSERT INTO partnership_organisations (partnership_id, organisation_id) VALUES ($1, $2), ($1, $3), ($1, $4)`,
      [id, orgA, orgB, orgC],
    );
    const event = (sequence: number, type: string, ago: number): Promise<unknown> =>
      pool.query(
        `INSERT INTO partnership_events (partnership_id, sequence, type, actor, occurred_at, payload)
         VALUES ($1, $2, $3, '{"kind":"user"}', $4, '{}')`,
        [id, sequence, type, new Date(now - ago)],
      );
    await event(1, 'partnership.created', 30 * DAY_MS);
    await event(2, 'stage.advanced', 20 * DAY_MS);
    await event(3, 'stage.sent_back', 15 * DAY_MS);
    await event(4, 'stage.advanced', 12 * DAY_MS + 3600_000);
    await event(5, 'task.completed', DAY_MS);
    const today = isoDate(now);
    const task = (
      key: string,
      stage: string,
      required: boolean,
      status: string,
      assignee: string | null,
      due: string | null,
    ): Promise<unknown> =>
      pool.query(
        `INSERT INTO partnership_tasks (partnership_id, id, stage, position, title, required, kind, status,
                                        assignee_contact_id, due_date, source, updated_sequence)
         VALUES ($1, $2, $3, 1, $2, $4, 'task', $5, $6, $7, 'custom', 5)`,
        [id, key, stage, required, status, assignee, due],
      );
    await task('a', 'area_exploration', true, 'open', kiritimati, today);
    await task('b', 'area_exploration', true, 'open', losAngeles, isoDate(now - 2 * DAY_MS));
    await task('c', 'area_exploration', false, 'open', unknownZone, isoDate(now - 2 * DAY_MS));
    await task('d', 'area_exploration', true, 'done', losAngeles, isoDate(now - 5 * DAY_MS));
    await task('e', 'area_exploration', true, 'open', null, isoDate(now + 2 * DAY_MS));
    await task('f', 'introduction', true, 'done', null, null);
    const approver = (contactId: string, outcome: 'approved' | null): Record<string, unknown> => ({
      contactId,
      delegatedFrom: null,
      delegated: false,
      decision: outcome
        ? { outcome, comment: null, at: new Date(now).toISOString(), contactId }
        : null,
    });
    const approvalRow = (status: string, organisations: unknown[]): Promise<unknown> =>
      pool.query(
        `INSERT INTO approval_requests (id, partnership_id, subject, status, requested_at, deadline, requested_by,
                                        organisations, updated_sequence)
         VALUES ($1, $2, '{"kind":"document","title":"MoU"}', $3, $4, $5, '{}', $6, 5)`,
        [
          randomUUID(),
          id,
          status,
          new Date(now - DAY_MS),
          new Date(now + 9 * DAY_MS),
          JSON.stringify(organisations),
        ],
      );
    // A: all of two, one approved (awaited); B: any, approved (not awaited); C: quorum of 1 of none.
    await approvalRow('pending', [
      {
        organisationId: orgA,
        rule: { kind: 'all' },
        approvers: [approver(kiritimati, 'approved'), approver(a2, null)],
      },
      {
        organisationId: orgB,
        rule: { kind: 'any' },
        approvers: [approver(b1, 'approved'), approver(unknownZone, null)],
      },
    ]);
    await approvalRow('pending', [
      { organisationId: orgC, rule: { kind: 'quorum', n: 1 }, approvers: [] },
    ]);
    await approvalRow('rejected', [
      { organisationId: orgB, rule: { kind: 'any' }, approvers: [approver(b1, null)] },
    ]);

    const board = await http('GET', url(`?q=${encodeURIComponent(id)}`));
    expect(board.status).toBe(200);
    const [card] = board.body.items;
    // Kiritimati (UTC+14) reaches the day after `today` at 10:00 UTC: the domain's rule decides.
    const kiritimatiOverdue = overdueFrom(today, 'Pacific/Kiritimati').getTime() <= Date.now();
    expect(card).toMatchObject({
      id,
      stage: 'area_exploration',
      status: 'active',
      stageEnteredAt: new Date(now - 12 * DAY_MS - 3600_000).toISOString(),
      daysInStage: 12,
      openRequiredTasks: 3, // a, b, e (f is of another stage, d is done)
      overdueTasks: (kiritimatiOverdue ? 1 : 0) + 2, // b, c (d is done, e not yet due)
      pendingApprovals: 2,
      awaitingOrganisationIds: [orgA, orgC],
    });
    expect(card.organisations.map((o: { country: string }) => o.country)).toEqual([
      'ES',
      'CN',
      'FR',
    ]);
  });
});
