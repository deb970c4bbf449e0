import { Pool } from 'pg';
import { foundingCaseRequest } from '../support/fixtures';
import { decideByLink, openGate, requestApproval } from '../support/consent';
import { http, RunningApi } from '../support/stack';
import { usePlatform } from '../support/use-platform';

/**
 * Gates and templates end to end, everything real: the default template's version 2 asks both
 * partners to consent to leave the project proposal (the agreement), its approval tasks are done
 * only when the partners approve them through their e-mailed links, and a send-back clears the
 * gate's consent.
 */
describe('gate consent and approval tasks of the default template (end to end)', () => {
  let api: RunningApi;
  let pool: Pool;

  usePlatform((platform) => ({ api, pool } = platform));

  const v1 = (path: string): string => `${api.url}/api/v1${path}`;

  /** What a refused call must leave as it was: the row, the tasks, the approvals, the timeline. */
  async function readModel(id: string): Promise<unknown> {
    const [row, tasks, approvals, events] = await Promise.all([
      pool.query('SELECT stage, status, last_sequence FROM partnerships WHERE id = $1', [id]),
      pool.query(
        'SELECT id, status, updated_sequence FROM partnership_tasks WHERE partnership_id = $1 ORDER BY id',
        [id],
      ),
      pool.query('SELECT id, status FROM approval_requests WHERE partnership_id = $1 ORDER BY id', [
        id,
      ]),
      pool.query('SELECT count(*)::int AS n FROM partnership_events WHERE partnership_id = $1', [
        id,
      ]),
    ]);
    return {
      row: row.rows,
      tasks: tasks.rows,
      approvals: approvals.rows,
      events: events.rows[0].n,
    };
  }

  async function advance(id: string) {
    return http('POST', v1(`/partnerships/${id}/advance`), {});
  }

  it('asks both partners to agree, completes and reopens approval tasks from their answers, and a send-back clears the consent', async () => {
    const request = foundingCaseRequest();
    const created = await http('POST', v1('/partnerships'), request);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.templateVersion).toBe(2);
    const es = request.organisations[0].contacts[0].email as string;
    const zh = request.organisations[1].contacts[0].email as string;
    const [esOrg, zhOrg] = (created.body.organisations as { id: string; name: string }[]).sort(
      (a, b) => (a.name.startsWith('Valencian') ? -1 : b.name.startsWith('Valencian') ? 1 : 0),
    );
    const organisationIds = [esOrg.id, zhOrg.id].sort();

    // Introduction, area exploration (its approval task by the partners) and knowledge sharing.
    for (const next of ['area_exploration', 'knowledge_sharing', 'project_proposal']) {
      await openGate(api.url, id, [es, zh]);
      const moved = await advance(id);
      expect(moved.status).toBe(200);
      expect(moved.body.stage).toBe(next);
    }

    // The proposal stage: the coordinator may not tick the partners' review.
    const review = 'project_proposal.review_proposal';
    const ticked = await http('POST', v1(`/partnerships/${id}/tasks/${review}/complete`), {});
    expect(ticked.status).toBe(409);
    expect(ticked.body.code).toBe('TASK_NEEDS_APPROVAL');
    for (const task of ['project_proposal.draft_proposal', 'project_proposal.next_steps']) {
      expect(
        (await http('POST', v1(`/partnerships/${id}/tasks/${task}/complete`), {})).status,
      ).toBe(200);
    }

    // Asking for the task sends the approval request; a rejection reopens it with the comment.
    const first = await requestApproval(api.url, id, { kind: 'task', taskId: review });
    const again = await http('POST', v1(`/partnerships/${id}/approvals`), {
      subject: { kind: 'task', taskId: review },
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(again.status).toBe(400);
    expect(await decideByLink(api.url, es, first, 'approve')).toBe(200);
    expect(await decideByLink(api.url, zh, first, 'reject', '请补充预算')).toBe(200);
    const afterRejection = await http('GET', v1(`/partnerships/${id}`));
    const reviewTask = () =>
      (afterRejection.body.tasksByStage.project_proposal as any[]).find((t) => t.id === review);
    expect(reviewTask()).toMatchObject({ status: 'open', answeredBy: 'partners' });
    const timeline = await http('GET', v1(`/partnerships/${id}/timeline?pageSize=100`));
    const reopened = (timeline.body.items as any[]).filter(
      (e) => e.type === 'task.reopened' && e.payload.taskId === review,
    );
    expect(reopened).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ kind: 'contact' }),
        payload: expect.objectContaining({ comment: '请补充预算', approvalId: first }),
      }),
    ]);

    // Asked again, approved by both: the approval completes the task.
    const second = await requestApproval(api.url, id, { kind: 'task', taskId: review });
    expect(await decideByLink(api.url, es, second, 'approve')).toBe(200);
    expect(await decideByLink(api.url, zh, second, 'approve')).toBe(200);
    const reviewed = await http('GET', v1(`/partnerships/${id}`));
    expect(
      (reviewed.body.tasksByStage.project_proposal as any[]).find((t) => t.id === review),
    ).toMatchObject({ status: 'done', completedAt: expect.any(String) });

    // Every task done, but no consent yet: agreed is refused, naming both partners; nothing changes.
    expect(reviewed.body.gate.consent).toMatchObject({
      required: true,
      rule: { consent: 'partners', organisationRule: 'any' },
      approvalId: null,
      status: 'not_requested',
    });
    const before = await readModel(id);
    const refused = await advance(id);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      code: 'GATE_CONSENT_MISSING',
      blockers: [{ kind: 'consent', approvalId: null, status: 'not_requested' }],
    });
    expect([...refused.body.blockers[0].organisationIds].sort()).toEqual(organisationIds);
    expect(await readModel(id)).toEqual(before);
    // The coordinator's work list does not call the gate ready either.
    const gateReady = async () =>
      ((await http('GET', v1('/me/work?pageSize=100'))).body.items as any[]).some(
        (i) => i.partnershipId === id && i.kind === 'gate-ready',
      );
    expect(await gateReady()).toBe(false);

    // One partner's consent is not enough.
    const consent = await requestApproval(api.url, id, { kind: 'gate' });
    expect(await decideByLink(api.url, es, consent, 'approve')).toBe(200);
    const half = await advance(id);
    expect(half.status).toBe(409);
    expect(half.body).toMatchObject({
      code: 'GATE_CONSENT_MISSING',
      blockers: [{ approvalId: consent, status: 'pending', organisationIds: [zhOrg.id] }],
    });
    const halfDetail = await http('GET', v1(`/partnerships/${id}`));
    expect(halfDetail.body.gate.consent.organisations).toEqual(
      expect.arrayContaining([
        {
          organisationId: esOrg.id,
          consented: true,
          consentedBy: [expect.any(String)],
        },
        { organisationId: zhOrg.id, consented: false, consentedBy: [] },
      ]),
    );
    expect(await decideByLink(api.url, zh, consent, 'approve')).toBe(200);
    const open = await http('GET', v1(`/partnerships/${id}`));
    expect(open.body.gate).toMatchObject({ open: true, consent: { status: 'approved' } });
    expect(await gateReady()).toBe(true);

    // Sent back and re-entered: the consent given before counts no more.
    const sentBack = await http('POST', v1(`/partnerships/${id}/send-back`), {
      reason: 'The budget changed',
    });
    expect(sentBack.body.stage).toBe('knowledge_sharing');
    expect((await advance(id)).body.stage).toBe('project_proposal');
    const cleared = await advance(id);
    expect(cleared.status).toBe(409);
    expect(cleared.body).toMatchObject({
      code: 'GATE_CONSENT_MISSING',
      blockers: [{ kind: 'consent', approvalId: null, status: 'not_requested' }],
    });
    expect(await gateReady()).toBe(false);

    // Asked again and given by both: agreed.
    const renewed = await requestApproval(api.url, id, { kind: 'gate' });
    expect(await decideByLink(api.url, es, renewed, 'approve')).toBe(200);
    expect(await decideByLink(api.url, zh, renewed, 'approve')).toBe(200);
    const agreed = await advance(id);
    expect(agreed.status).toBe(200);
    expect(agreed.body).toMatchObject({ stage: 'agreed', status: 'agreed' });
  });
});
