import { Client } from '@temporalio/client';
import { Pool } from 'pg';
import { PartnershipSearchAttributes } from '@workflows/partnership/partnership.contract';
import { openGate } from '../support/consent';
import { foundingCaseRequest } from '../support/fixtures';
import { adminToken, http, RunningApi, waitFor, TEST_ADMIN_EMAIL } from '../support/stack';
import { usePlatform } from '../support/use-platform';
import { waitUntilQuiet } from '../support/state-snapshot';

/** A partnership driven from creation to agreed through HTTP only, everything real. */
describe('partnership lifecycle over HTTP (end to end)', () => {
  let api: RunningApi;
  let pool: Pool;
  let client: Client;

  usePlatform((platform) => ({ api, pool, client } = platform));

  const url = (path: string): string => `${api.url}/api/v1/partnerships${path}`;

  /** Everything an illegal action must leave unchanged: history, projection row, tasks, timeline. */
  async function snapshot(id: string): Promise<unknown> {
    await waitUntilQuiet(pool, client, [id]);
    const history = await client.workflow.getHandle(`partnership-${id}`).fetchHistory();
    const row = await pool.query(
      'SELECT stage, status, last_sequence FROM partnerships WHERE id = $1',
      [id],
    );
    const tasks = await pool.query(
      'SELECT id, status, assignee_contact_id, due_date, updated_sequence FROM partnership_tasks WHERE partnership_id = $1 ORDER BY id',
      [id],
    );
    const events = await pool.query(
      'SELECT count(*)::int AS n FROM partnership_events WHERE partnership_id = $1',
      [id],
    );
    return {
      historyLength: history.events?.length,
      row: row.rows,
      tasks: tasks.rows,
      events: events.rows[0].n,
    };
  }

  /** Partner contacts' addresses by partnership: they answer approval requests by their links. */
  const partners = new Map<string, string[]>();

  async function create(): Promise<Record<string, any>> {
    const request = foundingCaseRequest();
    const res = await http('POST', url(''), request);
    expect(res.status).toBe(201);
    partners.set(
      res.body.id,
      request.organisations.map((o: { contacts: { email: string }[] }) => o.contacts[0].email),
    );
    return res.body;
  }

  /**
   * Opens the gate as people would: the coordinator completes the open required tasks, the
   * partners approve through their e-mailed links the approval tasks only they complete and,
   * where the gate needs it (the project proposal), its consent.
   */
  async function completeGate(id: string): Promise<Record<string, any>> {
    const last = await openGate(api.url, id, partners.get(id)!);
    expect(last.gate).toMatchObject({ open: true, blockers: [] });
    return last;
  }

  async function stageInVisibility(id: string, stage: string): Promise<void> {
    await waitFor(
      async () => {
        const { count } = await client.workflow.count(
          `PartnershipId = '${id}' AND PartnershipStage = '${stage}'`,
        );
        return count === 1;
      },
      { what: `visibility to show ${stage}` },
    );
  }

  it('goes from creation to agreed, every event on the timeline in PostgreSQL and the stage in Temporal', async () => {
    const created = await create();
    const id = created.id as string;
    expect(created.tasksByStage.introduction.map((t: { title: string }) => t.title)).toEqual([
      'Hold the introductory meeting',
      'Exchange organisation profiles',
      'Share ongoing projects and initiatives',
    ]);
    expect(created.gate.open).toBe(false);
    expect(created.templateVersion).toBe(2);

    // Illegal: advance with open tasks → 409 naming them; nothing changes anywhere.
    const before = await snapshot(id);
    const refused = await http('POST', url(`/${id}/advance`), {});
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.code).toBe('GATE_TASKS_OPEN');
    expect(refused.body.blockers.map((b: { taskId: string }) => b.taskId)).toEqual([
      'introduction.introductory_meeting',
      'introduction.organisation_profiles',
      'introduction.ongoing_projects',
    ]);
    const unknown = await http('POST', url(`/${id}/tasks/no-such-task/complete`), {});
    expect(unknown.status).toBe(409);
    expect(unknown.body.code).toBe('TASK_NOT_FOUND');
    const resume = await http('POST', url(`/${id}/resume`), {});
    expect(resume.body.code).toBe('PARTNERSHIP_NOT_PAUSED');
    const noReason = await http('POST', url(`/${id}/send-back`), {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([
      { field: 'reason', messages: ['reason is required to send back'] },
    ]);
    const unknownField = await http('POST', url(`/${id}/advance`), { comment: 'x', force: true });
    expect(unknownField.status).toBe(400);
    expect(await snapshot(id)).toEqual(before);

    // A custom task, assigned to the Chinese contact with a due date.
    const contact = created.organisations.find((o: { country: string }) => o.country === 'CN')
      .contacts[0];
    const added = await http('POST', url(`/${id}/tasks`), { title: 'Share SME maturity report' });
    expect(added.status).toBe(201);
    const custom = added.body.tasksByStage.introduction.at(-1);
    expect(custom).toMatchObject({
      title: 'Share SME maturity report',
      source: 'custom',
      required: true,
    });
    const patched = await http('PATCH', url(`/${id}/tasks/${custom.id}`), {
      assigneeContactId: contact.id,
      dueDate: '2027-01-15',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.tasksByStage.introduction.at(-1)).toMatchObject({
      assigneeContactId: contact.id,
      dueDate: '2027-01-15',
    });
    const stranger = await http('PATCH', url(`/${id}/tasks/${custom.id}`), {
      assigneeContactId: '00000000-0000-4000-8000-000000000000',
    });
    expect(stranger.body.code).toBe('ASSIGNEE_NOT_A_CONTACT');

    // Pause: advancing is refused until resumed.
    await completeGate(id);
    expect((await http('POST', url(`/${id}/pause`), { comment: 'Holidays' })).body.status).toBe(
      'paused',
    );
    expect((await http('POST', url(`/${id}/advance`), {})).body.code).toBe('PARTNERSHIP_PAUSED');
    expect((await http('POST', url(`/${id}/resume`), {})).body.status).toBe('active');

    const toExploration = await http('POST', url(`/${id}/advance`), {
      comment: 'Introductions done',
    });
    expect(toExploration.status).toBe(200);
    expect(toExploration.body.stage).toBe('area_exploration');
    // The acknowledged write is visible to the next read.
    expect((await http('GET', url(`/${id}`))).body.stage).toBe('area_exploration');
    await stageInVisibility(id, 'area_exploration');

    await completeGate(id);
    expect((await http('POST', url(`/${id}/advance`), {})).body.stage).toBe('knowledge_sharing');
    await stageInVisibility(id, 'knowledge_sharing');

    // Send back with a reason, reopen a task, then come forward again.
    const back = await http('POST', url(`/${id}/send-back`), {
      reason: 'Priority areas need the funding view',
    });
    expect(back.body.stage).toBe('area_exploration');
    await stageInVisibility(id, 'area_exploration');
    const reopened = await http(
      'POST',
      url(`/${id}/tasks/area_exploration.priority_areas/reopen`),
      {},
    );
    expect(reopened.body.gate.blockers.map((b: { taskId: string }) => b.taskId)).toEqual([
      'area_exploration.priority_areas',
    ]);
    await completeGate(id);
    expect((await http('POST', url(`/${id}/advance`), {})).body.stage).toBe('knowledge_sharing');

    await completeGate(id);
    expect((await http('POST', url(`/${id}/advance`), {})).body.stage).toBe('project_proposal');
    await completeGate(id);
    const agreed = await http('POST', url(`/${id}/advance`), { comment: 'Agreement signed' });
    expect(agreed.body).toMatchObject({ stage: 'agreed', status: 'agreed', gate: { open: false } });
    await stageInVisibility(id, 'agreed');
    // It ends once the coordinator's e-mails about the closed requests have gone.
    const description = await waitFor(
      async () => {
        const d = await client.workflow.getHandle(`partnership-${id}`).describe();
        return d.status.name === 'COMPLETED' ? d : undefined;
      },
      { what: 'the workflow to complete' },
    );
    expect(description.typedSearchAttributes.get(PartnershipSearchAttributes.status)).toBe(
      'agreed',
    );

    // After agreed nothing changes.
    const late = await http('POST', url(`/${id}/tasks/project_proposal.next_steps/reopen`), {});
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('PARTNERSHIP_AGREED');

    // The timeline, event by event, from the API and in PostgreSQL.
    const rows = (
      await pool.query(
        'SELECT sequence, type FROM partnership_events WHERE partnership_id = $1 ORDER BY sequence',
        [id],
      )
    ).rows as { sequence: number; type: string }[];
    expect(rows.map((r) => r.sequence)).toEqual(rows.map((_, i) => i + 1)); // no gap, no duplicate
    const done = (n: number): string[] => Array(n).fill('task.completed');
    // Both partners answer through their links (each an approval.decided by the contact).
    const consent = [
      'approval.requested',
      'approval.decided',
      'approval.decided',
      'approval.approved',
    ];
    // An approval task only the partners complete: their approval completes it.
    const approvedTask = [...consent, 'task.completed'];
    expect(rows.map((r) => r.type)).toEqual([
      'partnership.created',
      'task.added',
      'task.assigned',
      'task.due_date_set',
      ...done(4),
      'partnership.paused',
      'partnership.resumed',
      'stage.advanced',
      ...done(2),
      ...approvedTask,
      'stage.advanced',
      'stage.sent_back',
      'task.reopened',
      ...approvedTask,
      'stage.advanced',
      ...done(4),
      'stage.advanced',
      ...done(1),
      ...approvedTask,
      ...done(1),
      ...consent,
      'stage.advanced',
      'partnership.agreed',
    ]);
    const page1 = await http('GET', url(`/${id}/timeline?pageSize=10`));
    const page3 = await http('GET', url(`/${id}/timeline?pageSize=10&page=3`));
    expect(page1.body.total).toBe(rows.length);
    expect(page1.body.items.map((e: { sequence: number }) => e.sequence)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(page3.body.items[0]).toMatchObject({
      sequence: 21,
      type: rows[20].type,
      actor: { kind: 'user', email: TEST_ADMIN_EMAIL },
    });
    const sentBack = (await http('GET', url(`/${id}/timeline?pageSize=100`))).body.items.find(
      (e: { type: string }) => e.type === 'stage.sent_back',
    );
    expect(sentBack.payload).toMatchObject({
      from: 'knowledge_sharing',
      to: 'area_exploration',
      reason: 'Priority areas need the funding view',
    });
  });

  it('closes from any stage with a reason, after which actions answer 409 PARTNERSHIP_CLOSED', async () => {
    const { id } = await create();
    const closed = await http('POST', url(`/${id}/close`), { reason: 'Programme funding ended' });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    const before = await snapshot(id);
    const after = await http(
      'POST',
      url(`/${id}/tasks/introduction.introductory_meeting/complete`),
      {},
    );
    expect(after.status).toBe(409);
    expect(after.body.code).toBe('PARTNERSHIP_CLOSED');
    expect(await snapshot(id)).toEqual(before);
  });

  it('lists the board with filters, counts per stage and bounded pages', async () => {
    const a = await create();
    await completeGate(a.id);
    await http('POST', url(`/${a.id}/advance`), {});
    const list = await http(
      'GET',
      url(`?stage=area_exploration&q=${encodeURIComponent(a.title.slice(-8))}`),
    );
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    expect(list.body.countsByStage).toMatchObject({ area_exploration: 1, introduction: 0 });
    const byOrg = await http('GET', url(`?q=${encodeURIComponent(a.organisations[0].name)}`));
    expect(byOrg.body.items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    // `%` matches literally: only titles or partner names that contain it (other suites may
    // have made some), never the whole board.
    const board = await http('GET', url('?pageSize=1'));
    const wildcard = await http('GET', url('?q=%25&pageSize=100'));
    expect(wildcard.body.total).toBeLessThan(board.body.total);
    for (const item of wildcard.body.items as {
      title: string;
      organisations: { name: string }[];
    }[]) {
      expect([item.title, ...item.organisations.map((o) => o.name)].join(' ')).toContain('%');
    }
    const tooBig = await http('GET', url('?pageSize=101'));
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.errors[0].field).toBe('pageSize');
    const badStage = await http('GET', url("?stage=agreed'--"));
    expect(badStage.status).toBe(400);
  });

  it('streams timeline events live over server-sent events', async () => {
    const { id } = await create();
    const abort = new AbortController();
    const res = await fetch(url(`/${id}/events/stream`), {
      signal: abort.signal,
      headers: { authorization: `Bearer ${await adminToken(api.url)}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (needle: string): Promise<void> => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += Buffer.from(value).toString('utf8');
      }
    };
    await readUntil('event: partnership.created');
    await http('POST', url(`/${id}/tasks/introduction.introductory_meeting/complete`), {});
    await readUntil('event: task.completed');
    expect(text).toContain('id: 2\n');
    abort.abort();
  });
});
