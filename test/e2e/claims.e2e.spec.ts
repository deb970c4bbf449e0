import { randomUUID } from 'node:crypto';
import { signApprovalLink } from '@libs/approval-links';
import { approvalLinkSecret, loadConfig } from '@libs/config';
import { escapeHtml } from '@libs/notifications';
import { words } from '../../apps/api/src/approvals/approval-page';
import { foundingCaseRequest } from '../support/fixtures';
import { http, login, Platform, requireEnv, startPlatform } from '../support/stack';

/**
 * Claims of the README and docs that no other test checked, each through the API as a user
 * would meet it: task approvals, a close that withdraws, an expired link, the audit log, and
 * partnership membership.
 */
describe('claims without a test until now (end to end)', () => {
  let platform: Platform;
  const v1 = (path: string): string => `${platform.api.url}/api/v1${path}`;
  const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();
  const secret = (): string =>
    approvalLinkSecret(
      loadConfig({ DATABASE_URL: requireEnv('TEST_DATABASE_URL'), NODE_ENV: 'test' }),
    );

  beforeAll(async () => {
    platform = await startPlatform();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  /** A setup call as the test admin (unless `token`); any other status than `status` fails it. */
  async function api(
    method: string,
    path: string,
    body?: unknown,
    { status = 200, token }: { status?: number; token?: string } = {},
  ): Promise<Record<string, any>> {
    const res = await http(method, v1(path), body, {}, token ? { token } : {});
    if (res.status !== status) {
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
    }
    return res.body;
  }

  interface Created {
    id: string;
    /** The Spanish partner's only contact (language es). */
    esContact: string;
    esOrg: string;
  }

  async function newPartnership(): Promise<Created> {
    const request = foundingCaseRequest();
    const created = await api('POST', '/partnerships', request, { status: 201 });
    const es = (created.organisations as any[]).find((o) => o.country === 'ES');
    return { id: created.id, esContact: es.contacts[0].id, esOrg: es.id };
  }

  /** A document (or task) approval asked of the Spanish contact alone. */
  async function askSpanish(p: Created, subject: object): Promise<Record<string, any>> {
    return api(
      'POST',
      `/partnerships/${p.id}/approvals`,
      {
        subject,
        deadline: inDays(7),
        organisations: [
          { organisationId: p.esOrg, rule: { kind: 'any' }, approverContactIds: [p.esContact] },
        ],
      },
      { status: 201 },
    );
  }

  function link(p: Created, approvalId: string, expiresAt: Date, now?: Date): string {
    return signApprovalLink({ approvalId, contactId: p.esContact, expiresAt }, secret(), now);
  }

  async function submit(token: string, form: Record<string, string>) {
    const res = await fetch(`${platform.api.url}/a/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, html: await res.text() };
  }

  const task = async (p: Created, taskId: string): Promise<{ status: string }> => {
    const detail = await api('GET', `/partnerships/${p.id}`);
    const tasks = Object.values(detail.tasksByStage).flat() as { id: string; status: string }[];
    return tasks.find((t) => t.id === taskId)!;
  };

  const timeline = async (p: Created): Promise<string[]> =>
    ((await api('GET', `/partnerships/${p.id}/timeline?pageSize=100`)).items as { type: string }[])
      .map((e) => e.type)
      .sort();

  /** The audit entries about `target`, oldest first (as an admin reads them). */
  async function entriesAbout(target: string): Promise<Record<string, any>[]> {
    const page = await api('GET', '/audit-log?pageSize=100');
    return (page.items as { target: string }[]).filter((e) => e.target === target).reverse();
  }

  async function newUser(role: string): Promise<{ id: string; token: string }> {
    const email = `claims-${role}-${randomUUID().slice(0, 8)}@example.test`;
    const password = `pw-${randomUUID()}`;
    const user = await api(
      'POST',
      '/users',
      { email, name: role, role, password },
      { status: 201 },
    );
    const session = await login(platform.api.url, email, password);
    expect(session.status).toBe(200);
    return { id: user.id, token: session.body.accessToken };
  }

  it('reopens a task when its approval is rejected', async () => {
    const p = await newPartnership();
    const taskId = 'introduction.organisation_profiles';
    await api('POST', `/partnerships/${p.id}/tasks/${taskId}/complete`, {});
    expect((await task(p, taskId)).status).toBe('done');
    const approval = await askSpanish(p, { kind: 'task', taskId });
    expect(approval.subject).toMatchObject({ kind: 'task', taskId });

    const decided = await submit(link(p, approval.id, new Date(approval.deadline)), {
      decision: 'reject',
      comment: 'The profile misses the 2026 figures',
    });
    expect(decided.status).toBe(200);
    expect((await api('GET', `/approvals/${approval.id}`)).status).toBe('rejected');
    // Back for rework: open again, and the timeline says why.
    expect((await task(p, taskId)).status).not.toBe('done');
    expect(await timeline(p)).toContain('task.reopened');
  });

  it('withdraws every pending request when the partnership is closed', async () => {
    const p = await newPartnership();
    const first = await askSpanish(p, { kind: 'document', title: 'MoU draft', text: 'Draft' });
    const second = await askSpanish(p, { kind: 'document', title: 'Budget', text: 'Figures' });
    const closed = await http('POST', v1(`/partnerships/${p.id}/close`), { reason: 'ended' });
    expect(closed.status).toBe(200);
    for (const { id } of [first, second]) {
      expect((await api('GET', `/approvals/${id}`)).status).toBe('withdrawn');
    }
    const listed = (await api('GET', `/partnerships/${p.id}/approvals`)) as any;
    const items = (Array.isArray(listed) ? listed : listed.items) as { status: string }[];
    expect(items.map((a) => a.status)).toEqual(['withdrawn', 'withdrawn']);
    expect((await timeline(p)).filter((t) => t === 'approval.withdrawn')).toHaveLength(2);
  });

  it('answers an expired link with its 410 page in the partner’s language and records nothing', async () => {
    const p = await newPartnership();
    const approval = await askSpanish(p, { kind: 'document', title: 'MoU', text: 'Text' });
    const dayMs = 86_400_000;
    // Genuine (signed with the server's secret), issued two days ago, expired yesterday.
    const expired = link(
      p,
      approval.id,
      new Date(Date.now() - dayMs),
      new Date(Date.now() - 2 * dayMs),
    );
    const before = await timeline(p);
    // The browser asks for English: the page still speaks the contact's Spanish.
    const page = await fetch(`${platform.api.url}/a/${expired}`, {
      headers: { 'accept-language': 'en' },
    });
    const html = await page.text();
    expect(page.status).toBe(410);
    expect(html).toContain('lang="es"');
    expect(html).toContain(escapeHtml(words('es').expired()));
    const posted = await submit(expired, { decision: 'approve' });
    expect(posted.status).toBe(410);
    expect(posted.html).toContain(escapeHtml(words('es').expired()));
    // Nothing recorded: still pending, no decision, no new event.
    const after = await api('GET', `/approvals/${approval.id}`);
    expect(after.status).toBe('pending');
    expect(JSON.stringify(after)).not.toContain('"outcome":"approved"');
    expect(await timeline(p)).toEqual(before);
  });

  describe('the audit log', () => {
    it('records an API token’s creation and revocation, by its owner', async () => {
      const owner = await newUser('coordinator');
      const token = await api(
        'POST',
        '/me/api-tokens',
        { name: 'CI export' },
        {
          status: 201,
          token: owner.token,
        },
      );
      await api('DELETE', `/me/api-tokens/${token.id}`, undefined, {
        status: 204,
        token: owner.token,
      });
      const entries = await entriesAbout(`api_token:${token.id}`);
      expect(entries.map((e) => [e.action, e.actor?.id])).toEqual([
        ['api_token.created', owner.id],
        ['api_token.revoked', owner.id],
      ]);
      expect(entries[0].details).toMatchObject({ name: 'CI export' });
      expect(JSON.stringify(entries)).not.toContain(token.token);
    });

    it('records members added, changed and removed, with the user and role', async () => {
      const p = await newPartnership();
      const member = await newUser('coordinator');
      await api('PUT', `/partnerships/${p.id}/members/${member.id}`, { role: 'observer' });
      await api('PUT', `/partnerships/${p.id}/members/${member.id}`, { role: 'coordinator' });
      await api('DELETE', `/partnerships/${p.id}/members/${member.id}`, undefined, {
        status: 204,
      });
      const entries = (await entriesAbout(p.id)).filter((e) => e.details?.userId === member.id);
      expect(entries.map((e) => [e.action, e.details])).toEqual([
        ['partnership.member_set', { userId: member.id, role: 'observer' }],
        ['partnership.member_set', { userId: member.id, role: 'coordinator' }],
        ['partnership.member_removed', { userId: member.id }],
      ]);
    });

    it('records webhooks created, changed and deleted', async () => {
      const created = await api(
        'POST',
        '/webhooks',
        {
          url: 'http://127.0.0.1:9/claims',
          secret: `whsec-${randomUUID()}`,
          eventTypes: ['stage.advanced'],
          partnershipIds: [randomUUID()],
        },
        { status: 201 },
      );
      await api('PATCH', `/webhooks/${created.id}`, { description: 'claims' });
      await api('DELETE', `/webhooks/${created.id}`, undefined, { status: 204 });
      const entries = await entriesAbout(created.id);
      expect(entries.map((e) => e.action)).toEqual([
        'webhook.created',
        'webhook.updated',
        'webhook.deleted',
      ]);
      // The secret is a credential: never in the log.
      expect(JSON.stringify(entries)).not.toContain('whsec-');
    });
  });

  describe('partnership members', () => {
    it('refuses an observer account as a coordinator, and adds nothing', async () => {
      const p = await newPartnership();
      const observer = await newUser('observer');
      const refused = await http('PUT', v1(`/partnerships/${p.id}/members/${observer.id}`), {
        role: 'coordinator',
      });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'role' })]);
      const members = (await api('GET', `/partnerships/${p.id}/members`)) as any;
      const list = (Array.isArray(members) ? members : members.items) as { userId: string }[];
      expect(list.map((m) => m.userId)).not.toContain(observer.id);
      // As an observer it may be added.
      await api('PUT', `/partnerships/${p.id}/members/${observer.id}`, { role: 'observer' });
    });

    it('answers MEMBER_NOT_FOUND for removing a user who is not a member', async () => {
      const p = await newPartnership();
      const stranger = await newUser('coordinator');
      const res = await http('DELETE', v1(`/partnerships/${p.id}/members/${stranger.id}`));
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'MEMBER_NOT_FOUND' });
    });

    it('takes a removed member’s access away at once, with the same token', async () => {
      const p = await newPartnership();
      const member = await newUser('coordinator');
      await api('PUT', `/partnerships/${p.id}/members/${member.id}`, { role: 'coordinator' });
      const as = { token: member.token };
      expect((await http('GET', v1(`/partnerships/${p.id}`), undefined, {}, as)).status).toBe(200);
      const task = 'introduction.introductory_meeting';
      const acted = await http(
        'POST',
        v1(`/partnerships/${p.id}/tasks/${task}/complete`),
        {},
        {},
        as,
      );
      expect(acted.status).toBe(200);
      await api('DELETE', `/partnerships/${p.id}/members/${member.id}`, undefined, {
        status: 204,
      });
      const read = await http('GET', v1(`/partnerships/${p.id}`), undefined, {}, as);
      expect([read.status, read.body.code]).toEqual([404, 'PARTNERSHIP_NOT_FOUND']);
      const act = await http('POST', v1(`/partnerships/${p.id}/tasks/${task}/reopen`), {}, {}, as);
      expect([act.status, act.body.code]).toEqual([404, 'PARTNERSHIP_NOT_FOUND']);
      // The token itself still works elsewhere: only the partnership is gone for them.
      expect((await http('GET', v1('/me'), undefined, {}, as)).status).toBe(200);
    });
  });
});
