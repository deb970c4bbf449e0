import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { createPartnershipActivities } from '../../apps/worker/src/partnerships/partnership.activities';
import { createWebhookDeliveryActivities } from '../../apps/worker/src/webhooks/webhook-delivery.activities';
import { createWebhookOutbox, Query } from '../../apps/worker/src/webhooks/webhook-outbox';
import { createDataSource } from '@libs/db';
import { freePort } from '../../scripts/lib/ports';
import { TimelineEvent } from '@libs/domain';
import {
  parseAllowedNetworks,
  ResolveHost,
  verifyWebhookSignature,
  webhookDeliveryId,
} from '@libs/webhooks';
import { ApplicationFailure } from '@temporalio/common';
import { PartnershipWorkflowInput } from '@workflows/partnership/partnership.contract';
import { requireEnv } from '../support/stack';

/** The webhook outbox and delivery activities against real PostgreSQL with the real migrations. */
describe(createWebhookOutbox.name, () => {
  let dataSource: DataSource;
  let sut: ReturnType<typeof createPartnershipActivities>;
  let started: { deliveryId: string; partnershipId: string }[];
  const webhookIds: string[] = [];
  /** Other suites' active webhooks, paused while this suite counts deliveries (see beforeAll). */
  let othersPaused: string[] = [];

  beforeAll(async () => {
    dataSource = createDataSource(requireEnv('TEST_DATABASE_URL'));
    await dataSource.initialize();
    // Webhooks earlier suites left active (some want every partnership) would get deliveries of
    // this suite's partnerships too: paused here, active again after, so only ours count.
    const paused: { id: string }[] = await dataSource.query(
      'UPDATE webhooks SET active = false WHERE active RETURNING id',
    );
    othersPaused = paused.map((r) => r.id);
    const outbox = createWebhookOutbox({
      dataSource,
      startDelivery: async (d) => {
        started.push(d);
      },
    });
    sut = createPartnershipActivities(dataSource, outbox);
  });

  beforeEach(() => {
    started = [];
  });

  afterEach(async () => {
    // Webhooks outlive a test file: leave none that later end-to-end tests would deliver to.
    await dataSource.query('DELETE FROM webhooks WHERE id = ANY($1)', [webhookIds]);
  });

  afterAll(async () => {
    if (othersPaused.length > 0) {
      await dataSource.query('UPDATE webhooks SET active = true WHERE id = ANY($1)', [
        othersPaused,
      ]);
    }
    await dataSource?.destroy();
  });

  async function webhook(
    eventTypes: string[],
    partnershipIds: string[] | null,
    active = true,
  ): Promise<string> {
    const id = randomUUID();
    webhookIds.push(id);
    await dataSource.query(
      `INSERT INTO webhooks (id, url, secret, event_types, partnership_ids, active)
       VALUES ($1, 'http://127.0.0.1:9/hook', 'integration-secret-0123', $2, $3, $4)`,
      [id, eventTypes, partnershipIds, active],
    );
    return id;
  }

  function partnership(): { input: PartnershipWorkflowInput; created: TimelineEvent } {
    const partnershipId = randomUUID();
    const input: PartnershipWorkflowInput = {
      partnershipId,
      title: 'Webhook partnership',
      areas: [],
      coordinator: { name: 'Ana', email: 'ana@iurc.example' },
      organisations: [],
      requestHash: 'h',
      requestedAt: '2026-11-29T09:00:00.000Z',
      actor: { kind: 'coordinator', email: 'ana@iurc.example' },
    };
    return { input, created: ev(1, 'partnership.created') };
  }

  function ev(sequence: number, type: TimelineEvent['type']): TimelineEvent {
    return {
      sequence,
      type,
      actor: { kind: 'coordinator', email: 'ana@iurc.example' },
      occurredAt: '2026-11-29T10:00:00.000Z',
      payload: { note: `event ${sequence}` },
    };
  }

  function snapshot(partnershipId: string, sequence: number, assignee: string | null = null) {
    return {
      partnershipId,
      stage: 'area_exploration' as const,
      status: 'active' as const,
      sequence,
      occurredAt: '2026-11-29T10:00:00.000Z',
      tasks: [
        {
          id: 'custom.x',
          stage: 'introduction' as const,
          title: 'X',
          required: false,
          kind: 'task' as const,
          status: 'open' as const,
          assigneeContactId: assignee,
          dueDate: null,
          source: 'custom' as const,
          completedAt: null,
        },
      ],
    };
  }

  async function deliveriesOf(partnershipId: string): Promise<Record<string, unknown>[]> {
    return dataSource.query(
      `SELECT id, webhook_id, event_sequence, event_type, status, attempts FROM webhook_deliveries
        WHERE partnership_id = $1 ORDER BY event_sequence, webhook_id`,
      [partnershipId],
    );
  }

  it('writes one delivery per subscribed active webhook and event, and starts each', async () => {
    const { input, created } = partnership();
    const p = input.partnershipId;
    const all = await webhook(['*'], [p]);
    const stageOnly = await webhook(['stage.advanced'], [p]);
    const anyPartnership = await webhook(['task.completed'], null);
    await webhook(['*'], [randomUUID()]); // another partnership's
    await webhook(['*'], [p], false); // inactive

    await sut.recordPartnership(input, created);
    await sut.projectChanges(snapshot(p, 4), [
      ev(2, 'task.completed'),
      ev(3, 'stage.advanced'),
      ev(4, 'notification.failed'), // never delivered: a failure must not loop
    ]);

    const expected = [
      [all, 1, 'partnership.created'],
      [all, 2, 'task.completed'],
      [anyPartnership, 2, 'task.completed'],
      [all, 3, 'stage.advanced'],
      [stageOnly, 3, 'stage.advanced'],
    ] as const;
    const rows = await deliveriesOf(p);
    expect(rows).toHaveLength(expected.length);
    expect(rows).toEqual(
      expect.arrayContaining(
        expected.map(([w, sequence, type]) => ({
          id: webhookDeliveryId(w, p, sequence),
          webhook_id: w,
          event_sequence: sequence,
          event_type: type,
          status: 'pending',
          attempts: 0,
        })),
      ),
    );
    expect(started.map((s) => s.deliveryId).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(started.every((s) => s.partnershipId === p)).toBe(true);

    const [{ payload }] = await dataSource.query(
      'SELECT payload FROM webhook_deliveries WHERE id = $1',
      [webhookDeliveryId(stageOnly, p, 3)],
    );
    expect(payload).toEqual({
      deliveryId: webhookDeliveryId(stageOnly, p, 3),
      webhookId: stageOnly,
      event: {
        partnershipId: p,
        sequence: 3,
        type: 'stage.advanced',
        actor: { kind: 'coordinator', email: 'ana@iurc.example' },
        occurredAt: '2026-11-29T10:00:00.000Z',
        payload: { note: 'event 3' },
      },
    });
  });

  it('writes nothing twice when retried, and starts again only the deliveries still pending', async () => {
    const { input, created } = partnership();
    const p = input.partnershipId;
    const all = await webhook(['*'], [p]);
    const batch = [ev(2, 'task.completed'), ev(3, 'stage.advanced')];
    await sut.recordPartnership(input, created);
    await Promise.all([
      sut.projectChanges(snapshot(p, 3), batch),
      sut.projectChanges(snapshot(p, 3), batch),
    ]);
    expect(await deliveriesOf(p)).toHaveLength(3);

    // A crash after the commit and before the starts: the retry starts what is still pending.
    await dataSource.query(`UPDATE webhook_deliveries SET status = 'delivered' WHERE id = $1`, [
      webhookDeliveryId(all, p, 2),
    ]);
    started = [];
    await sut.projectChanges(snapshot(p, 3), batch);
    expect(await deliveriesOf(p)).toHaveLength(3);
    expect(started).toEqual([{ deliveryId: webhookDeliveryId(all, p, 3), partnershipId: p }]);
  });

  it('writes and starts nothing when the projection fails (one transaction)', async () => {
    const { input, created } = partnership();
    const p = input.partnershipId;
    await webhook(['*'], [p]);
    await sut.recordPartnership(input, created);
    started = [];
    await expect(
      sut.projectChanges(snapshot(p, 2, 'not-a-uuid'), [ev(2, 'task.completed')]),
    ).rejects.toThrow();
    expect(await deliveriesOf(p)).toHaveLength(1); // partnership.created only
    expect(started).toEqual([]);
  });

  it('leaves pending a delivery whose dispatch is retried while its webhook is paused; the sweep starts it once active', async () => {
    const { input, created } = partnership();
    const p = input.partnershipId;
    const hook = await webhook(['task.completed'], [p]);
    await sut.recordPartnership(input, created);
    // The first dispatch fails after the commit (Temporal unreachable): the activity is retried.
    let failing = true;
    const flaky = createWebhookOutbox({
      dataSource,
      startDelivery: async (d) => {
        if (failing) throw new Error('Temporal unreachable');
        started.push(d);
      },
    });
    const activities = createPartnershipActivities(dataSource, flaky);
    const batch = [ev(2, 'task.completed')];
    await expect(activities.projectChanges(snapshot(p, 2), batch)).rejects.toThrow(/unreachable/);
    failing = false;
    await dataSource.query('UPDATE webhooks SET active = false WHERE id = $1', [hook]);
    await activities.projectChanges(snapshot(p, 2), batch);
    const id = webhookDeliveryId(hook, p, 2);
    expect(started).toEqual([]);
    expect(await deliveriesOf(p)).toEqual([expect.objectContaining({ id, status: 'pending' })]);

    // Paused, the sweep leaves it alone; active again, it starts it.
    await flaky.redispatchPending();
    expect(started.filter((d) => d.deliveryId === id)).toEqual([]);
    await dataSource.query('UPDATE webhooks SET active = true WHERE id = $1', [hook]);
    await flaky.redispatchPending();
    expect(started.filter((d) => d.deliveryId === id)).toEqual([
      { deliveryId: id, partnershipId: p },
    ]);
  });

  it('costs one query, and starts nothing, when no webhook wants the batch', async () => {
    const p = randomUUID();
    await webhook(['stage.advanced'], [p]);
    const queries: string[] = [];
    const counting: Query = (sql, params) => {
      queries.push(sql);
      return dataSource.query(sql, params);
    };
    const outbox = createWebhookOutbox({
      dataSource,
      startDelivery: async (d) => {
        started.push(d);
      },
    });
    expect(await outbox.enqueue(counting, p, [ev(2, 'task.completed')])).toBe(false);
    expect(queries).toHaveLength(1);
    expect(await outbox.enqueue(counting, p, [ev(3, 'notification.failed')])).toBe(false);
    expect(queries).toHaveLength(1);
    expect(await deliveriesOf(p)).toEqual([]);
  });
});

describe(createWebhookDeliveryActivities.name, () => {
  let dataSource: DataSource;
  let server: Server;
  let baseUrl: string;
  let requests: { headers: IncomingMessage['headers']; body: string }[];
  let answers: number[];
  const secret = 'integration-secret-0123';
  const webhookIds: string[] = [];

  beforeAll(async () => {
    dataSource = createDataSource(requireEnv('TEST_DATABASE_URL'));
    await dataSource.initialize();
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        if (req.url === '/silent') return; // never answers
        requests.push({ headers: req.headers, body });
        res.statusCode = answers.shift() ?? 200;
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    requests = [];
    answers = [];
  });

  afterAll(async () => {
    await dataSource.query('DELETE FROM webhooks WHERE id = ANY($1)', [webhookIds]);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await dataSource?.destroy();
  });

  /** The receiver is on loopback: allow-listed, as a deployment would an internal receiver. */
  const sut = (timeoutMs = 2_000) =>
    createWebhookDeliveryActivities({
      dataSource,
      timeoutMs,
      allowedNetworks: parseAllowedNetworks(['127.0.0.1']),
    });

  /** A webhook (no partnership filter is needed: the delivery row is written directly). */
  async function delivery(
    path = '/hook',
    active = true,
    url = `${baseUrl}${path}`,
  ): Promise<{ id: string; webhookId: string }> {
    const webhookId = randomUUID();
    webhookIds.push(webhookId);
    await dataSource.query(
      `INSERT INTO webhooks (id, url, secret, event_types, partnership_ids, active)
       VALUES ($1, $2, $3, '{*}', $4, $5)`,
      [webhookId, url, secret, [randomUUID()], active],
    );
    const partnershipId = randomUUID();
    const id = webhookDeliveryId(webhookId, partnershipId, 3);
    await dataSource.query(
      `INSERT INTO webhook_deliveries (id, webhook_id, partnership_id, event_sequence, event_type, payload)
       VALUES ($1, $2, $3, 3, 'stage.advanced', $4)`,
      [id, webhookId, partnershipId, JSON.stringify({ deliveryId: id, event: { sequence: 3 } })],
    );
    return { id, webhookId };
  }

  async function state(id: string) {
    const [d] = await dataSource.query(
      `SELECT status, attempts, last_status_code, last_error, delivered_at IS NOT NULL AS delivered
         FROM webhook_deliveries WHERE id = $1`,
      [id],
    );
    const attempts = await dataSource.query(
      `SELECT attempt, status_code, error FROM webhook_delivery_attempts WHERE delivery_id = $1 ORDER BY attempt`,
      [id],
    );
    return { ...d, log: attempts };
  }

  it('records a failed attempt and throws, then delivers a signed request once', async () => {
    const { id } = await delivery();
    answers = [500];
    await expect(sut().deliverWebhook(id)).rejects.toThrow(/HTTP 500/);
    expect(await state(id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status_code: 500,
      log: [{ attempt: 1, status_code: 500, error: 'HTTP 500 Internal Server Error' }],
    });

    expect(await sut().deliverWebhook(id)).toBe('delivered');
    expect(await state(id)).toMatchObject({
      status: 'delivered',
      attempts: 2,
      delivered: true,
      last_error: null,
      log: [
        { attempt: 1, status_code: 500 },
        { attempt: 2, status_code: 200, error: null },
      ],
    });
    const last = requests[1];
    expect(JSON.parse(last.body)).toEqual({ deliveryId: id, event: { sequence: 3 } });
    expect(last.headers).toMatchObject({
      'content-type': 'application/json',
      'x-entente-delivery': id,
      'x-entente-event': 'stage.advanced',
    });
    expect(
      verifyWebhookSignature({
        secret,
        body: last.body,
        timestamp: last.headers['x-entente-timestamp'] as string,
        signature: last.headers['x-entente-signature'] as string,
      }),
    ).toBe(true);

    // Delivered: a retry or a replay sends nothing.
    expect(await sut().deliverWebhook(id)).toBe('delivered');
    expect(requests).toHaveLength(2);
    expect(await sut().markWebhookDeliveryFailed(id)).toBeNull();
  });

  it('records a refused connection and a timeout as attempts without a status code', async () => {
    const refused = await delivery();
    await dataSource.query('UPDATE webhooks SET url = $2 WHERE id = $1', [
      refused.webhookId,
      `http://127.0.0.1:${await freePort()}/closed`,
    ]);
    await expect(sut().deliverWebhook(refused.id)).rejects.toThrow(/ECONNREFUSED/);
    const silent = await delivery('/silent');
    await expect(sut(300).deliverWebhook(silent.id)).rejects.toThrow(/no response within 300 ms/);
    expect(await state(silent.id)).toMatchObject({
      attempts: 1,
      log: [{ attempt: 1, status_code: null, error: 'no response within 300 ms' }],
    });
  });

  it('marks a delivery failed after its last attempt, and answers the same when retried', async () => {
    const { id, webhookId } = await delivery();
    answers = [503];
    const err = await sut()
      .deliverWebhook(id)
      .catch((e: unknown) => e);
    // Temporal keeps the failure's message in the workflow history: the URL stays out of it.
    expect((err as Error).message).toBe('HTTP 503 Service Unavailable');
    const failure = {
      webhookId,
      eventSequence: 3,
      attempts: 1,
      error: 'HTTP 503 Service Unavailable',
    };
    expect(await sut().markWebhookDeliveryFailed(id)).toEqual(failure);
    expect(await sut().markWebhookDeliveryFailed(id)).toEqual(failure);
    expect((await state(id)).status).toBe('failed');
  });

  it('skips a delivery whose webhook was deactivated or deleted, sending nothing', async () => {
    const inactive = await delivery('/hook', false);
    expect(await sut().deliverWebhook(inactive.id)).toBe('skipped');
    expect((await state(inactive.id)).status).toBe('skipped');
    const deleted = await delivery();
    await dataSource.query('DELETE FROM webhooks WHERE id = $1', [deleted.webhookId]);
    expect(await sut().deliverWebhook(deleted.id)).toBe('skipped');
    expect(requests).toEqual([]);
  });

  describe('the address rule', () => {
    const port = (): string => new URL(baseUrl).port;
    /**
     * A resolver of made-up names, so that no lookup leaves the test and a name can "resolve" to
     * a private, link-local or CGNAT address without any request being able to go there.
     */
    function resolver(names: Record<string, string[]>): ResolveHost & { asked: string[] } {
      const asked: string[] = [];
      const resolve = async (host: string) => {
        asked.push(host);
        const addresses = names[host];
        if (!addresses) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
        return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
      };
      return Object.assign(resolve, { asked });
    }
    const strict = (resolve?: ResolveHost) =>
      createWebhookDeliveryActivities({
        dataSource,
        timeoutMs: 2_000,
        allowedNetworks: [],
        resolve,
      });

    it('refuses loopback, and a name resolving to it, without sending; the delivery fails at once', async () => {
      const resolve = resolver({ 'receiver.example.test': ['127.0.0.1'] });
      for (const url of [
        `${baseUrl}/hook`,
        `http://localhost:${port()}/hook`,
        `http://receiver.example.test:${port()}/hook`,
        `http://[::ffff:127.0.0.1]:${port()}/hook`,
      ]) {
        const { id } = await delivery('/hook', true, url);
        const err = await strict(url.includes('example.test') ? resolve : undefined)
          .deliverWebhook(id)
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ApplicationFailure);
        expect(err).toMatchObject({ type: 'WebhookDestinationRefused', nonRetryable: true });
        expect((err as Error).message).not.toContain(url);
        expect(await state(id)).toMatchObject({
          status: 'pending',
          attempts: 1,
          last_status_code: null,
          log: [
            {
              attempt: 1,
              status_code: null,
              error: expect.stringMatching(
                /^not sent: the webhook's host (is|resolves to) a loopback address$/,
              ),
            },
          ],
        });
        expect(await strict().markWebhookDeliveryFailed(id)).toMatchObject({ attempts: 1 });
        expect((await state(id)).status).toBe('failed');
      }
      expect(requests).toEqual([]);
    });

    it.each([
      ['private (RFC 1918)', '10.0.0.5', 'private'],
      ['link-local (cloud metadata)', '169.254.169.254', 'link-local'],
      ['carrier-grade NAT', '100.64.0.1', 'carrier-grade NAT'],
      ['unique local IPv6', 'fd00::1', 'unique local'],
      ['IPv4-mapped private', '::ffff:192.168.1.1', 'private'],
    ])('refuses a name resolving to a %s address, sending nothing', async (_, address, words) => {
      const resolve = resolver({ 'internal.example.test': ['93.184.215.14', address] });
      const { id } = await delivery('/hook', true, 'https://internal.example.test/hook');
      await expect(strict(resolve).deliverWebhook(id)).rejects.toMatchObject({
        type: 'WebhookDestinationRefused',
      });
      expect((await state(id)).log).toEqual([
        {
          attempt: 1,
          status_code: null,
          error: `not sent: the webhook's host resolves to a ${words} address`,
        },
      ]);
    });

    it('retries a name that does not resolve (it may resolve later)', async () => {
      const { id } = await delivery('/hook', true, 'https://gone.example.test/hook');
      await expect(strict(resolver({})).deliverWebhook(id)).rejects.toMatchObject({
        type: 'WebhookAttemptFailed',
        nonRetryable: false,
      });
      expect((await state(id)).log).toEqual([
        {
          attempt: 1,
          status_code: null,
          error: "not sent: the webhook's host does not resolve",
        },
      ]);
    });

    it('connects to the checked address only: a rebind after the check changes nothing', async () => {
      // Allow-listed loopback; the name exists only in this resolver, so the request can only
      // have reached the receiver through the pinned address.
      let answers = 0;
      const asked: string[] = [];
      const rebinding: ResolveHost = async (host) => {
        asked.push(host);
        answers += 1;
        return [{ address: answers === 1 ? '127.0.0.1' : '10.0.0.5', family: 4 }];
      };
      const { id } = await delivery('/hook', true, `http://pinned.example.test:${port()}/hook`);
      const activities = createWebhookDeliveryActivities({
        dataSource,
        timeoutMs: 2_000,
        allowedNetworks: parseAllowedNetworks(['127.0.0.1']),
        resolve: rebinding,
      });
      expect(await activities.deliverWebhook(id)).toBe('delivered');
      expect(asked).toEqual(['pinned.example.test']);
      expect(requests).toHaveLength(1);
      expect(requests[0].headers.host).toBe(`pinned.example.test:${port()}`);
    });
  });
});
