import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EMAIL_LEASE_RENEW_MS, sendOnce } from '../../apps/worker/src/partnerships/email-outbox';
import { createDataSource, NotificationsRepository } from '@libs/db';
import { createMailer, Mailer, SMTP_WORST_CASE_MS } from '@libs/notifications';
import { EMAIL_ACTIVITY_TIMEOUTS } from '@workflows/partnership/activities';
import { RunningMailpit, startMailpit } from '../../scripts/lib/mailpit';
import { requireEnv, waitFor } from '../support/stack';

/**
 * The e-mail outbox's lease against real PostgreSQL and a real SMTP server (a Mailpit of this
 * test's own, frozen with SIGSTOP where a slow server is needed): a second attempt beside a slow
 * first one sends nothing; an expired lease is taken over; a lease outlives a stall longer than
 * itself while its attempt is alive.
 */
describe(sendOnce.name, () => {
  let dataSource: DataSource;
  let mailpit: RunningMailpit;
  let mailer: Mailer;
  const pid = (): number => mailpit.process.child.pid!;

  beforeAll(async () => {
    dataSource = createDataSource(requireEnv('TEST_DATABASE_URL'));
    await dataSource.initialize();
    mailpit = await startMailpit({ quiet: true });
    mailer = createMailer({ smtpUrl: mailpit.smtpUrl, from: 'entente@test.example' });
  });

  afterEach(() => process.kill(pid(), 'SIGCONT'));

  afterAll(async () => {
    mailer?.close();
    await mailpit?.stop();
    await dataSource?.destroy();
  });

  const copiesTo = async (address: string): Promise<{ MessageID: string }[]> => {
    const query = encodeURIComponent(`to:"${address}"`);
    const res = await fetch(`${mailpit.apiUrl}/api/v1/search?query=${query}`);
    return ((await res.json()) as { messages: { MessageID: string }[] }).messages;
  };

  const outboxRow = async (key: string) =>
    (
      (await dataSource.query(
        `SELECT status, attempts, lease_expires_at FROM notifications WHERE key = $1`,
        [key],
      )) as { status: string; attempts: number; lease_expires_at: Date }[]
    )[0];

  const email = () => {
    const run = randomUUID();
    return {
      key: `outbox-test/${run}`,
      partnershipId: randomUUID(),
      to: { name: 'Raquel', address: `raquel-${run}@partner.example` },
      render: () => ({
        subject: 'Consent requested',
        text: 'Please decide.',
        html: '<p>Please decide.</p>',
      }),
    };
  };

  it('keeps the e-mail activity’s timeout above the SMTP client’s worst case', () => {
    expect(EMAIL_ACTIVITY_TIMEOUTS.startToCloseMs).toBeGreaterThan(SMTP_WORST_CASE_MS);
    // The lease is renewed (and the activity heartbeats) well within the heartbeat timeout.
    expect(EMAIL_LEASE_RENEW_MS * 2).toBeLessThan(EMAIL_ACTIVITY_TIMEOUTS.heartbeatMs);
  });

  it('sends nothing from a second attempt while a slow first attempt holds the key', async () => {
    const { key, partnershipId, to, render } = email();
    const deps = { dataSource, mailer };
    process.kill(pid(), 'SIGSTOP');
    const first = sendOnce(deps, key, partnershipId, to, render);
    // The first attempt has claimed the key and waits on the frozen server.
    await waitFor(async () => (await outboxRow(key))?.status === 'sending', {
      what: 'the first attempt to claim the key',
    });
    // A retry beside it (Temporal gave up waiting on the first): it must not send.
    const second = sendOnce(deps, key, partnershipId, to, render);
    const secondSettled = Promise.allSettled([second]);
    await new Promise((r) => setTimeout(r, 500)); // let the second reach the server, if it would
    process.kill(pid(), 'SIGCONT');
    await expect(first).resolves.toBe(true);
    const [outcome] = await secondSettled;
    expect(outcome).toMatchObject({
      status: 'rejected',
      reason: { type: 'EMAIL_LEASE_HELD', nonRetryable: false },
    });
    // Once marked sent, any later attempt answers false and sends nothing.
    await expect(sendOnce(deps, key, partnershipId, to, render)).resolves.toBe(false);
    await waitFor(async () => (await copiesTo(to.address)).length >= 1, { what: 'the e-mail' });
    expect(await copiesTo(to.address)).toHaveLength(1);
    expect(await outboxRow(key)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('takes over a key whose lease ran out (its attempt died) and sends it', async () => {
    const { key, partnershipId, to, render } = email();
    // An attempt that claimed the key and died: nobody renews its lease, which has run out.
    await new NotificationsRepository(dataSource).claimEmail(
      key,
      partnershipId,
      to.address,
      randomUUID(),
      0,
    );
    await expect(sendOnce({ dataSource, mailer }, key, partnershipId, to, render)).resolves.toBe(
      true,
    );
    await waitFor(async () => (await copiesTo(to.address)).length >= 1, { what: 'the e-mail' });
    expect(await copiesTo(to.address)).toHaveLength(1);
    expect(await outboxRow(key)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('renews the lease while the server is slower than the lease is long', async () => {
    const { key, partnershipId, to, render } = email();
    const leaseMs = 4_000;
    const deps = { dataSource, mailer, leaseMs };
    process.kill(pid(), 'SIGSTOP');
    const first = sendOnce(deps, key, partnershipId, to, render);
    const claimed = await waitFor(async () => outboxRow(key), { what: 'the claim' });
    const firstExpiry = claimed.lease_expires_at.getTime();
    // Past the first expiry, the lease still holds: the live attempt renewed it.
    await waitFor(async () => (await outboxRow(key)).lease_expires_at.getTime() > firstExpiry, {
      what: 'a renewal',
    });
    await new Promise((r) => setTimeout(r, firstExpiry - Date.now() + 500));
    const second = await Promise.allSettled([sendOnce(deps, key, partnershipId, to, render)]);
    expect(second[0]).toMatchObject({ status: 'rejected', reason: { type: 'EMAIL_LEASE_HELD' } });
    process.kill(pid(), 'SIGCONT');
    await expect(first).resolves.toBe(true);
    await waitFor(async () => (await copiesTo(to.address)).length >= 1, { what: 'the e-mail' });
    expect(await copiesTo(to.address)).toHaveLength(1);
  });
});
