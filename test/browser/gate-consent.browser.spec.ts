import { STAGE_NAMES } from '@libs/domain/words';
import es from '../../web/src/i18n/es';
import zh from '../../web/src/i18n/zh';
import { expectAccessible, READERS, signInAt } from '../support/browser';
import { decideByLink, openGate, requestApproval } from '../support/consent';
import { foundingCaseRequest } from '../support/fixtures';
import { http, waitFor } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

type Json = Record<string, any>;

/** A catalog message with its `{{name}}` placeholders filled in, as i18next renders it. */
function fill(message: string, values: Record<string, string>): string {
  return message.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? `{{${name}}}`);
}

/**
 * The gate's consent on the partnership page, in Debian's chromium with everything real: a
 * partnership of the default template (version 2) at its project proposal, whose gate needs both
 * partners' consent. A Spanish-speaking coordinator reads what consent the gate needs, requests
 * it with the gate's button, and sees, without a reload, who consented as each partner answers
 * through their e-mailed link; the words come from the app's catalogs (no raw codes or keys).
 */
describe('the gate’s consent on the partnership page', () => {
  const { platform, publicBase, session, newPartnership } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  const v1 = (path: string): string => `${platform().api.url}/api/v1${path}`;

  it('shows the coordinator, in Spanish, whose consent the gate needs and who gave it, and requests it', async () => {
    const request = foundingCaseRequest();
    const created = await newPartnership(request);
    expect(created.templateVersion).toBe(2);
    const id = created.id as string;
    const [ivace, eiri] = request.organisations as Json[];
    const raquel = ivace.contacts[0];
    const partner = eiri.contacts[0];

    // Through introduction, area exploration and knowledge sharing, as in the e2e tests.
    for (const next of ['area_exploration', 'knowledge_sharing', 'project_proposal']) {
      await openGate(platform().api.url, id, [raquel.email, partner.email]);
      const moved = await http('POST', v1(`/partnerships/${id}/advance`), {});
      expect(moved.body.stage).toBe(next);
    }
    // The proposal's review, approved by the partners, and the coordinator's tasks done: the gate
    // waits only for their consent.
    const review = await requestApproval(platform().api.url, id, {
      kind: 'task',
      taskId: 'project_proposal.review_proposal',
    });
    for (const address of [raquel.email, partner.email]) {
      expect(await decideByLink(platform().api.url, address, review, 'approve')).toBe(200);
    }
    const proposal = await http('GET', v1(`/partnerships/${id}`));
    for (const blocker of proposal.body.gate.blockers as Json[]) {
      if (blocker.kind !== 'task' || blocker.taskId === 'project_proposal.review_proposal')
        continue;
      const done = await http(
        'POST',
        v1(`/partnerships/${id}/tasks/${blocker.taskId}/complete`),
        {},
      );
      expect(done.status).toBe(200);
    }

    const { page, problems } = await session.openPage(READERS.es);
    await signInAt(page, base(), es);
    await page.goto(`${base()}/partnerships/${id}`);
    await page.getByRole('heading', { level: 1, name: request.title }).waitFor();
    const gate = page.locator('section.gate');

    // What the gate needs: every partner's consent, by any one of its contacts; none given yet.
    await gate
      .getByText(fill(es.partnership.consentNeeded, { rule: es.partnership.consentRuleAny }))
      .waitFor({ timeout: 20_000 });
    for (const org of [ivace, eiri]) {
      await gate
        .getByText(fill(es.partnership.consentMissing, { organisation: org.name }))
        .waitFor();
    }
    await expectAccessible(page, 'the partnership page with the gate’s consent to request');

    // The coordinator requests it: the partners get their e-mails, the button goes.
    const button = gate.getByRole('button', { name: es.partnership.requestGateConsent });
    await button.click();
    await button.waitFor({ state: 'detached', timeout: 20_000 });
    const gateRequest = await waitForGateRequest(id);
    expect(gateRequest.subject).toMatchObject({ kind: 'gate', stage: 'project_proposal' });

    // Raquel consents through her link: the page says so, and still waits for EIRI.
    expect(await decideByLink(platform().api.url, raquel.email, gateRequest.id, 'approve')).toBe(
      200,
    );
    await gate
      .getByText(
        fill(es.partnership.consentGiven, { organisation: ivace.name, names: raquel.name }),
      )
      .waitFor({ timeout: 30_000 });
    await gate
      .getByText(fill(es.partnership.consentMissing, { organisation: eiri.name }))
      .waitFor();
    expect(await page.locator('.gate-open').count()).toBe(0);

    // EIRI's contact consents: the gate opens, naming both.
    expect(await decideByLink(platform().api.url, partner.email, gateRequest.id, 'approve')).toBe(
      200,
    );
    await gate
      .getByText(fill(es.partnership.gateOpen, { stage: STAGE_NAMES.es.agreed }))
      .waitFor({ timeout: 30_000 })
      .catch(async (err: unknown) => {
        const detail = await http('GET', v1(`/partnerships/${id}`));
        throw new Error(
          `${String(err)}\ngate on the page: ${await gate.innerText()}\ngate in the API: ${JSON.stringify(detail.body.gate)}`,
        );
      });
    for (const [org, who] of [
      [ivace, raquel],
      [eiri, partner],
    ] as const) {
      await gate
        .getByText(fill(es.partnership.consentGiven, { organisation: org.name, names: who.name }))
        .waitFor();
    }
    const text = await gate.innerText();
    expect(text).not.toMatch(/\{\{|partnership\.|GATE_CONSENT|not_requested/);

    // The same gate in Chinese, switched on the page.
    await page.getByLabel(es.app.language).selectOption('zh');
    await gate
      .getByText(fill(zh.partnership.consentNeeded, { rule: zh.partnership.consentRuleAny }))
      .waitFor();
    await gate
      .getByText(
        fill(zh.partnership.consentGiven, { organisation: ivace.name, names: raquel.name }),
      )
      .waitFor();
    expect(problems.all()).toEqual([]);
  });

  /** The gate request the page's button made (it answers once the API has it). */
  async function waitForGateRequest(id: string): Promise<Json> {
    return waitFor(
      async () => {
        const res = await http('GET', v1(`/partnerships/${id}/approvals?pageSize=100`));
        return (res.body.items as Json[]).find(
          (a) => a.subject.kind === 'gate' && a.status === 'pending',
        );
      },
      { timeoutMs: 20_000, what: 'the gate request the button made' },
    );
  }
});
