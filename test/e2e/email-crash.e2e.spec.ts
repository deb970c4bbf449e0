import { Managed } from '../../scripts/lib/processes';
import { foundingCaseRequest } from '../support/fixtures';
import { awaitMessages, messagesTo } from '../support/mailpit';
import { http, requireEnv, RunningApi, startApi, startWorker, waitFor } from '../support/stack';

/**
 * The worker is killed while approval e-mails are being sent (the SMTP server is frozen with
 * SIGSTOP so the sending is surely in flight); after a restart each recipient has exactly one.
 */
describe('worker killed while e-mails are being sent (end to end)', () => {
  let api: RunningApi;
  let worker: Managed | undefined;
  const mailpitPid = (): number => Number(requireEnv('TEST_MAILPIT_PID'));

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    process.kill(mailpitPid(), 'SIGCONT');
    await Promise.all([api?.process.stop(), worker?.stop()]);
  });

  it('sends one e-mail per recipient and request, not zero and not two', async () => {
    worker = await startWorker();
    const request = foundingCaseRequest();
    const created = await http('POST', `${api.url}/api/v1/partnerships`, request);
    const id = created.body.id as string;
    const recipients = request.organisations.map(
      (o: { contacts: { email: string }[] }) => o.contacts[0].email,
    );

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
    // The outbox shows the sending has started before the worker dies.
    await new Promise((r) => setTimeout(r, 1500));
    worker.child.kill('SIGKILL');
    await worker.exited;
    process.kill(mailpitPid(), 'SIGCONT');

    worker = await startWorker();
    for (const address of recipients) await awaitMessages(address, 1);
    // Give any duplicate the chance to arrive before counting.
    await new Promise((r) => setTimeout(r, 3000));
    await waitFor(
      async () => (await Promise.all(recipients.map(messagesTo))).every((m) => m.length === 1),
      {
        what: 'exactly one e-mail per recipient',
        timeoutMs: 5_000,
      },
    );
  });
});
