import { execFileSync } from 'node:child_process';
import { signKnowledgeLink } from '@libs/approval-links';
import { approvalLinkSecret, loadConfig } from '@libs/config';
import { openGate } from '../support/consent';
import { foundingCaseRequest } from '../support/fixtures';
import { awaitMessages, MailpitMessage } from '../support/mailpit';
import { adminToken, http, requireEnv, RunningApi } from '../support/stack';
import { usePlatform } from '../support/use-platform';

type Json = Record<string, any>;

/**
 * The text pdf-parse (pdf.js) finds in a PDF. In a child process: pdf.js loads its worker by a
 * dynamic import, which jest's VM does not allow.
 */
function pdfText(pdf: Buffer): string {
  const script =
    "const { PDFParse } = require('pdf-parse');" +
    'const chunks = []; process.stdin.on("data", (c) => chunks.push(c));' +
    'process.stdin.on("end", async () => {' +
    '  const result = await new PDFParse({ data: Buffer.concat(chunks) }).getText();' +
    '  process.stdout.write(result.text);' +
    '});';
  return execFileSync(process.execPath, ['-e', script], { input: pdf, encoding: 'utf8' });
}

const TOPICS = ['entrepreneurship_culture', 'funding_environment', 'startup_regulations'];
const SPANISH: Record<string, string> = {
  entrepreneurship_culture:
    'En Valencia, la red de incubadoras «Emprenem» acompaña a 300 empresas.',
  funding_environment: 'Ayudas del IVACE y préstamos del CDTI para empresas emergentes.',
  startup_regulations: 'La Ley 28/2022 de empresas emergentes reduce cargas *fiscales*.',
};
const CHINESE: Record<string, string> = {
  entrepreneurship_culture: '成都的创业孵化器网络为三百家企业提供支持。',
  funding_environment: '成都天使投资引导基金与科技金融政策。',
  startup_regulations: '四川省关于初创企业的税收优惠法规。',
};

/**
 * Knowledge sharing end to end, with everything real: the coordinator turns on the gate and asks
 * the partners; each partner's contact gets an e-mail in their language (Mailpit) and writes their
 * organisation's contributions through its signed link (Spanish, Chinese); advancing is refused, naming what is missing, until both have; the Markdown
 * and PDF exports hold both sides as written.
 */
