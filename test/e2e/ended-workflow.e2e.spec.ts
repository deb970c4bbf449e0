import { Client } from '@temporalio/client';
import { Pool } from 'pg';
import { partnershipWorkflowId } from '@workflows/partnership/partnership.contract';
import { foundingCaseRequest } from '../support/fixtures';
import { http, RunningApi } from '../support/stack';
import { usePlatform } from '../support/use-platform';

/**
 * A running partnership whose workflow an operator terminated: every change is refused with a
 * code (409 PARTNERSHIP_WORKFLOW_ENDED), not a 500, and nothing is written. Against the real
 * Temporal server, which is what tells an update to an ended workflow apart.
 */
describe('changes to a partnership whose workflow has ended (end to end)', () => {
  let api: RunningApi;
  let pool: Pool;
  let client: Client;

  usePlatform((platform) => ({ api, pool, client } = platform));

  const url = (path: string): string => `${api.url}/api/v1${path}`;

  it('answers 409 PARTNERSHIP_WORKFLOW_ENDED with how it ended, and changes nothing', async () => {
    const created = await http('POST', url('/partnerships'), foundingCaseRequest());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await client.workflow.getHandle(partnershipWorkflowId(id)).terminate('operator test');
    const before = await pool.query(
      'SELECT stage, status, last_sequence FROM partnerships WHERE id = $1',
      [id],
    );

    const changes: [string, string, unknown][] = [
      ['POST', `/partnerships/${id}/pause`, {}],
      ['POST', `/partnerships/${id}/tasks`, { title: 'One more' }],
      ['PATCH', `/partnerships/${id}/follow-up-policy`, { bilingualEmails: true }],
      ['POST', `/partnerships/${id}/approvals`, { subject: { kind: 'gate' }, deadline: inDays(5) }],
    ];
    for (const [method, path, body] of changes) {
      const res = await http(method, url(path), body);
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({
        path,
        status: 409,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(res.body).toMatchObject({
        code: 'PARTNERSHIP_WORKFLOW_ENDED',
        workflowStatus: 'TERMINATED',
      });
    }
    const after = await pool.query(
      'SELECT stage, status, last_sequence FROM partnerships WHERE id = $1',
      [id],
    );
    expect(after.rows).toEqual(before.rows);
  });
});

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}
