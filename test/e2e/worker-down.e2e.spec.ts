import { foundingCaseRequest } from '../support/fixtures';
import { approvalToken, awaitMessages } from '../support/mailpit';
import { http, Platform, startPlatform, startWorker } from '../support/stack';

/** The deadline the API under test gives each call to a workflow (TEMPORAL_CALL_TIMEOUT_MS). */
const DEADLINE_MS = 3_000;

/**
 * With the worker stopped, an update would wait for a worker forever. The API answers a clear
 * problem within its deadline instead, nothing is recorded, and the update Temporal still holds
 * is refused when a worker comes back, so the same link still works afterwards.
 */
describe('a change sent while the worker is stopped (end to end)', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({ TEMPORAL_CALL_TIMEOUT_MS: String(DEADLINE_MS) });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const url = (path: string): string => `${platform.api.url}${path}`;

  async function submit(
    token: string,
    decision: string,
  ): Promise<{ status: number; html: string; headers: Headers; ms: number }> {
    const started = Date.now();
    const res = await fetch(url(`/a/${token}`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ decision }).toString(),
      // Far past the deadline: today's code waits for a worker and this is what ends it.
      signal: AbortSignal.timeout(DEADLINE_MS + 15_000),
    });
    return {
      status: res.status,
      html: await res.text(),
      headers: res.headers,
      ms: Date.now() - started,
    };
  }

  async function decisionsOf(partnershipId: string, approvalId: string): Promise<unknown[]> {
    const events = await platform.pool.query(
      `SELECT sequence FROM partnership_events
        WHERE partnership_id = $1 AND type = 'approval.decided' AND payload->>'approvalId' = $2`,
      [partnershipId, approvalId],
    );
    return events.rows;
  }

  it('a decision through a link: a page in the partner’s language within the deadline, nothing recorded, the link still works', async () => {
    const request = foundingCaseRequest();
    const created = await http('POST', url('/api/v1/partnerships'), request);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const asked = await http('POST', url(`/api/v1/partnerships/${id}/approvals`), {
      subject: { kind: 'document', title: 'Memorandum of understanding' },
      deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
    expect(asked.status).toBe(201);
    const esEmail = request.organisations[0].contacts[0].email as string;
    const [message] = await awaitMessages(esEmail, 1);
    const token = approvalToken(message);

    await platform.worker.stop();

    const refused = await submit(token, 'approve');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toContain('text/html');
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.html).toContain('No se ha cambiado nada');
    expect(refused.html).toContain('mismo enlace');
    expect(refused.ms).toBeLessThan(DEADLINE_MS + 5_000);

    // A coordinator's change meets the same deadline, as problem+json.
    const advance = await http(
      'POST',
      url(`/api/v1/partnerships/${id}/tasks/introduction.introductory_meeting/complete`),
      {},
    );
    expect(advance.status).toBe(503);
    expect(advance.headers.get('content-type')).toContain('application/problem+json');
    expect(advance.headers.get('retry-after')).toBe('5');
    expect(advance.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', cause: 'timeout' });

    const row = await platform.pool.query(
      'SELECT organisations FROM approval_requests WHERE id = $1',
      [asked.body.id],
    );
    expect(JSON.stringify(row.rows[0].organisations)).not.toContain('"outcome"');
    expect(await decisionsOf(id, asked.body.id)).toHaveLength(0);

    // The worker comes back: Temporal hands it the updates it kept, which arrive late and are
    // refused; the partner's second try is the one recorded (the first, had it been applied,
    // would make this answer "already decided").
    platform.worker = await startWorker({}, platform.output.worker);
    const again = await submit(token, 'approve');
    expect(again.status).toBe(200);
    expect(again.html).toContain('su aprobación');
    expect(await decisionsOf(id, asked.body.id)).toHaveLength(1);
    const tasks = await platform.pool.query(
      `SELECT status FROM partnership_tasks WHERE partnership_id = $1 AND id = 'introduction.introductory_meeting'`,
      [id],
    );
    expect(tasks.rows[0].status).not.toBe('done');
  });

  it('a closure day set while the worker is stopped: answered within the deadline with the partnership not re-planned, which a re-plan fixes later', async () => {
    const created = await http('POST', url('/api/v1/partnerships'), foundingCaseRequest());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const org = created.body.organisations[0].id as string;
    const date = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);

    await platform.worker.stop();
    const started = Date.now();
    const set = await http('PUT', url(`/api/v1/organisations/${org}/closures/${date}`), {
      name: 'Cierre',
    });
    // Each workflow has TEMPORAL_CALL_TIMEOUT_MS; the answer comes, the closure is kept.
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 10_000);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      items: [{ date, name: 'Cierre' }],
      replanned: [],
      notReplanned: [id],
    });

    platform.worker = await startWorker({}, platform.output.worker);
    const replanned = await http('POST', url(`/api/v1/organisations/${org}/closures/replan`));
    expect(replanned.status).toBe(200);
    expect(replanned.body).toMatchObject({ replanned: [id], notReplanned: [] });
  });
});
