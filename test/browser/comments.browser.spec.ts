import { randomUUID } from 'node:crypto';
import { taskTitle } from '@libs/domain';
import zh from '../../web/src/i18n/zh';
import { expectAccessible, focusStyle, READERS, signInAt } from '../support/browser';
import { foundingCaseRequest } from '../support/fixtures';
import { awaitMessages, messagesTo } from '../support/mailpit';
import { waitUntilQuiet } from '../support/state-snapshot';
import { http, waitFor } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

type Json = Record<string, any>;

const fill = (message: string, values: Record<string, string>): string =>
  message.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? `{{${name}}}`);

const PASSWORD = 'a long coordinator passphrase';
const MEETING = 'introduction.introductory_meeting';

/**
 * Comments on the partnership's page, in Chinese, in Debian's chromium with everything real: a
 * coordinator (not an administrator) comments on a task assigned to Li Wei from the task's
 * dialog, which says Li will be e-mailed, and on the partnership from the Comment box, which
 * names every partner contact taking part; a blank comment is refused in the rule book's words;
 * the first attempt at the partnership comment loses its answer and the retry, under the same
 * Idempotency-Key, records and sends it once. The timeline shows both comments as written (line
 * breaks kept, markup as text), Mailpit has each e-mail once, axe passes the box and the dialog,
 * and once the partnership is closed ("立即关闭", the close dialog saying what closing does) the
 * box is gone.
 */
