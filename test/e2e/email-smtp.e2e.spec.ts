import { Managed } from '../../scripts/lib/processes';
import { RunningMailpit, startMailpit } from '../../scripts/lib/mailpit';
import { foundingCaseRequest } from '../support/fixtures';
import { messagesTo } from '../support/mailpit';
import { SmtpTap, startSmtpTap } from '../support/smtp-tap';
import {
  http,
  JsonResponse,
  requireEnv,
  RunningApi,
  startApi,
  startWorker,
  testClient,
  testPool,
  waitFor,
} from '../support/stack';

/** The old e-mail activity's start-to-close (15 s) plus its first retry interval, and margin. */
const PAST_THE_OLD_ACTIVITY_TIMEOUT_MS = 22_000;

/**
 * Approval e-mails against a slow and a refusing SMTP server, end to end:
 * - Mailpit frozen with SIGSTOP in the middle of a conversation (after the greeting, at MAIL
 *   FROM) for longer than the old 15-second activity timeout, then resumed: exactly one e-mail
 *   per recipient, because no retry ran beside the slow attempt;
 * - a Mailpit that answers 550 to one recipient: `notification.failed` on the timeline for that
 *   recipient's key, and the other recipient still gets theirs.
 */
describe('approval e-mails with a slow or refusing SMTP server (end to end)', () => {
  let api: RunningApi;
  let worker: Managed | undefined;
  const pool = testPool();

  beforeAll(async () => {
    api = await startApi();
  });

  afterEach(async () => {
    process.kill(Number(requireEnv('TEST_MAILPIT_PID')), 'SIGCONT');
    await worker?.stop();
    worker = undefined;
  });

  afterAll(async () => {
    await Promise.all([api?.process.stop(), pool.end()]);
  });

  /** A partnership of the founding case, and an approval request to both partner contacts. */
  async function askBoth(request: Record<string, any> = foundingCaseRequest()): Promise<{
    id: string;
    approvalId: string;
    contacts: { id: string; email: string }[];
  }> {
    const created = await http('POST', `${api.url}/api/v1/partnerships`, request);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const organisations = created.body.organisations as {
      id: string;
      contacts: { id: string; email: string }[];
    }[];
    const asked: JsonResponse = await http(
      'POST',
      `${api.url}/api/v1/partnerships/${id}/approvals`,
      {
        subject: { kind: 'document', title: 'Joint seminar programme' },
        deadline: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
        organisations: organisations.map((o) => ({
          organisationId: o.id,
          rule: { kind: 'all' },
          approverContactIds: o.contacts.map((c) => c.id),
        })),
      },
    );
    expect(asked.status).toBe(201);
    return {
      id,
      approvalId: asked.body.id as string,
      contacts: organisations.flatMap((o) => o.contacts),
    };
  }

  const outbox = async (partnershipId: string) =>
    (
      await pool.query<{ key: string; status: string }>(
        `SELECT key, status FROM notifications WHERE partnership_id = $1 ORDER BY key`,
        [partnershipId],
      )
    ).rows;

  it('sends exactly one e-mail per recipient when SMTP stalls past the old activity timeout', async () => {
    const mailpitPid = Number(requireEnv('TEST_MAILPIT_PID'));
    let frozenAt: number | undefined;
    const tap: SmtpTap = await startSmtpTap(requireEnv('TEST_SMTP_URL'), (line) => {
      // The forced moment: greeted, EHLO answered, the first message about to be sent.
      if (frozenAt === undefined && /^MAIL FROM:/i.test(line)) {
        process.kill(mailpitPid, 'SIGSTOP');
        frozenAt = Date.now();
      }
    });
    try {
      worker = await startWorker({ SMTP_URL: tap.url });
      const { id, contacts } = await askBoth();
      await waitFor(() => frozenAt !== undefined, {
        what: 'an SMTP conversation to reach MAIL FROM',
      });
      const connectionsWhenFrozen = tap.connections();
      // Frozen past the old 15 s start-to-close: a retry beside the slow attempt would have
      // opened its own connection by now (the old code's does, and then both send).
      await new Promise((r) =>
        setTimeout(r, frozenAt! + PAST_THE_OLD_ACTIVITY_TIMEOUT_MS - Date.now()),
      );
      const connectionsWhileFrozen = tap.connections();
      process.kill(mailpitPid, 'SIGCONT');

      await waitFor(
        async () => {
          const rows = await outbox(id);
          return rows.length === contacts.length && rows.every((r) => r.status === 'sent');
        },
        { what: 'every approval e-mail marked sent', timeoutMs: 60_000 },
      );
      // Nothing of the mail loop is left running that could still send.
      const client = await testClient();
      try {
        await waitFor(
          async () =>
            (await client.workflow.getHandle(`partnership-${id}`).describe()).raw.pendingActivities
              ?.length === 0,
          { what: 'no e-mail activity left', timeoutMs: 30_000 },
        );
      } finally {
        await client.connection.close();
      }
      for (const contact of contacts) expect(await messagesTo(contact.email)).toHaveLength(1);
      expect(connectionsWhileFrozen).toBe(connectionsWhenFrozen);
    } finally {
      process.kill(mailpitPid, 'SIGCONT');
      // Stopped here, not only in afterAll: a worker left running would take later suites'
      // tasks from the shared task queue.
      await worker?.stop();
      worker = undefined;
      await tap.close();
    }
  });

  it('records a 5xx for one recipient as notification.failed, and the other still gets theirs', async () => {
    const request = foundingCaseRequest();
    const accepted = request.organisations[1].contacts[0].email as string; // Li Wei
    // A Mailpit of its own that answers 550 to every recipient but Li Wei.
    const refusing: RunningMailpit = await startMailpit({
      quiet: true,
      args: ['--smtp-allowed-recipients', `^${accepted.replace(/[.+]/g, '\\$&')}$`],
    });
    try {
      worker = await startWorker({ SMTP_URL: refusing.smtpUrl });
      const { id, approvalId, contacts } = await askBoth(request);
      const refused = contacts.find((c) => c.email !== accepted)!;
      const kept = contacts.find((c) => c.email === accepted)!;

      const failed = await waitFor(
        async () => {
          const timeline = await http(
            'GET',
            `${api.url}/api/v1/partnerships/${id}/timeline?pageSize=100`,
          );
          const events = (
            timeline.body.items as { type: string; payload: Record<string, unknown> }[]
          ).filter((e) => e.type === 'notification.failed');
          return events.length > 0 ? events : undefined;
        },
        { what: 'notification.failed on the timeline' },
      );
      expect(failed).toEqual([
        expect.objectContaining({
          payload: expect.objectContaining({
            key: `approval/${approvalId}/request/${refused.id}`,
            channel: 'email',
            error: expect.stringMatching(/550/),
          }),
        }),
      ]);
      await waitFor(
        async () => {
          const rows = await outbox(id);
          return rows.length === 2 && rows.every((r) => r.status !== 'sending') ? rows : undefined;
        },
        { what: 'both approval e-mails settled' },
      );
      expect(await outbox(id)).toEqual(
        expect.arrayContaining([
          { key: `approval/${approvalId}/request/${refused.id}`, status: 'failed' },
          { key: `approval/${approvalId}/request/${kept.id}`, status: 'sent' },
        ]),
      );
      const res = await fetch(
        `${refusing.apiUrl}/api/v1/search?query=${encodeURIComponent(`to:"${accepted}"`)}`,
      );
      expect(((await res.json()) as { messages: unknown[] }).messages).toHaveLength(1);
    } finally {
      await worker?.stop();
      worker = undefined;
      await refusing.stop();
    }
  });
});
