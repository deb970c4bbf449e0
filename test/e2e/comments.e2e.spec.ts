import { randomUUID } from 'node:crypto';
import { signTaskLink } from '@libs/approval-links';
import { approvalLinkSecret, loadConfig } from '@libs/config';
import type { Client } from '@temporalio/client';
import { Pool } from 'pg';
import { foundingCaseRequest } from '../support/fixtures';
import { approvalToken, awaitMessages, messagesTo, taskToken } from '../support/mailpit';
import { waitUntilQuiet } from '../support/state-snapshot';
import { http, requireEnv, RunningApi, TEST_ADMIN_EMAIL } from '../support/stack';
import { usePlatform } from '../support/use-platform';

type Json = Record<string, any>;

/**
 * Comments, everything real: a coordinator's comment is on the timeline with its actor and is
 * e-mailed, in each recipient's language, to the task's assignee (with their task link) or to
 * every contact who takes part; the same Idempotency-Key records and sends it once; a refused
 * comment changes nothing.
 */
describe('comments on a partnership and its tasks (end to end)', () => {
  let api: RunningApi;
  let pool: Pool;
  let client: Client;

  usePlatform((platform) => ({ api, pool, client } = platform));

  const v1 = (path: string): string => `${api.url}/api/v1${path}`;
  const MEETING = 'introduction.introductory_meeting';

  async function comments(id: string): Promise<Json[]> {
    const res = await http('GET', v1(`/partnerships/${id}/timeline?pageSize=100`));
    return (res.body.items as Json[]).filter((e) => e.type === 'comment.added');
  }

  it('e-mails a task comment to its assignee in their language with their link, and a partnership comment to every partner, once per key', async () => {
    const suffix = randomUUID().slice(0, 8);
    const p = (await http('POST', v1('/partnerships'), foundingCaseRequest(suffix))).body;
    const raquel = `raquel+${suffix}@ivace.example`;
    const li = `li.wei+${suffix}@eiri.example`;
    const liId = (p.organisations as Json[]).find((o) => o.country === 'CN')!.contacts[0].id;
    expect(
      (
        await http('PATCH', v1(`/partnerships/${p.id}/tasks/${MEETING}`), {
          assigneeContactId: liId,
        })
      ).status,
    ).toBe(200);

    const key = { 'idempotency-key': `meeting-note-${suffix}` };
    const body = { text: '  The meeting moves to Tuesday.  ', taskId: MEETING };
    const first = await http('POST', v1(`/partnerships/${p.id}/comments`), body, key);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ commentId: expect.any(String), recorded: true });
    const again = await http('POST', v1(`/partnerships/${p.id}/comments`), body, key);
    expect([again.status, again.body]).toEqual([
      201,
      { commentId: first.body.commentId, recorded: false },
    ]);

    // Another comment under the same key is refused, and records nothing.
    const reused = await http(
      'POST',
      v1(`/partnerships/${p.id}/comments`),
      { text: 'Something else' },
      key,
    );
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);

    const [onTask, ...more] = await comments(p.id);
    expect(more).toHaveLength(0);
    expect(onTask.actor).toMatchObject({ kind: 'user', email: TEST_ADMIN_EMAIL });
    expect(onTask.payload).toEqual({
      commentId: first.body.commentId,
      text: 'The meeting moves to Tuesday.',
      taskId: MEETING,
      title: expect.any(String),
    });
    // Li alone is told, in Chinese, with his task page.
    const [toLi] = await awaitMessages(li, 1);
    expect(toLi.Subject).toMatch(/^关于“.+”的评论（/);
    expect(toLi.Text).toContain('The meeting moves to Tuesday.');
    expect(taskToken(toLi)).toBeTruthy();

    const onPartnership = await http('POST', v1(`/partnerships/${p.id}/comments`), {
      text: 'Minutes are on the shared drive.',
    });
    expect(onPartnership.status).toBe(201);
    const [toRaquel] = await awaitMessages(raquel, 1);
    expect(toRaquel.Subject).toMatch(/^Un comentario sobre la colaboración «/);
    expect(toRaquel.Text).toContain('Minutes are on the shared drive.');
    await awaitMessages(li, 2);

    // Let late e-mails arrive: each comment was sent once to each recipient.
    await waitUntilQuiet(pool, client, [p.id]);
    expect(await messagesTo(li)).toHaveLength(2);
    expect(await messagesTo(raquel)).toHaveLength(1);
  });

  it('takes a partner contact’s comment from their task page once per form, for the coordinator', async () => {
    const suffix = randomUUID().slice(0, 8);
    const request = foundingCaseRequest(suffix);
    const p = (await http('POST', v1('/partnerships'), request)).body;
    const li = (p.organisations as Json[]).find((o) => o.country === 'CN')!.contacts[0];
    expect(
      (
        await http('PATCH', v1(`/partnerships/${p.id}/tasks/${MEETING}`), {
          assigneeContactId: li.id,
        })
      ).status,
    ).toBe(200);
    const secret = approvalLinkSecret(
      loadConfig({ DATABASE_URL: requireEnv('TEST_DATABASE_URL'), NODE_ENV: 'test' }),
    );
    const token = signTaskLink(
      {
        partnershipId: p.id,
        taskId: MEETING,
        contactId: li.id,
        expiresAt: new Date(Date.now() + 86_400_000),
      },
      secret,
    );
    const pageHtml = await (await fetch(`${api.url}/t/${token}`)).text();
    const nonce = /name="nonce" value="([0-9a-f-]{36})"/.exec(pageHtml)![1];
    const send = async (form: Record<string, string>) => {
      const res = await fetch(`${api.url}/t/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      return { status: res.status, html: await res.text() };
    };
    const blank = await send({ action: 'comment', nonce, text: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.html).toContain('请填写评论。');
    const long = await send({ action: 'comment', nonce, text: '长'.repeat(4001) });
    expect(long.status).toBe(400);
    expect(long.html).toContain('您的评论超过 4000 个字符');
    const form = { action: 'comment', nonce, text: '会议改到周二。' };
    const sent = await send(form);
    expect(sent.status).toBe(200);
    expect(sent.html).toContain('您的评论已记录并发送给协调人');
    // The same form again (a resend): one comment.
    expect((await send(form)).status).toBe(200);
    const recorded = await comments(p.id);
    expect(recorded).toHaveLength(1);
    expect(recorded[0].actor).toMatchObject({ kind: 'contact', id: li.id, name: li.name });
    expect(recorded[0].payload).toMatchObject({ text: '会议改到周二。', taskId: MEETING });
    // The coordinator is told, in their language, with the partnership's page.
    const [toCoordinator] = await awaitMessages(request.coordinator.email, 1);
    expect(toCoordinator.Text).toContain('会议改到周二。');
    expect(toCoordinator.Text).toContain(`/partnerships/${p.id}`);
    await waitUntilQuiet(pool, client, [p.id]);
    expect(await messagesTo(request.coordinator.email)).toHaveLength(1);
    expect(await messagesTo(li.email)).toHaveLength(0);

    // From the approval page too: a question before answering, on the partnership.
    const gate = await http('POST', v1(`/partnerships/${p.id}/approvals`), {
      subject: { kind: 'gate' },
      deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(gate.status).toBe(201);
    const [asked] = await awaitMessages(li.email, 1);
    const approvalUrl = `${api.url}/a/${approvalToken(asked)}`;
    const approvalPage = await (await fetch(approvalUrl)).text();
    expect(approvalPage).toContain('给协调人的评论');
    const approvalNonce = /name="nonce" value="([0-9a-f-]{36})"/.exec(approvalPage)![1];
    const question = await fetch(approvalUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        action: 'comment',
        nonce: approvalNonce,
        text: '预算附件在哪里？',
      }).toString(),
    });
    expect(question.status).toBe(200);
    const [onPartnership] = (await comments(p.id)).slice(1);
    expect(onPartnership.actor).toMatchObject({ kind: 'contact', id: li.id });
    expect(onPartnership.payload).toEqual({
      commentId: expect.any(String),
      text: '预算附件在哪里？',
    });
    const toCoordinatorAgain = await awaitMessages(request.coordinator.email, 2);
    expect(toCoordinatorAgain[0].Text).toContain('预算附件在哪里？');
    // The request is still Li's to answer: a comment decides nothing.
    expect((await http('GET', v1(`/approvals/${gate.body.id}`))).body.awaiting).toContain(li.id);
  });

  it('refuses an empty or overlong comment, an unknown task and a closed partnership, changing nothing', async () => {
    const p = (await http('POST', v1('/partnerships'), foundingCaseRequest())).body;
    const refusals: [Json, number, string][] = [
      [{ text: '   ' }, 400, 'COMMENT_REQUIRED'],
      [{ text: 'x'.repeat(4001) }, 400, 'COMMENT_TOO_LONG'],
      [{ text: 'Hello', taskId: 'nope' }, 409, 'TASK_NOT_FOUND'],
      [{}, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of refusals) {
      const res = await http('POST', v1(`/partnerships/${p.id}/comments`), body);
      expect([res.status, res.body.code]).toEqual([status, code]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await comments(p.id)).toEqual([]);
    await http('POST', v1(`/partnerships/${p.id}/close`), { reason: 'Ended' });
    const late = await http('POST', v1(`/partnerships/${p.id}/comments`), { text: 'Hello' });
    expect([late.status, late.body.code]).toEqual([409, 'PARTNERSHIP_CLOSED']);
  });
});
