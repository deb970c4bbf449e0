import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createApprovalEmailActivities } from '../../apps/worker/src/partnerships/approval-email.activities';
import { createFollowUpEmailActivities } from '../../apps/worker/src/partnerships/follow-up-email.activities';
import { createPartnershipActivities } from '../../apps/worker/src/partnerships/partnership.activities';
import { createDataSource } from '@libs/db';
import { ApprovalRequest, DEFAULT_WORKING_HOURS, Task } from '@libs/domain';
import { createMailer, Mailer } from '@libs/notifications';
import type { FollowUpEmail } from '@workflows/partnership/partnership.activities.contract';
import { PartnershipWorkflowInput } from '@workflows/partnership/partnership.contract';
import { verifyTaskLink } from '@libs/approval-links';
import { workflowOrganisations } from '../support/fixtures';
import { approvalToken, awaitMessages, messagesTo, taskToken } from '../support/mailpit';
import { RunningMailpit, startMailpit } from '../../scripts/lib/mailpit';
import { requireEnv } from '../support/stack';

/**
 * Follow-up e-mails against real PostgreSQL and a real SMTP server (Mailpit): the right
 * recipient, language and content; sent once per business key; nothing for a request that no
 * longer awaits the contact; a permanent SMTP refusal (from a Mailpit that refuses one recipient)
 * is recorded failed for that recipient, not retried, and keeps nobody else from their e-mail.
 */
type Outcome = NonNullable<
  ApprovalRequest['organisations'][number]['approvers'][number]['decision']
>['outcome'];

/** `request` once one approver has decided, now, with this comment. */
function decidedBy(
  request: ApprovalRequest,
  contactId: string,
  outcome: Outcome,
  comment: string | null,
): ApprovalRequest {
  return {
    ...request,
    organisations: request.organisations.map((o) => ({
      ...o,
      approvers: o.approvers.map((a) =>
        a.contactId === contactId
          ? { ...a, decision: { outcome, comment, at: new Date().toISOString(), contactId } }
          : a,
      ),
    })),
  };
}

