import { Client as PgClient } from 'pg';
import { Managed } from '../../scripts/lib/processes';
import { foundingCaseRequest } from '../support/fixtures';
import { messagesTo } from '../support/mailpit';
import {
  http,
  requireEnv,
  RunningApi,
  startApi,
  startWorker,
  testPool,
  waitFor,
} from '../support/stack';

interface OutboxRow {
  key: string;
  recipient: string;
  status: string;
  attempts: number;
}

/**
 * The worker is SIGKILLed while approval e-mails are being sent, at two forced moments:
 * - while an e-mail is in flight (Mailpit frozen with SIGSTOP, the first recipient's outbox row
 *   claimed): after a restart each recipient has exactly one e-mail;
 * - after the SMTP server accepted a message and before the outbox marked it sent (the test holds
 *   that row locked, so the mark waits): the message is sent again, with the same Message-ID,
 *   and every other recipient still has exactly one. This is the guarantee docs/operations.md
 *   states, and nothing more.
 */
describe('worker killed while e-mails are being sent (end to end)', () => {
  let api: RunningApi;
  let worker: Managed | undefined;
  const pool = testPool();
  const mailpitPid = (): number => Number(requireEnv('TEST_MAILPIT_PID'));

  beforeAll(async () => {
    api = await startApi();
  });

  afterEach(async () => {
    process.kill(mailpitPid(), 'SIGCONT');
    await worker?.stop();
    worker = undefined;
  });

  afterAll(async () => {
    await Promise.all([api?.process.stop(), pool.end()]);
  });

  const outbox = async (partnershipId: string): Promise<OutboxRow[]> =>
    (
      await pool.query<OutboxRow>(
        `SELECT key, recipient, status, attempts FROM notifications
          WHERE partnership_id = $1 AND key LIKE 'approval/%/request/%' ORDER BY key`,
        [partnershipId],
      )
    ).rows;

  /** A partnership whose approval request goes to its two partner contacts, Mailpit frozen. */
  async function requestWhileMailpitIsFrozen(): Promise<{ id: string; recipients: string[] }> {
    const request = foundingCaseRequest();
    const created = await http('POST', `${api.url}/api/v1/partnerships`, request);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    process.kill(mailpitPid(), 'SIGSTOP');
    const asked = await http('POST', `${api.url}/api/v1/partnerships/${id}/approvals`, {
      subject: { kind: 'document', title: 'Joint seminar programme' },
      deadline: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
      organisations: created.body.organisations.map(
        (o: { id: string; contacts: { id: string }[] }) => ({
          organisationId: o.id,
          rule: { kind: 'all' },
          approverContactIds: o.contacts.map((c) => c.id),
        }),
      ),
    });
    expect(asked.status).toBe(201);
    const recipients = request.organisations.map(
      (o: { contacts: { email: string }[] }) => o.contacts[0].email,
    );
    return { id, recipients };
  }

  /** Waits until every recipient's key is marked sent: after that nothing can send it again. */
  const allSent = (id: string, count: number): Promise<OutboxRow[]> =>
    waitFor(
      async () => {
        const rows = await outbox(id);
        return rows.length === count && rows.every((r) => r.status === 'sent') ? rows : undefined;
      },
      { what: 'every approval e-mail marked sent', timeoutMs: 90_000 },
    );

  it('sends one e-mail per recipient when killed while one is in flight', async () => {
    worker = await startWorker();
    const { id, recipients } = await requestWhileMailpitIsFrozen();
    // The forced moment: the first e-mail is claimed and waits on the frozen SMTP server.
    await waitFor(async () => (await outbox(id)).some((r) => r.status === 'sending'), {
      what: 'an approval e-mail in flight',
    });
    worker.child.kill('SIGKILL');
    await worker.exited;
    process.kill(mailpitPid(), 'SIGCONT');

    worker = await startWorker();
    await allSent(id, recipients.length);
    for (const address of recipients) expect(await messagesTo(address)).toHaveLength(1);
  });

  it('sends an e-mail again, with the same Message-ID, when killed after the server accepted it but before the mark', async () => {
    worker = await startWorker();
    const { id, recipients } = await requestWhileMailpitIsFrozen();
    const [inFlight] = await waitFor(
      async () => {
        const sending = (await outbox(id)).filter((r) => r.status === 'sending');
        return sending.length > 0 ? sending : undefined;
      },
      { what: 'an approval e-mail in flight' },
    );
    // Hold that row: the worker's `sent` mark waits on the lock once the server has accepted.
    const holder = new PgClient({ connectionString: requireEnv('TEST_DATABASE_URL') });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT key FROM notifications WHERE key = $1 FOR UPDATE', [inFlight.key]);
      const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
        .rows[0].pid;
      process.kill(mailpitPid(), 'SIGCONT');
      // The forced moment: the server accepted the message, and the mark waits on our lock.
      await waitFor(async () => (await messagesTo(inFlight.recipient)).length === 1, {
        what: 'the server to accept the message',
      });
      await waitFor(
        async () =>
          (
            await pool.query(
              `SELECT 1 FROM pg_stat_activity
                WHERE $1 = ANY(pg_blocking_pids(pid)) AND query LIKE '%SET status = ''sent''%'`,
              [holderPid],
            )
          ).rowCount === 1,
        { what: 'the sent mark to wait on the held row' },
      );
      worker.child.kill('SIGKILL');
      await worker.exited;
      // The dead worker's sessions must not run the mark once the lock is gone.
      await pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE $1 = ANY(pg_blocking_pids(pid))`,
        [holderPid],
      );
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    expect((await outbox(id)).find((r) => r.key === inFlight.key)?.status).toBe('sending');

    worker = await startWorker();
    const rows = await allSent(id, recipients.length);
    // The lease of the dead attempt ran out; the next attempt took the key over and sent it.
    expect(rows.find((r) => r.key === inFlight.key)?.attempts).toBe(2);
    const copies = await messagesTo(inFlight.recipient);
    expect(copies).toHaveLength(2);
    const messageIds = await Promise.all(
      copies.map(async (m) => {
        const res = await fetch(`${requireEnv('TEST_MAILPIT_API')}/api/v1/message/${m.ID}`);
        return ((await res.json()) as { MessageID: string }).MessageID;
      }),
    );
    expect(new Set(messageIds).size).toBe(1);
    for (const address of recipients.filter((a) => a !== inFlight.recipient)) {
      expect(await messagesTo(address)).toHaveLength(1);
    }
  });
});
