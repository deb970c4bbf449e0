import { foundingCaseRequest } from '../support/fixtures';
import { approvalToken, awaitMessages, messagesTo } from '../support/mailpit';
import { http, RunningApi } from '../support/stack';
import { usePlatform } from '../support/use-platform';

/** Gate approval end to end: e-mails in Mailpit, links followed, decisions, the gate opening. */
describe('approvals through signed e-mail links (end to end)', () => {
  let api: RunningApi;

  usePlatform((platform) => ({ api } = platform));

  const url = (path: string): string => `${api.url}${path}`;
  const inAWeek = (): string => new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();

  async function page(token: string): Promise<{ status: number; html: string }> {
    const res = await fetch(url(`/a/${token}`));
    return { status: res.status, html: await res.text() };
  }

  async function submit(
    token: string,
    form: Record<string, string>,
  ): Promise<{ status: number; html: string }> {
    const res = await fetch(url(`/a/${token}`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, html: await res.text() };
  }

  it('opens the gate only with both partners’ consent, through the links in their e-mails', async () => {
    const request = foundingCaseRequest();
    const created = await http('POST', url('/api/v1/partnerships'), request);
    const id = created.body.id as string;
    for (const t of created.body.gate.blockers as { taskId: string }[]) {
      await http('POST', url(`/api/v1/partnerships/${id}/tasks/${t.taskId}/complete`), {});
    }
    const esEmail = request.organisations[0].contacts[0].email as string;
    const zhEmail = request.organisations[1].contacts[0].email as string;

    const asked = await http('POST', url(`/api/v1/partnerships/${id}/approvals`), {
      subject: { kind: 'gate' },
      deadline: inAWeek(),
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({
      status: 'pending',
      subject: { kind: 'gate', stage: 'introduction' },
    });
    expect(asked.body.awaiting).toHaveLength(2);
    const blocked = await http('POST', url(`/api/v1/partnerships/${id}/advance`), {});
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('GATE_CONSENT_MISSING');

    // Each partner receives one e-mail, in their own language.
    const [es] = await awaitMessages(esEmail, 1);
    const [zh] = await awaitMessages(zhEmail, 1);
    expect(es.Subject).toMatch(/^Solicitud de aprobación/);
    expect(es.Text).toContain('le solicita que apruebe');
    expect(zh.Subject + zh.Text).toMatch(/[\u4e00-\u9fff]/);
    // The gate's title is generated: each partner reads it in their own words, never in English.
    expect(es.Text).toContain('«Cerrar la etapa de Presentación y pasar a Exploración de áreas»');
    expect(zh.Subject).toContain('结束相互介绍阶段，进入合作领域探索阶段');
    expect(zh.Text).toContain('“结束相互介绍阶段，进入合作领域探索阶段”');
    for (const message of [es, zh]) expect(message.Text + message.HTML).not.toMatch(/Leave /);

    // Spanish partner: the page in Spanish, approve once; a second click changes nothing.
    const esToken = approvalToken(es);
    const esPage = await page(esToken);
    expect(esPage.status).toBe(200);
    expect(esPage.html).toContain('Aprobar');
    expect(esPage.html).toContain('<form method="post"');
    expect((await submit(esToken, { decision: 'approve' })).status).toBe(200);
    const again = await submit(esToken, { decision: 'reject', comment: 'changed my mind' });
    expect(again.status).toBe(409);

    // A tampered link is refused and decides nothing.
    const tampered = esToken.slice(0, -2) + (esToken.endsWith('AA') ? 'BB' : 'AA');
    expect((await page(tampered)).status).toBe(400);
    expect((await submit(tampered, { decision: 'approve' })).status).toBe(400);

    // Chinese partner: a rejection needs a comment; with one, the request is rejected.
    const zhToken = approvalToken(zh);
    const zhPage = (await page(zhToken)).html;
    expect(zhPage).toContain('批准');
    expect(zhPage).toContain('<dd>结束相互介绍阶段，进入合作领域探索阶段</dd>');
    expect(zhPage).not.toContain('Leave ');
    expect((await submit(zhToken, { decision: 'reject' })).status).toBe(400);
    expect(
      (await submit(zhToken, { decision: 'reject', comment: '请补充资金环境的信息' })).status,
    ).toBe(200);
    const rejected = await http('GET', url(`/api/v1/approvals/${asked.body.id}`));
    expect(rejected.body.status).toBe('rejected');
    expect((await http('POST', url(`/api/v1/partnerships/${id}/advance`), {})).body.code).toBe(
      'GATE_CONSENT_MISSING',
    );

    // The coordinator asks again; both approve; the gate opens and advance succeeds.
    const second = await http('POST', url(`/api/v1/partnerships/${id}/approvals`), {
      subject: { kind: 'gate' },
      deadline: inAWeek(),
    });
    const [es2] = await awaitMessages(esEmail, 2);
    const [zh2] = await awaitMessages(zhEmail, 2);
    expect((await submit(approvalToken(es2), { decision: 'approve' })).status).toBe(200);
    expect(
      (await submit(approvalToken(zh2), { decision: 'approve', comment: '同意' })).status,
    ).toBe(200);
    const approved = await http('GET', url(`/api/v1/approvals/${second.body.id}`));
    expect(approved.body).toMatchObject({ status: 'approved', awaiting: [] });
    const advanced = await http('POST', url(`/api/v1/partnerships/${id}/advance`), {});
    expect(advanced.status).toBe(200);
    expect(advanced.body.stage).toBe('area_exploration');

    // Exactly one e-mail per recipient per request.
    expect(await messagesTo(esEmail)).toHaveLength(2);
    expect(await messagesTo(zhEmail)).toHaveLength(2);

    const timeline = await http('GET', url(`/api/v1/partnerships/${id}/timeline?pageSize=100`));
    const types = (timeline.body.items as { type: string }[])
      .map((e) => e.type)
      .filter((t) => t.startsWith('approval.'));
    expect(types).toEqual([
      'approval.requested',
      'approval.decided',
      'approval.decided',
      'approval.rejected',
      'approval.requested',
      'approval.decided',
      'approval.decided',
      'approval.approved',
    ]);
    const decidedByContact = (
      timeline.body.items as { type: string; actor: { kind: string } }[]
    ).find((e) => e.type === 'approval.decided');
    expect(decidedByContact?.actor.kind).toBe('contact');
  });

  it('refuses bad approval requests with 400 and changes nothing', async () => {
    const created = await http('POST', url('/api/v1/partnerships'), foundingCaseRequest());
    const id = created.body.id as string;
    const past = await http('POST', url(`/api/v1/partnerships/${id}/approvals`), {
      subject: { kind: 'gate' },
      deadline: '2020-01-01T00:00:00Z',
    });
    expect(past.status).toBe(400);
    expect(past.body.code).toBe('INVALID_APPROVAL_REQUEST');
    const stranger = await http('POST', url(`/api/v1/partnerships/${id}/approvals`), {
      subject: { kind: 'document', title: 'Proposal' },
      deadline: inAWeek(),
      organisations: [
        {
          organisationId: created.body.organisations[0].id,
          rule: { kind: 'all' },
          approverContactIds: ['00000000-0000-4000-8000-000000000001'],
        },
      ],
    });
    expect(stranger.status).toBe(400);
    const list = await http('GET', url(`/api/v1/partnerships/${id}/approvals`));
    expect(list.body).toEqual({ items: [], page: 1, pageSize: 20, total: 0 });
  });
});