describe(createFollowUpEmailActivities.name, () => {
  let dataSource: DataSource;
  let mailer: Mailer;
  const deps = () => ({
    dataSource,
    mailer,
    linkSecret: 'integration-secret-integration-secret',
    baseUrl: 'http://entente.test',
    linkGraceHours: 24,
  });

  beforeAll(async () => {
    dataSource = createDataSource(requireEnv('TEST_DATABASE_URL'));
    await dataSource.initialize();
    mailer = createMailer({ smtpUrl: requireEnv('TEST_SMTP_URL'), from: 'entente@test.example' });
  });

  afterAll(async () => {
    mailer?.close();
    await dataSource?.destroy();
  });

  /** A partnership with a Madrid (es) and a Shanghai (zh) contact and a pending gate request. */
  async function fixture() {
    const run = randomUUID().slice(0, 8);
    const ids = {
      partnership: randomUUID(),
      es: randomUUID(),
      cn: randomUUID(),
      raquel: randomUUID(),
      li: randomUUID(),
      approval: randomUUID(),
    };
    const coordinator = {
      name: 'Ana',
      email: `ana-${run}@iurc.example`,
      timeZone: 'Europe/Brussels',
      language: 'en' as const,
    };
    const contact = (id: string, name: string, language: 'es' | 'zh', timeZone: string) => ({
      id,
      name,
      email: `${name.toLowerCase()}-${run}@partner.example`,
      role: null,
      language,
      timeZone,
      workingHours: DEFAULT_WORKING_HOURS,
    });
    const input: PartnershipWorkflowInput = {
      partnershipId: ids.partnership,
      title: 'Valencia – Chengdu',
      areas: ['Clean energy'],
      coordinator: { name: coordinator.name, email: coordinator.email },
      organisations: workflowOrganisations(
        {
          id: ids.es,
          name: `IVACE ${run}`,
          contacts: [contact(ids.raquel, 'Raquel', 'es', 'Europe/Madrid')],
        },
        {
          id: ids.cn,
          name: `EIRI ${run}`,
          contacts: [contact(ids.li, 'Li', 'zh', 'Asia/Shanghai')],
        },
      ),
      requestHash: 'h',
      requestedAt: '2026-11-27T17:30:00.000Z',
      actor: { kind: 'coordinator', email: coordinator.email },
    };
    const activities = createPartnershipActivities(dataSource);
    await activities.recordPartnership(input, {
      sequence: 1,
      type: 'partnership.created',
      actor: input.actor,
      occurredAt: input.requestedAt,
      payload: {},
    });
    const approver = (contactId: string) => ({
      contactId,
      delegatedFrom: null,
      delegated: false,
      decision: null,
      reminders: { sent: 0, lastAt: null },
    });
    const request: ApprovalRequest = {
      id: ids.approval,
      subject: { kind: 'gate', stage: 'introduction', title: 'Leave introduction' },
      status: 'pending',
      requestedAt: input.requestedAt,
      deadline: '2027-01-20T17:00:00.000Z',
      requestedBy: { name: 'Ana', email: coordinator.email },
      organisations: [
        { organisationId: ids.es, rule: { kind: 'all' }, approvers: [approver(ids.raquel)] },
        { organisationId: ids.cn, rule: { kind: 'all' }, approvers: [approver(ids.li)] },
      ],
      closedAt: null,
      followUps: true,
      reminderPolicy: null,
      snoozedUntil: null,
      escalatedAt: null,
    };
    const task: Task = {
      id: randomUUID(),
      stage: 'introduction',
      title: 'Share the funding landscape',
      required: false,
      kind: 'task',
      status: 'open',
      assigneeContactId: ids.li,
      dueDate: '2026-12-01',
      source: 'custom',
      completedAt: null,
    };
    let sequence = 1;
    const project = async (approvals: ApprovalRequest[], tasks: Task[] = [task]) => {
      sequence += 1;
      await activities.projectChanges(
        {
          partnershipId: ids.partnership,
          stage: 'introduction',
          status: 'active',
          sequence,
          occurredAt: new Date().toISOString(),
          tasks,
          approvals,
        },
        [],
      );
    };
    await project([request]);
    const base = { partnershipId: ids.partnership, bilingual: false, coordinator };
    const emailOf = (name: string) => `${name.toLowerCase()}-${run}@partner.example`;
    /** The gate request's reminder number `reminderNumber` to `contactId`. */
    const reminderTo = (contactId: string, reminderNumber = 1): FollowUpEmail => ({
      ...base,
      kind: 'approval-reminder',
      approvalId: ids.approval,
      contactId,
      reminderNumber,
    });
    return { ids, request, task, project, base, coordinator, emailOf, reminderTo };
  }

  it('sends a reminder once per key, in the recipient’s language, with their own signed link', async () => {
    const { ids, emailOf, reminderTo } = await fixture();
    const { sendFollowUpEmail } = createFollowUpEmailActivities(deps());
    const reminder = reminderTo(ids.raquel);
    expect(await sendFollowUpEmail(reminder)).toEqual({ sent: true });
    expect(await sendFollowUpEmail(reminder)).toEqual({ sent: false }); // a retry: nothing twice
    const [message] = await awaitMessages(emailOf('Raquel'), 1);
    expect(await messagesTo(emailOf('Raquel'))).toHaveLength(1);
    expect(message.Subject).toContain('Recordatorio n.º 1');
    // The gate's generated title, in the contact's words (the request stores 'Leave introduction').
    expect(message.Subject).toContain(
      'Cerrar la etapa de Presentación y pasar a Exploración de áreas',
    );
    expect(message.Text).not.toContain('Leave introduction');
    expect(message.Text).toContain('http://entente.test/a/');
    expect(approvalToken(message)).toMatch(/\./);

    // Bilingual partnership: Chinese first, then English.
    expect(await sendFollowUpEmail({ ...reminderTo(ids.li), bilingual: true })).toEqual({
      sent: true,
    });
    const [chinese] = await awaitMessages(emailOf('Li'), 1);
    expect(chinese.Subject).toMatch(/第 1 次提醒.* \/ .*Reminder/);
    expect(chinese.Text.indexOf('您好')).toBeLessThan(chinese.Text.indexOf('Dear'));
    // Each half in its own words: Chinese above, English below.
    const [zhHalf, enHalf] = chinese.Text.split('-'.repeat(40));
    expect(zhHalf).toContain('结束相互介绍阶段，进入合作领域探索阶段');
    expect(enHalf).toContain('Close the Introduction stage and move on to Area exploration');
  });

  it('sends no reminder once the contact decided or the request closed', async () => {
    const { ids, request, project, emailOf, reminderTo } = await fixture();
    const { sendFollowUpEmail } = createFollowUpEmailActivities(deps());
    const decided = decidedBy(request, ids.raquel, 'approved', null);
    await project([decided]);
    const remind = (contactId: string, reminderNumber: number) =>
      sendFollowUpEmail(reminderTo(contactId, reminderNumber));
    expect(await remind(ids.raquel, 2)).toEqual({ sent: false });
    await project([{ ...decided, status: 'withdrawn', closedAt: new Date().toISOString() }]);
    expect(await remind(ids.li, 2)).toEqual({ sent: false });
    expect(await messagesTo(emailOf('Raquel'))).toHaveLength(0);
    expect(await messagesTo(emailOf('Li'))).toHaveLength(0);
  });

  it('tells the coordinator of an escalation and of a rejection, with the comment', async () => {
    const { ids, request, project, base, coordinator } = await fixture();
    const { sendFollowUpEmail } = createFollowUpEmailActivities(deps());
    await sendFollowUpEmail({
      ...base,
      kind: 'approval-escalation',
      approvalId: ids.approval,
      awaiting: [ids.raquel, ids.li],
    });
    const rejected: ApprovalRequest = {
      ...decidedBy(request, ids.li, 'rejected', 'The budget table is missing'),
      status: 'rejected',
      closedAt: new Date().toISOString(),
    };
    await project([rejected]);
    await sendFollowUpEmail({
      ...base,
      kind: 'approval-closed',
      approvalId: ids.approval,
      status: 'rejected',
    });
    const messages = await awaitMessages(coordinator.email, 2);
    const escalation = messages.find((m) => m.Subject.startsWith('Escalation'))!;
    expect(escalation.Text).toContain('Raquel and Li');
    const decision = messages.find((m) => m.Subject.startsWith('Rejected'))!;
    expect(decision.Text).toContain('The budget table is missing');
    expect(decision.Text).toContain('Li');
    // The coordinator's e-mails open the web app's partnership page, never the JSON API.
    for (const message of [escalation, decision]) {
      expect(message.Text).toContain(`http://entente.test/partnerships/${ids.partnership}`);
      expect(message.HTML).toContain(`href="http://entente.test/partnerships/${ids.partnership}"`);
      expect(message.Text + message.HTML).not.toContain('/api/v1/');
    }
  });

  it('reminds an assignee of an overdue task, and not after the due date moved', async () => {
    const { ids, task, request, project, base, emailOf } = await fixture();
    const { sendFollowUpEmail } = createFollowUpEmailActivities(deps());
    const overdue = (dueDate: string): FollowUpEmail => ({
      ...base,
      kind: 'task-overdue',
      taskId: task.id,
      contactId: ids.li,
      dueDate,
      reminderNumber: 1,
    });
    expect(await sendFollowUpEmail(overdue('2026-12-01'))).toEqual({ sent: true });
    const [message] = await awaitMessages(emailOf('Li'), 1);
    expect(message.Subject).toContain('Share the funding landscape');
    expect(message.Text).toContain('2026年12月1日');
    // The assignee's own signed link to the task page, bound to that task and to them.
    expect(message.Text).toContain('http://entente.test/t/');
    expect(message.Text).not.toContain('/api/v1/');
    const verified = verifyTaskLink(taskToken(message), deps().linkSecret);
    expect(verified).toMatchObject({
      ok: true,
      claims: { partnershipId: ids.partnership, taskId: task.id, contactId: ids.li },
    });
    await project([request], [{ ...task, dueDate: '2026-12-15' }]);
    expect(await sendFollowUpEmail(overdue('2026-12-01'))).toEqual({ sent: false });
  });

  describe('with an SMTP server that refuses one recipient (5xx)', () => {
    // A Mailpit of its own that answers 550 to every recipient but Li.
    let refusing: RunningMailpit;
    let refusingMailer: Mailer;
    beforeAll(async () => {
      refusing = await startMailpit({ quiet: true, args: ['--smtp-allowed-recipients', '^li-'] });
      refusingMailer = createMailer({ smtpUrl: refusing.smtpUrl, from: 'entente@test.example' });
    });
    afterAll(async () => {
      refusingMailer?.close();
      await refusing?.stop();
    });
    const delivered = async (address: string): Promise<number> => {
      const query = encodeURIComponent(`to:"${address}"`);
      const res = await fetch(`${refusing.apiUrl}/api/v1/search?query=${query}`);
      return ((await res.json()) as { messages: unknown[] }).messages.length;
    };
    const outbox = async (partnershipId: string) =>
      (await dataSource.query(
        `SELECT key, status, error, attempts FROM notifications WHERE partnership_id = $1 ORDER BY key`,
        [partnershipId],
      )) as { key: string; status: string; error: string | null; attempts: number }[];

    it('fails that reminder for good, without retrying, and records it failed', async () => {
      const { ids, reminderTo } = await fixture();
      const { sendFollowUpEmail } = createFollowUpEmailActivities({
        ...deps(),
        mailer: refusingMailer,
      });
      const reminder = reminderTo(ids.raquel);
      for (let attempt = 0; attempt < 2; attempt++) {
        const sent = sendFollowUpEmail(reminder);
        await expect(sent).rejects.toBeInstanceOf(ApplicationFailure);
        await expect(sent).rejects.toMatchObject({
          nonRetryable: true,
          type: 'SMTP_PERMANENT_FAILURE',
        });
      }
      // The second run found the key failed and did not ask the server again.
      expect(await outbox(ids.partnership)).toEqual([
        expect.objectContaining({
          status: 'failed',
          attempts: 1,
          error: expect.stringMatching(/550/),
        }),
      ]);
    });

    it('sends the approval e-mails of a batch past a refused recipient, then fails naming it', async () => {
      const { ids, emailOf } = await fixture();
      const { sendApprovalEmails } = createApprovalEmailActivities({
        ...deps(),
        mailer: refusingMailer,
      });
      // Raquel, whom the server refuses, comes first: Li's e-mail must still go.
      const batch = {
        partnershipId: ids.partnership,
        approvalId: ids.approval,
        kind: 'request' as const,
        contactIds: [ids.raquel, ids.li],
      };
      const sent = sendApprovalEmails(batch);
      await expect(sent).rejects.toMatchObject({
        nonRetryable: true,
        type: 'SMTP_PERMANENT_FAILURE',
        message: expect.stringContaining(ids.raquel),
      });
      expect(await delivered(emailOf('Li'))).toBe(1);
      expect(await delivered(emailOf('Raquel'))).toBe(0);
      const rows = await outbox(ids.partnership);
      expect(rows.map((r) => [r.key.split('/').pop(), r.status])).toEqual(
        expect.arrayContaining([
          [ids.raquel, 'failed'],
          [ids.li, 'sent'],
        ]),
      );
    });
  });
});