describe('knowledge sharing through partner links (end to end)', () => {
  let api: RunningApi;
  usePlatform((platform) => ({ api } = platform));

  const v1 = (path: string): string => `${api.url}/api/v1${path}`;
  const secret = () =>
    approvalLinkSecret(
      loadConfig({ DATABASE_URL: requireEnv('TEST_DATABASE_URL'), NODE_ENV: 'test' }),
    );
  /** A link valid for `days` from now; a negative `days` signs one that has already expired. */
  const link = (partnershipId: string, contactId: string, days = 30) => {
    const now = Date.now();
    const signedAt = days > 0 ? now : now + (days - 1) * 86_400_000;
    return signKnowledgeLink(
      { partnershipId, contactId, expiresAt: new Date(now + days * 86_400_000) },
      secret(),
      new Date(signedAt),
    );
  };

  async function submit(token: string, form: Record<string, string>) {
    const res = await fetch(`${api.url}/k/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, html: await res.text() };
  }

  async function inKnowledgeSharing(): Promise<{ id: string; es: Json; cn: Json }> {
    const request = foundingCaseRequest();
    const created = await http('POST', v1('/partnerships'), request);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const organisations = created.body.organisations as Json[];
    const speaks = (language: string) =>
      organisations.find((o) => (o.contacts as Json[])[0].language === language)!;
    const [es, cn] = [speaks('es'), speaks('zh')];
    // The partners approve area exploration's approval task through their links.
    const partners = request.organisations.map((o: Json) => (o.contacts as Json[])[0].email);
    for (let stage = 0; stage < 2; stage++) {
      await openGate(api.url, id, partners as string[]);
      expect((await http('POST', v1(`/partnerships/${id}/advance`), {})).status).toBe(200);
    }
    return { id, es, cn };
  }

  async function advanceRefusal(id: string): Promise<Json> {
    const before = await http('GET', v1(`/partnerships/${id}`));
    const refused = await http('POST', v1(`/partnerships/${id}/advance`), {});
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const after = await http('GET', v1(`/partnerships/${id}`));
    // Nothing changed: the stage, the tasks and the gate are as they were.
    expect(after.body.stage).toBe('knowledge_sharing');
    expect(after.body.tasksByStage).toEqual(before.body.tasksByStage);
    return refused.body;
  }

  it('opens the gate only once both partners have contributed through their links, and exports both languages as written', async () => {
    const { id, es, cn } = await inKnowledgeSharing();
    const raquel = (es.contacts as Json[])[0];
    const li = (cn.contacts as Json[])[0];
    expect([raquel.language, li.language]).toEqual(['es', 'zh']);

    const gate = await http('PUT', v1(`/partnerships/${id}/knowledge/gate`), {
      requireContributions: true,
    });
    expect(gate).toMatchObject({ status: 200, body: { requireContributions: true } });
    // The stage's template tasks done by the coordinator: only the contributions hold the gate.
    const detail = await http('GET', v1(`/partnerships/${id}`));
    for (const b of (detail.body.gate.blockers as Json[]).filter((b) => b.kind === 'task'))
      expect(
        (await http('POST', v1(`/partnerships/${id}/tasks/${b.taskId}/complete`), {})).status,
      ).toBe(200);

    const none = await advanceRefusal(id);
    expect(none.code).toBe('KNOWLEDGE_CONTRIBUTIONS_MISSING');
    expect(none.blockers).toHaveLength(6);

    // The coordinator asks both: each gets an e-mail in their language with their own link.
    const asked = await http('POST', v1(`/partnerships/${id}/knowledge/requests`), {});
    expect(asked.status).toBe(202);
    expect([...asked.body.contactIds].sort()).toEqual(
      [...[es, cn].flatMap((o) => (o.contacts as Json[]).map((c) => c.id))].sort(),
    );
    // After the approval request of area exploration's approval task, one each.
    const [esMail] = await awaitMessages(raquel.email as string, 2);
    const [cnMail] = await awaitMessages(li.email as string, 2);
    expect(esMail.Subject).toMatch(/^Comparta su conocimiento/);
    expect(cnMail.Subject).toMatch(/^请分享您的知识/);
    expect(esMail.Text).toContain('Entorno de financiación');
    const tokenOf = (mail: MailpitMessage) =>
      /\/k\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(mail.Text)![1];

    // Raquel's page is in Spanish, names her organisation, and takes her three contributions.
    const esToken = tokenOf(esMail);
    const page = await fetch(`${api.url}/k/${esToken}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("style-src 'sha256-");
    const html = await page.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('Comparta su conocimiento');
    expect(html).toContain('Entorno de financiación');
    for (const key of TOPICS) {
      const saved = await submit(esToken, {
        topicKey: key,
        text: SPANISH[key],
        language: 'es',
        links: key === 'funding_environment' ? 'https://www.ivace.es/\n\nhttps://www.cdti.es/' : '',
      });
      expect(saved.status).toBe(200);
      expect(saved.html).toContain('Gracias');
    }
    const half = await advanceRefusal(id);
    expect(half.code).toBe('KNOWLEDGE_CONTRIBUTIONS_MISSING');
    expect(half.blockers.map((b: Json) => `${b.topicKey}/${b.organisationId}`)).toEqual(
      TOPICS.map((t) => `${t}/${cn.id}`),
    );

    // Li's page is in Chinese; a bad link is refused on the page and records nothing.
    const cnToken = tokenOf(cnMail);
    const cnPage = await (await fetch(`${api.url}/k/${cnToken}`)).text();
    expect(cnPage).toContain('<html lang="zh-CN">');
    expect(cnPage).toContain('融资环境');
    const bad = await submit(cnToken, {
      topicKey: TOPICS[0],
      text: 'x',
      language: 'zh',
      links: 'javascript:alert(1)',
    });
    expect(bad.status).toBe(400);
    for (const key of TOPICS) {
      const saved = await submit(cnToken, {
        topicKey: key,
        text: CHINESE[key],
        language: 'zh',
        links: '',
      });
      expect(saved.status).toBe(200);
      expect(saved.html).toContain('谢谢');
    }
    // The same again records nothing.
    const again = await submit(cnToken, {
      topicKey: TOPICS[1],
      text: CHINESE[TOPICS[1]],
      language: 'zh',
      links: '',
    });
    expect(again.status).toBe(200);
    expect(again.html).toContain('未作任何更改');

    const comparison = await http('GET', v1(`/partnerships/${id}/knowledge`));
    expect(comparison.status).toBe(200);
    expect(comparison.body.missing).toEqual([]);
    const funding = (comparison.body.topics as Json[]).find(
      (t) => t.key === 'funding_environment',
    )!;
    const sideOf = (organisationId: string) =>
      funding.sides.find((s: Json) => s.organisationId === organisationId).contribution;
    expect(sideOf(es.id)).toMatchObject({
      language: 'es',
      text: SPANISH.funding_environment,
      author: { kind: 'contact', id: raquel.id },
      revision: 1,
    });
    expect(sideOf(cn.id)).toMatchObject({
      language: 'zh',
      text: CHINESE.funding_environment,
      author: { kind: 'contact', id: li.id },
    });
    expect(sideOf(es.id).links).toEqual(['https://www.ivace.es/', 'https://www.cdti.es/']);

    const timeline = await http('GET', v1(`/partnerships/${id}/timeline?pageSize=100`));
    const contributed = (timeline.body.items as Json[]).filter(
      (e) => e.type === 'knowledge.contributed',
    );
    expect(contributed.map((e) => e.actor.id).sort()).toEqual(
      [...Array(3).fill(raquel.id), ...Array(3).fill(li.id)].sort(),
    );

    const advanced = await http('POST', v1(`/partnerships/${id}/advance`), {});
    expect(advanced.status).toBe(200);
    expect(advanced.body.stage).toBe('project_proposal');

    const md = await fetch(v1(`/partnerships/${id}/knowledge/export.md`), {
      headers: { authorization: await adminHeader() },
    });
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(md.headers.get('content-disposition')).toBe(
      `attachment; filename="knowledge-sharing-${id}.md"`,
    );
    const markdown = await md.text();
    for (const key of TOPICS) expect(markdown).toContain(CHINESE[key]);
    expect(markdown).toContain('Ayudas del IVACE y préstamos del CDTI para empresas emergentes\\.');
    expect(markdown).toContain('reduce cargas \\*fiscales\\*');
    expect(markdown).toContain('— Spanish');
    expect(markdown).toContain('— Chinese');

    const pdf = await fetch(v1(`/partnerships/${id}/knowledge/export.pdf`), {
      headers: { authorization: await adminHeader() },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(bytes);
    expect(text).toContain(CHINESE.funding_environment);
    expect(text).toContain('Ayudas del IVACE');
  });

  it('refuses a link for another partnership, a tampered or an expired one, changing nothing', async () => {
    const { id, es } = await inKnowledgeSharing();
    const other = await inKnowledgeSharing();
    const contact = (es.contacts as Json[])[0];
    const before = await http('GET', v1(`/partnerships/${id}/knowledge`));
    const foreign = await submit(link(other.id, contact.id), {
      topicKey: TOPICS[0],
      text: 'x',
      language: 'es',
    });
    expect(foreign.status).toBe(400);
    const token = link(id, contact.id);
    const tampered = await submit(`${token.slice(0, -2)}AA`, {
      topicKey: TOPICS[0],
      text: 'x',
      language: 'es',
    });
    expect(tampered.status).toBe(400);
    const expired = await submit(link(id, contact.id, -1), {
      topicKey: TOPICS[0],
      text: 'x',
      language: 'es',
    });
    expect(expired.status).toBe(410);
    expect(await http('GET', v1(`/partnerships/${id}/knowledge`))).toMatchObject({
      body: before.body,
    });
  });

  const adminHeader = async (): Promise<string> => `Bearer ${await adminToken(api.url)}`;
});
