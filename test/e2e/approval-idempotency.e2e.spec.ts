import { foundingCaseRequest } from '../support/fixtures';
import { http, login, Platform, startPlatform } from '../support/stack';

/**
 * `POST /partnerships/:id/approvals` with an `Idempotency-Key`, like partnerships and webhooks:
 * the key is validated, each user's keys are their own, and the same key with another body is
 * refused with 422 instead of answering the first request as if it were this one.
 */
describe('approval request Idempotency-Key (end to end)', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const url = (path: string): string => `${platform.api.url}/api/v1${path}`;
  const inDays = (n: number): string => new Date(Date.now() + n * 86_400_000).toISOString();

  async function approvalIds(partnershipId: string): Promise<string[]> {
    const res = await platform.pool.query(
      'SELECT id FROM approval_requests WHERE partnership_id = $1 ORDER BY requested_at',
      [partnershipId],
    );
    return res.rows.map((r: { id: string }) => r.id);
  }

  it('frees the key of a request the workflow refused: the next body under it is a new request', async () => {
    const created = await http('POST', url('/partnerships'), foundingCaseRequest());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const [es, cn] = created.body.organisations as { id: string; contacts: { id: string }[] }[];
    const key = { 'idempotency-key': `refused-${Math.random()}` };
    // Well-formed, but the rule book refuses it: an approver who is not of that organisation.
    const refusedBody = {
      subject: { kind: 'document', title: 'Memorandum of understanding' },
      deadline: inDays(7),
      organisations: [
        { organisationId: es.id, rule: { kind: 'any' }, approverContactIds: [cn.contacts[0].id] },
      ],
    };
    const refused = await http('POST', url(`/partnerships/${id}/approvals`), refusedBody, key);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('INVALID_APPROVAL_REQUEST');
    expect(await approvalIds(id)).toEqual([]);

    const body = { subject: refusedBody.subject, deadline: refusedBody.deadline };
    const accepted = await http('POST', url(`/partnerships/${id}/approvals`), body, key);
    expect(accepted.status).toBe(201);
    expect(await approvalIds(id)).toEqual([accepted.body.id]);
    // And the key now belongs to that request: the refused body under it is a reuse.
    const reused = await http('POST', url(`/partnerships/${id}/approvals`), refusedBody, key);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('replays the same body, refuses another body with 422, and keeps each user’s keys apart', async () => {
    const created = await http('POST', url('/partnerships'), foundingCaseRequest());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const key = { 'idempotency-key': `approval-${Math.random()}` };
    const body = {
      subject: { kind: 'document', title: 'Memorandum of understanding' },
      deadline: inDays(7),
    };

    const first = await http('POST', url(`/partnerships/${id}/approvals`), body, key);
    expect(first.status).toBe(201);
    const again = await http('POST', url(`/partnerships/${id}/approvals`), body, key);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);

    for (const other of [
      { ...body, deadline: inDays(14) },
      { ...body, subject: { kind: 'document', title: 'Another document' } },
      { subject: { kind: 'gate' }, deadline: body.deadline },
    ]) {
      const reused = await http('POST', url(`/partnerships/${id}/approvals`), other, key);
      expect(reused.status).toBe(422);
      expect(reused.headers.get('content-type')).toContain('application/problem+json');
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
    expect(await approvalIds(id)).toEqual([first.body.id]);

    // Another user's same key is another request.
    const email = `coordinator-${Math.random().toString(36).slice(2, 10)}@entente.test`;
    const password = 'a long enough password 42';
    const user = await http('POST', url('/users'), {
      email,
      name: 'Second coordinator',
      role: 'coordinator',
      password,
    });
    expect(user.status).toBe(201);
    expect(
      (
        await http('PUT', url(`/partnerships/${id}/members/${user.body.id}`), {
          role: 'coordinator',
        })
      ).status,
    ).toBe(200);
    const token = (await login(platform.api.url, email, password)).body.accessToken as string;
    const theirs = await http('POST', url(`/partnerships/${id}/approvals`), body, key, { token });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
    expect(await approvalIds(id)).toEqual([first.body.id, theirs.body.id]);
  });

  it('refuses a key that is not 1–200 visible ASCII characters, and records nothing', async () => {
    const created = await http('POST', url('/partnerships'), foundingCaseRequest());
    const id = created.body.id as string;
    for (const bad of ['two words', 'x'.repeat(201)]) {
      const res = await http(
        'POST',
        url(`/partnerships/${id}/approvals`),
        { subject: { kind: 'document', title: 'Memorandum' }, deadline: inDays(7) },
        { 'idempotency-key': bad },
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'Idempotency-Key' }],
      });
    }
    expect(await approvalIds(id)).toEqual([]);
  });
});
