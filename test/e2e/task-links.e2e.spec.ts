import { signTaskLink } from '@libs/approval-links';
import { approvalLinkSecret, loadConfig } from '@libs/config';
import { decideByLink, openGate, requestApproval } from '../support/consent';
import { foundingCaseRequest } from '../support/fixtures';
import { awaitMessages, MailpitMessage, taskToken } from '../support/mailpit';
import { http, requireEnv, RunningApi, waitFor } from '../support/stack';
import { usePlatform } from '../support/use-platform';

type Json = Record<string, any>;

const DAY_MS = 86_400_000;
const MEETING = 'introduction.introductory_meeting';
/** Every hour of every day: the overdue reminder goes out at once, whenever the test runs. */
const ALWAYS = { start: '00:00', end: '23:59', days: [1, 2, 3, 4, 5, 6, 7] };

/**
 * The partner's task link end to end, with everything real: a task assigned to a Spanish contact
 * falls overdue, the reminder in Mailpit carries a signed link to /t/<token>; the page opens in
 * Spanish; "blocked" and "done" are recorded with the contact as the actor, each once; tampered,
 * expired and foreign links, and an ended partnership, get a clear page and change nothing.
 */
describe('partner task links from overdue-task e-mails (end to end)', () => {
  let api: RunningApi;

  usePlatform((platform) => ({ api } = platform));

  const v1 = (path: string): string => `${api.url}/api/v1${path}`;
  const secret = () =>
    approvalLinkSecret(
      loadConfig({ DATABASE_URL: requireEnv('TEST_DATABASE_URL'), NODE_ENV: 'test' }),
    );
  const daysAgo = (n: number): string =>
    new Date(Date.now() - n * DAY_MS).toISOString().slice(0, 10);

  async function page(
    token: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; html: string; headers: Headers }> {
    const res = await fetch(`${api.url}/t/${token}`, { headers });
    return { status: res.status, html: await res.text(), headers: res.headers };
  }

  async function submit(
    token: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; html: string }> {
    const res = await fetch(`${api.url}/t/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, html: await res.text() };
  }

  async function timeline(id: string): Promise<Json[]> {
    const res = await http('GET', v1(`/partnerships/${id}/timeline?pageSize=100`));
    expect(res.status).toBe(200);
    return res.body.items as Json[];
  }

  async function task(id: string, taskId: string): Promise<Json> {
    const res = await http('GET', v1(`/partnerships/${id}`));
    const tasks = Object.values(res.body.tasksByStage as Record<string, Json[]>).flat();
    return tasks.find((t) => t.id === taskId)!;
  }

  /** What a refused link must leave as it was: the task and the timeline. */
  async function snapshot(id: string): Promise<unknown> {
    return { task: await task(id, MEETING), timeline: await timeline(id) };
  }

  /** A partnership whose Spanish contact is assigned the introductory meeting, two days overdue. */
  async function overdueForRaquel(): Promise<{
    id: string;
    raquel: Json;
    li: Json;
    email: MailpitMessage;
  }> {
    const request = foundingCaseRequest();
    request.organisations[0].contacts[0].workingHours = ALWAYS;
    const created = await http('POST', v1('/partnerships'), request);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const contacts = (created.body.organisations as Json[]).flatMap((o) => o.contacts as Json[]);
    const raquel = contacts.find((c) => c.language === 'es')!;
    const li = contacts.find((c) => c.language === 'zh')!;
    const assigned = await http('PATCH', v1(`/partnerships/${id}/tasks/${MEETING}`), {
      assigneeContactId: raquel.id,
      dueDate: daysAgo(2),
    });
    expect(assigned.status).toBe(200);
    const [email] = await awaitMessages(raquel.email as string, 1);
    // The workflow records the reminder once it is sent: wait for it, so the timeline is still.
    await waitFor(
      async () => (await timeline(id)).some((e) => e.type === 'task.overdue_reminded'),
      { what: 'the overdue reminder on the timeline' },
    );
    return { id, raquel, li, email };
  }

  it('takes the contact from the overdue e-mail to a Spanish page where they report blocked, then done, each once', async () => {
    const { id, raquel, email } = await overdueForRaquel();

    // The reminder is in Spanish and links to the task page, not to the API.
    expect(email.Subject).toMatch(/^Tarea vencida/);
    // The template task's title in Spanish, in the e-mail and on the page.
    expect(email.Subject).toContain('Celebrar la reunión de presentación');
    expect(email.Text).not.toContain('Hold the introductory meeting');
    expect(email.Text).toContain('http://entente.test/t/');
    expect(email.Text).not.toContain('/api/v1/');
    const token = taskToken(email);

    const opened = await page(token);
    expect(opened.status).toBe(200);
    expect(opened.html).toContain('<html lang="es">');
    expect(opened.html).toContain('Su tarea');
    expect(opened.html).toContain('Marcar como completada');
    expect(opened.html).toContain('¿Qué lo impide?');
    expect(opened.html).toContain('<dd>Celebrar la reunión de presentación</dd>');
    expect(opened.html).toContain('<dd>Presentación</dd>');
    expect(opened.html).toContain(`<form method="post" action="/t/${token}"`);
    expect(opened.html).not.toMatch(/<script/i);
    // The same locked-down policy as the approval page: its style by hash, forms to itself.
    expect(opened.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[^']+'; form-action 'self';/,
    );
    expect(opened.headers.get('cache-control')).toBe('no-store');

    // Neither form: the page again, with what to do, and nothing recorded.
    const before = await snapshot(id);
    const neither = await submit(token, { action: 'delete' });
    expect(neither.status).toBe(400);
    expect(neither.html).toContain('Utilice uno de los botones.');
    const noReason = await submit(token, { action: 'blocked', reason: '   ' });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('Indique qué impide completar la tarea.');
    expect(await snapshot(id)).toEqual(before);

    // Blocked: recorded once, with the contact as the actor; the same report again does nothing.
    const reason = 'Esperamos la confirmación de la agenda del director';
    const blocked = await submit(token, { action: 'blocked', reason });
    expect(blocked.status).toBe(200);
    expect(blocked.html).toContain('ha quedado registrado lo que impide completar la tarea');
    const again = await submit(token, { action: 'blocked', reason });
    expect(again.status).toBe(409);
    expect(again.html).toContain('Esto ya estaba registrado. No se ha cambiado nada.');
    const afterBlock = await timeline(id);
    const blocks = afterBlock.filter((e) => e.type === 'task.blocked');
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({
      actor: { kind: 'contact', id: raquel.id, name: raquel.name, email: raquel.email },
      payload: { taskId: MEETING, reason },
    });
    expect((await task(id, MEETING)).status).toBe('open');

    // Done: the task is completed by the contact; a second click changes nothing.
    const done = await submit(token, { action: 'done', comment: 'Reunión celebrada el lunes' });
    expect(done.status).toBe(200);
    expect(done.html).toContain('la tarea ha quedado marcada como completada');
    expect((await task(id, MEETING)).status).toBe('done');
    const items = await timeline(id);
    const completed = items.filter((e) => e.type === 'task.completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({
      actor: { kind: 'contact', id: raquel.id, name: raquel.name },
      payload: { taskId: MEETING, comment: 'Reunión celebrada el lunes' },
    });
    const twice = await submit(token, { action: 'done', comment: 'otra vez' });
    expect(twice.status).toBe(409);
    expect(twice.html).toContain('Esta tarea ya está completada. No se ha cambiado nada.');
    expect(await timeline(id)).toEqual(items);

    // The link still opens, and says the task is done.
    const later = await page(token);
    expect(later.status).toBe(200);
    expect(later.html).toContain('Esta tarea ya está completada.');
    expect(later.html).not.toContain('<form');
  });

  it('answers tampered and expired links with a clear page in the reader’s language, and changes nothing', async () => {
    const { id, raquel, email } = await overdueForRaquel();
    const token = taskToken(email);
    const before = await snapshot(id);

    // Tampered: the signature no longer matches. Nothing in it can be trusted, so the page is in
    // the browser's language.
    const [payload, signature] = token.split('.');
    const tampered = `${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const spanish = { 'accept-language': 'es-ES,es;q=0.9,en;q=0.5' };
    const shown = await page(tampered, spanish);
    expect(shown.status).toBe(400);
    expect(shown.html).toContain('<html lang="es">');
    expect(shown.html).toContain('Este enlace no es válido.');
    expect(shown.html).not.toContain('<form');
    const forms: Record<string, string>[] = [
      { action: 'done' },
      { action: 'blocked', reason: 'x' },
    ];
    for (const form of forms) {
      expect((await submit(tampered, form, spanish)).status).toBe(400);
    }
    // Another reader's browser, another language.
    expect((await page(tampered, { 'accept-language': 'zh-CN,zh;q=0.9' })).html).toContain(
      '此链接无效',
    );
    // The claims rewritten to another task under the genuine signature: refused the same way.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const rewritten = Buffer.from(
      JSON.stringify({ ...claims, t: 'introduction.organisation_profiles' }),
    ).toString('base64url');
    expect((await submit(`${rewritten}.${signature}`, { action: 'done' })).status).toBe(400);

    // Expired: genuine, so the page speaks the contact's language (Spanish), whatever the browser.
    const issued = new Date(Date.now() - 20 * DAY_MS);
    const expired = signTaskLink(
      {
        partnershipId: id,
        taskId: MEETING,
        contactId: raquel.id,
        expiresAt: new Date(Date.now() - 6 * DAY_MS),
      },
      secret(),
      issued,
    );
    const old = await page(expired, { 'accept-language': 'en' });
    expect(old.status).toBe(410);
    expect(old.html).toContain('<html lang="es">');
    expect(old.html).toContain('Este enlace ha caducado. No se ha cambiado nada.');
    expect((await submit(expired, { action: 'done' })).status).toBe(410);

    expect(await snapshot(id)).toEqual(before);
    expect((await task(id, MEETING)).status).toBe('open');
  });

  it('refuses a link to a task that is someone else’s now, and every link once the partnership ended', async () => {
    const { id, li, email } = await overdueForRaquel();
    const token = taskToken(email);

    // Reassigned to the Chinese contact: Raquel's link no longer acts.
    expect(
      // No due date: no reminder for Li while the test looks at the timeline.
      (
        await http('PATCH', v1(`/partnerships/${id}/tasks/${MEETING}`), {
          assigneeContactId: li.id,
          dueDate: null,
        })
      ).status,
    ).toBe(200);
    const before = await snapshot(id);
    const notMine = await page(token);
    expect(notMine.status).toBe(200);
    expect(notMine.html).toContain('Esta tarea ya no está asignada a usted.');
    expect((await submit(token, { action: 'done' })).status).toBe(403);
    expect(await snapshot(id)).toEqual(before);

    // Li's own link works for Li, in Chinese.
    const liToken = signTaskLink(
      {
        partnershipId: id,
        taskId: MEETING,
        contactId: li.id,
        expiresAt: new Date(Date.now() + DAY_MS),
      },
      secret(),
    );
    const liPage = await page(liToken);
    expect(liPage.html).toContain('<html lang="zh-CN">');
    expect(liPage.html).toContain('标记为已完成');
    expect(liPage.html).toContain('<dd>召开首次介绍会议</dd>');
    expect(liPage.html).toContain('<dd>相互介绍</dd>');

    // Closed: every link says so and nothing changes.
    expect(
      (await http('POST', v1(`/partnerships/${id}/close`), { reason: 'Programme ended' })).status,
    ).toBe(200);
    const closed = await snapshot(id);
    const ended = await page(liToken);
    expect(ended.status).toBe(200);
    expect(ended.html).toContain('此合作项目已结束（已关闭）。未做任何更改。');
    expect((await submit(liToken, { action: 'done' })).status).toBe(409);
    expect((await submit(liToken, { action: 'blocked', reason: '资金未到位' })).status).toBe(409);
    expect(await snapshot(id)).toEqual(closed);
  });
  it('tells a contact who reports done a task the partners’ approval completes where to answer, and changes nothing', async () => {
    const PRIORITIES = 'area_exploration.priority_areas';
    const request = foundingCaseRequest();
    const created = await http('POST', v1('/partnerships'), request);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.templateVersion).toBe(2);
    const contacts = (created.body.organisations as Json[]).flatMap((o) => o.contacts as Json[]);
    const raquel = contacts.find((c) => c.language === 'es')!;
    const li = contacts.find((c) => c.language === 'zh')!;
    await openGate(api.url, id, [raquel.email, li.email]);
    expect((await http('POST', v1(`/partnerships/${id}/advance`), {})).status).toBe(200);
    // Assigned without a due date: no reminder changes the timeline while the test looks at it.
    const assigned = await http('PATCH', v1(`/partnerships/${id}/tasks/${PRIORITIES}`), {
      assigneeContactId: raquel.id,
    });
    expect(assigned.status).toBe(200);
    const token = signTaskLink(
      {
        partnershipId: id,
        taskId: PRIORITIES,
        contactId: raquel.id,
        expiresAt: new Date(Date.now() + DAY_MS),
      },
      secret(),
    );
    const state = async () => ({ task: await task(id, PRIORITIES), timeline: await timeline(id) });

    // No approval asked for yet: the page says the partners' approval completes the task.
    const before = await state();
    const unasked = await submit(token, { action: 'done', comment: 'Acordado' });
    expect(unasked.status).toBe(409);
    expect(unasked.html).toContain('<html lang="es">');
    expect(unasked.html).toContain('la completa la aprobación de los socios');
    expect(unasked.html).toContain('No se ha cambiado nada.');
    expect(unasked.html).not.toContain('TASK_NEEDS_APPROVAL');
    expect(unasked.html).not.toContain('<form');
    expect(await state()).toEqual(before);

    // Asked: the page names the e-mail her approval is answered from, and its deadline.
    const approvalId = await requestApproval(api.url, id, { kind: 'task', taskId: PRIORITIES });
    const asked = await state();
    const pending = await submit(token, { action: 'done' });
    expect(pending.status).toBe(409);
    expect(pending.html).toContain('Se le ha solicitado su aprobación');
    expect(pending.html).toContain(
      `«Solicitud de aprobación: Acordar las áreas prioritarias – ${request.title}»`,
    );
    expect(await state()).toEqual(asked);

    // Once she has answered, her page no longer points at the request (it awaits Li only).
    expect(await decideByLink(api.url, raquel.email, approvalId, 'approve')).toBe(200);
    const answered = await state();
    const after = await submit(token, { action: 'done' });
    expect(after.status).toBe(409);
    expect(after.html).toContain('la completa la aprobación de los socios');
    expect(after.html).not.toContain('Se le ha solicitado');
    expect(await state()).toEqual(answered);
    expect(answered.task.status).toBe('open');

    // A Chinese contact whose approval is awaited reads it in Chinese.
    const liToken = signTaskLink(
      {
        partnershipId: id,
        taskId: PRIORITIES,
        contactId: li.id,
        expiresAt: new Date(Date.now() + DAY_MS),
      },
      secret(),
    );
    expect(
      (
        await http('PATCH', v1(`/partnerships/${id}/tasks/${PRIORITIES}`), {
          assigneeContactId: li.id,
        })
      ).status,
    ).toBe(200);
    const reassigned = await state();
    const liPage = await submit(liToken, { action: 'done' });
    expect(liPage.status).toBe(409);
    expect(liPage.html).toContain('<html lang="zh-CN">');
    expect(liPage.html).toContain('它由合作伙伴的审批完成');
    expect(liPage.html).toContain('审批请求：商定优先合作领域');
    expect(await state()).toEqual(reassigned);
  });
});