describe('comments on the partnership page', () => {
  const { platform, publicBase, session, v1, newPartnership } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  const email = `wang.min-${randomUUID().slice(0, 8)}@iurc.example`;

  async function commentEvents(id: string): Promise<Json[]> {
    const res = await http('GET', v1(`/partnerships/${id}/timeline?pageSize=100`));
    return (res.body.items as Json[]).filter((e) => e.type === 'comment.added');
  }

  it('in Chinese: a coordinator comments on Li Wei’s task and on the partnership, each sent once', async () => {
    const suffix = randomUUID().slice(0, 8);
    const request = foundingCaseRequest(suffix);
    const created = await newPartnership(request);
    const id = created.id as string;
    const organisations = created.organisations as Json[];
    const ivace = organisations.find((o) => o.country === 'ES')!;
    const eiri = organisations.find((o) => o.country === 'CN')!;
    const raquel = ivace.contacts[0] as Json;
    const li = eiri.contacts[0] as Json;

    // A coordinator of this partnership (not an admin); the meeting task is Li Wei's.
    const user = await http('POST', v1('/users'), {
      email,
      name: '王敏',
      role: 'coordinator',
      password: PASSWORD,
    });
    expect(user.status).toBe(201);
    const member = await http('PUT', v1(`/partnerships/${id}/members/${user.body.id}`), {
      role: 'coordinator',
    });
    expect(member.status).toBe(200);
    const assigned = await http('PATCH', v1(`/partnerships/${id}/tasks/${MEETING}`), {
      assigneeContactId: li.id,
    });
    expect(assigned.status).toBe(200);
    const meeting = (assigned.body.tasksByStage.introduction as Json[]).find(
      (x) => x.id === MEETING,
    )!;
    const meetingTitle = taskTitle(meeting as Parameters<typeof taskTitle>[0], 'zh');

    const { page, problems } = await session.openPage(READERS.zh);
    // Each comment request's Idempotency-Key, in order.
    const keys: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/comments')) {
        keys.push(r.headers()['idempotency-key'] ?? '(none)');
      }
    });
    await signInAt(page, base(), zh, email, PASSWORD);
    await page.goto(`${base()}/partnerships/${id}`);
    await page.getByRole('heading', { level: 1, name: request.title }).waitFor();
    const timeline = page.locator('ol.timeline');
    const box = page.getByRole('region', { name: zh.comments.title, exact: true });
    const text = box.getByLabel(zh.comments.text);

    // The box says who is told of a comment on the partnership: every contact taking part.
    const everyone = new Intl.ListFormat('zh-CN', { type: 'conjunction' }).format(
      organisations.map((o) =>
        fill(zh.comments.contactOf, { name: o.contacts[0].name, organisation: o.name }),
      ),
    );
    await box.getByText(fill(zh.comments.toEveryone, { names: everyone })).waitFor();

    // A blank comment is refused at once, on the field, in the rule book's words.
    await text.fill('  \n ');
    await box.getByRole('button', { name: zh.comments.submit }).click();
    await box.getByText(zh.errors.COMMENT_REQUIRED).waitFor();
    expect(await text.getAttribute('aria-invalid')).toBe('true');
    expect((await focusStyle(text)).focused).toBe(true);
    await expectAccessible(page, 'the comment box refusing a blank comment (zh)');
    expect(keys).toEqual([]);

    // On Li Wei's task, from the task's own dialog, which says Li alone is e-mailed.
    const onTaskName = fill(zh.comments.commentOnTaskNamed, { title: meetingTitle });
    await page.getByRole('button', { name: onTaskName }).click();
    const dialog = page.getByRole('dialog', { name: onTaskName });
    await dialog
      .getByText(fill(zh.comments.toAssignee, { name: li.name, organisation: eiri.name }))
      .waitFor();
    const taskComment = '请带上议程。\n会议改到周二 <b>上午</b>。';
    await dialog.getByLabel(zh.comments.text).fill(taskComment);
    await expectAccessible(page, 'the comment-on-a-task dialog (zh)');
    await dialog.getByRole('button', { name: zh.comments.submit }).click();
    await waitFor(async () => !(await dialog.isVisible()), { what: 'the task dialog closed' });
    await page.getByText(zh.comments.added).first().waitFor();
    const onTask = timeline.locator('li[data-type="comment.added"]', {
      hasText: fill(zh.comments.onTask, { title: meetingTitle }),
    });
    await onTask.waitFor({ timeout: 20_000 });
    // As written: the line break kept, the markup shown as text.
    expect(await onTask.locator('q').innerText()).toBe(taskComment);
    expect(await onTask.locator('q b').count()).toBe(0);

    // On the partnership, from the box; the first answer is lost on the way back, the retry
    // goes with the same key and is recorded once.
    const partnershipComment = '会议纪要已上传到共享盘。';
    await page.route(
      (url) => url.pathname === `/api/v1/partnerships/${id}/comments`,
      async (route) => {
        // Sent on to the API (from here the test's own resolver, which knows no entente.test).
        const path = new URL(route.request().url()).pathname;
        expect((await route.fetch({ url: `${platform().api.url}${path}` })).status()).toBe(201);
        await route.abort('failed');
      },
      { times: 1 },
    );
    await text.fill(partnershipComment);
    await box.getByRole('button', { name: zh.comments.submit }).click();
    await box.getByText(zh.errors.network).waitFor();
    expect(await text.inputValue()).toBe(partnershipComment);
    await box.getByRole('button', { name: zh.comments.submit }).click();
    await box.getByText(zh.comments.added).waitFor({ timeout: 20_000 });
    expect(await text.inputValue()).toBe('');
    const onPartnership = timeline.locator('li[data-type="comment.added"]', {
      hasText: zh.events['comment.added'],
    });
    await onPartnership.waitFor({ timeout: 20_000 });
    expect(await onPartnership.locator('q').innerText()).toBe(partnershipComment);
    expect(keys).toHaveLength(3);
    expect(keys[2]).toBe(keys[1]);
    expect(keys[1]).not.toBe(keys[0]);
    await expectAccessible(page, 'the partnership with two comments (zh)');

    // Recorded once each; Li has both e-mails (the task's in Chinese), Raquel the partnership's.
    await waitUntilQuiet(platform().pool, platform().client, [id]);
    expect(await timeline.locator('li[data-type="comment.added"]').count()).toBe(2);
    const recorded = await commentEvents(id);
    expect(recorded.map((e) => [e.payload.text, e.payload.taskId])).toEqual(
      expect.arrayContaining([
        [taskComment, MEETING],
        [partnershipComment, undefined],
      ]),
    );
    expect(recorded).toHaveLength(2);
    const toLi = await awaitMessages(li.email, 2);
    expect(toLi).toHaveLength(2);
    const liTask = toLi.find((m) => m.Subject.includes(meetingTitle));
    expect(liTask?.Subject).toMatch(/^关于“.+”的评论（/);
    expect(liTask?.Text).toContain('请带上议程。');
    expect(liTask?.Text).toContain('会议改到周二 <b>上午</b>。');
    expect(toLi.some((m) => m.Text.includes(partnershipComment))).toBe(true);
    const toRaquel = await messagesTo(raquel.email);
    expect(toRaquel.map((m) => m.Text.includes(partnershipComment))).toEqual([true]);

    // Closing: the dialog says what it means and that an administrator can reopen it.
    await page.getByRole('button', { name: zh.partnership.close }).click();
    const close = page.getByRole('dialog', { name: zh.partnership.close });
    await close.getByText(zh.partnership.closeExplained).waitFor();
    await close.getByLabel(zh.partnership.reason).fill('资金中断');
    await expectAccessible(page, 'the close dialog (zh)');
    await close.getByRole('button', { name: zh.partnership.confirmClose }).click();
    await timeline.locator('li[data-type="partnership.closed"]').waitFor({ timeout: 20_000 });
    await waitFor(async () => (await box.count()) === 0, { what: 'the comment box gone' });
    expect(await page.getByRole('button', { name: onTaskName }).count()).toBe(0);

    // The lost answer is the one error the page saw (the browser logs the aborted request).
    expect(problems.all().filter((line) => !line.includes('net::ERR_FAILED'))).toEqual([]);
  });
});
