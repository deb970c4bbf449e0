import { randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { verifyWebhookSignature, webhookDeliveryId } from '@libs/webhooks';
import { partnershipWorkflowId } from '@workflows/partnership/partnership.contract';
import {
  WEBHOOK_DELIVERY_TASK_QUEUE,
  webhookDeliveryWorkflowId,
} from '@workflows/webhooks/webhook-delivery.contract';
import { foundingCaseRequest } from '../support/fixtures';
import type { Managed } from '../../scripts/lib/processes';
import {
  http,
  Platform,
  RunningApi,
  startApi,
  startPlatform,
  startWorker,
  waitFor,
} from '../support/stack';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: {
    deliveryId: string;
    webhookId: string;
    event: { partnershipId: string; sequence: number; type: string; payload: unknown };
  };
}

/**
 * A receiver in the test process: `/ok` accepts everything, `/flaky` refuses each delivery twice
 * (500) and then accepts it, `/down` always refuses, `/later` refuses until `accepting` is set.
 */
async function startReceiver(): Promise<{
  url: string;
  received: (Received & { status: number })[];
  server: Server;
  later: { accepting: boolean };
}> {
  const received: (Received & { status: number })[] = [];
  const later = { accepting: false };
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '';
      const delivery = String(req.headers['x-entente-delivery']);
      const times = (seen.get(delivery) ?? 0) + 1;
      seen.set(delivery, times);
      const refuse =
        path === '/down' ||
        (path === '/flaky' && times <= 2) ||
        (path === '/later' && !later.accepting);
      res.statusCode = refuse ? 500 : 200;
      received.push({
        path,
        headers: req.headers,
        body,
        json: JSON.parse(body),
        status: res.statusCode,
      });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    server,
    later,
  };
}

/**
 * A workflow's whole history as text, with its payloads decoded: the history's JSON form carries
 * each payload's bytes (JSON) as base64 in `data`.
 */
async function historyText(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return JSON.stringify(JSON.parse(JSON.stringify(history)), (key, value: unknown) =>
    key === 'data' && typeof value === 'string'
      ? Buffer.from(value, 'base64').toString('utf8')
      : value,
  );
}

/** Outgoing webhooks through HTTP, everything real: API, worker, Temporal, PostgreSQL. */
describe('webhooks (end to end)', () => {
  let api: RunningApi;
  let platform: Platform;
  let pool: Pool;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const created: string[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    platform = await startPlatform(
      {},
      {
        // Short retries, so a refused delivery is retried (and given up) within the test.
        WEBHOOK_RETRY_INITIAL_MS: '200',
        WEBHOOK_RETRY_MAX_INTERVAL_MS: '400',
        WEBHOOK_MAX_ATTEMPTS: '3',
        WEBHOOK_TIMEOUT_MS: '2000',
      },
    );
    ({ api, pool } = platform);
  });

  afterAll(async () => {
    // Webhooks outlive this file in the test database: later suites must not deliver to them.
    for (const id of created) await http('DELETE', url(`/api/v1/webhooks/${id}`));
    await platform?.stop();
    receiver?.server.closeAllConnections();
    await new Promise((r) => receiver?.server.close(r));
  });

  const url = (path: string): string => `${api.url}${path}`;

  async function register(body: Record<string, unknown>): Promise<Record<string, any>> {
    const res = await http('POST', url('/api/v1/webhooks'), body);
    expect(res.status).toBe(201);
    created.push(res.body.id);
    return res.body;
  }

  async function deliveries(webhookId: string, query = ''): Promise<Record<string, any>[]> {
    const res = await http('GET', url(`/api/v1/webhooks/${webhookId}/deliveries${query}`));
    expect(res.status).toBe(200);
    return res.body.items;
  }

  const webhookCount = async (): Promise<number> =>
    (await pool.query('SELECT count(*)::int AS n FROM webhooks')).rows[0].n;

  let partnershipId: string;
  let down: Record<string, any>;

  it('delivers signed events, retries a refusing receiver and gives up on a dead one', async () => {
    const secret = 'e2e-secret-ok-0123456789';
    const ok = await register({
      url: `${receiver.url}/ok`,
      secret,
      eventTypes: ['partnership.created', 'task.completed', 'stage.advanced'],
      description: 'CRM sync',
    });
    expect(ok).toMatchObject({
      url: `${receiver.url}/ok`,
      eventTypes: ['partnership.created', 'task.completed', 'stage.advanced'],
      partnershipIds: null,
      active: true,
      secretHint: '…6789',
      description: 'CRM sync',
    });
    expect(JSON.stringify(ok)).not.toContain(secret);
    const got = await http('GET', url(`/api/v1/webhooks/${ok.id}`));
    expect(got.body).toEqual(ok);
    const listed = await http('GET', url('/api/v1/webhooks?pageSize=100'));
    expect(listed.body.items.map((w: { id: string }) => w.id)).toContain(ok.id);

    const partnership = await http('POST', url('/api/v1/partnerships'), foundingCaseRequest());
    expect(partnership.status).toBe(201);
    partnershipId = partnership.body.id;
    const only = { partnershipIds: [partnershipId], eventTypes: ['stage.advanced'] };
    const flaky = await register({
      url: `${receiver.url}/flaky`,
      secret: 'e2e-secret-flaky-0123',
      ...only,
    });
    down = await register({
      url: `${receiver.url}/down`,
      secret: 'e2e-secret-down-01234',
      ...only,
    });

    const tasks = partnership.body.gate.blockers as { taskId: string }[];
    for (const t of tasks) {
      const done = await http(
        'POST',
        url(`/api/v1/partnerships/${partnershipId}/tasks/${t.taskId}/complete`),
        {},
      );
      expect(done.status).toBe(200);
    }
    const advanced = await http('POST', url(`/api/v1/partnerships/${partnershipId}/advance`), {});
    expect(advanced.status).toBe(200);

    // The `ok` receiver gets every subscribed event of the partnership once, correctly signed.
    const mine = (): Received[] =>
      receiver.received.filter(
        (r) => r.path === '/ok' && r.json.event.partnershipId === partnershipId,
      );
    await waitFor(() => mine().length >= tasks.length + 2, {
      what: 'the ok receiver to get 5 events',
    });
    const types = mine()
      .map((r) => `${r.json.event.sequence}:${r.json.event.type}`)
      .sort();
    expect(types).toEqual(
      [
        '1:partnership.created',
        ...tasks.map((_, i) => `${i + 2}:task.completed`),
        `${tasks.length + 2}:stage.advanced`,
      ].sort(),
    );
    for (const r of mine()) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-entente-delivery']).toBe(r.json.deliveryId);
      expect(r.headers['x-entente-event']).toBe(r.json.event.type);
      expect(r.json.webhookId).toBe(ok.id);
      expect(
        verifyWebhookSignature({
          secret,
          body: r.body,
          timestamp: r.headers['x-entente-timestamp'] as string,
          signature: r.headers['x-entente-signature'] as string,
        }),
      ).toBe(true);
      expect(
        verifyWebhookSignature({
          secret: 'e2e-secret-not-the-one',
          body: r.body,
          timestamp: r.headers['x-entente-timestamp'] as string,
          signature: r.headers['x-entente-signature'] as string,
        }),
      ).toBe(false);
    }
    const createdEvent = mine().find((r) => r.json.event.type === 'partnership.created')!;
    expect(createdEvent.json.event.payload).toMatchObject({ title: partnership.body.title });

    // The delivery log: newest first, delivered at the first attempt.
    const log = await waitFor(
      async () => {
        const items = (await deliveries(ok.id, '?pageSize=100')).filter(
          (d) => d.partnershipId === partnershipId,
        );
        return items.length === 5 && items.every((d) => d.status === 'delivered') && items;
      },
      { what: 'the ok deliveries to be delivered' },
    );
    expect(log[0]).toMatchObject({ eventType: 'stage.advanced', eventSequence: tasks.length + 2 });
    for (const d of log) {
      expect(d).toMatchObject({ attemptCount: 1, lastStatusCode: 200, lastError: null });
      expect(d.attempts).toEqual([
        expect.objectContaining({ attempt: 1, statusCode: 200, error: null }),
      ]);
    }

    // The flaky receiver: refused twice, accepted at the third attempt; the same delivery each time.
    const [retried] = await waitFor(
      async () => {
        const items = await deliveries(flaky.id);
        return items.length === 1 && items[0].status === 'delivered' && items;
      },
      { what: 'the flaky delivery to be delivered' },
    );
    expect(retried).toMatchObject({
      eventType: 'stage.advanced',
      attemptCount: 3,
      lastStatusCode: 200,
    });
    expect(retried.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([
      500, 500, 200,
    ]);
    const flakyRequests = receiver.received.filter((r) => r.path === '/flaky');
    expect(flakyRequests).toHaveLength(3);
    expect(new Set(flakyRequests.map((r) => r.headers['x-entente-delivery']))).toEqual(
      new Set([retried.id]),
    );
    expect(new Set(flakyRequests.map((r) => r.body)).size).toBe(1);

    // The dead receiver: three attempts (WEBHOOK_MAX_ATTEMPTS), then failed.
    const [failed] = await waitFor(
      async () => {
        const items = await deliveries(down.id, '?status=failed');
        return items.length === 1 && items;
      },
      { what: 'the down delivery to fail' },
    );
    expect(failed).toMatchObject({
      status: 'failed',
      attemptCount: 3,
      lastStatusCode: 500,
      lastError: 'HTTP 500 Internal Server Error',
    });
    expect(await deliveries(down.id, '?status=delivered')).toEqual([]);
    expect(receiver.received.filter((r) => r.path === '/down')).toHaveLength(3);
  });

  // The partnership workflow records the failed delivery when it receives notificationFailedSignal.
  it('records the given-up delivery as notification.failed on the partnership timeline', async () => {
    const [failed] = await deliveries(down.id, '?status=failed');
    const event = await waitFor(
      async () => {
        const timeline = await http(
          'GET',
          url(`/api/v1/partnerships/${partnershipId}/timeline?pageSize=100`),
        );
        // This webhook's: other webhooks of the partnership may have given up deliveries too.
        return timeline.body.items.find(
          (e: { type: string; payload: { target?: string } }) =>
            e.type === 'notification.failed' && e.payload.target === `webhook:${down.id}`,
        );
      },
      { what: 'notification.failed on the timeline' },
    );
    expect(event.payload).toMatchObject({
      key: `webhook/${failed.id}`,
      channel: 'webhook',
      target: `webhook:${down.id}`,
      eventSequence: failed.eventSequence,
      attempts: 3,
    });
  });

  // A webhook URL often carries a credential: Temporal's histories and the timeline must not.
  it('keeps the webhook URLs out of the workflow histories and the timeline', async () => {
    const timeline = await http(
      'GET',
      url(`/api/v1/partnerships/${partnershipId}/timeline?pageSize=100`),
    );
    expect(timeline.status).toBe(200);
    const { rows } = await pool.query(
      `SELECT d.id FROM webhook_deliveries d WHERE d.partnership_id = $1`,
      [partnershipId],
    );
    expect(rows.length).toBeGreaterThanOrEqual(7); // 5 to /ok, 1 to /flaky, 1 to /down
    const histories = [
      await historyText(platform.client, partnershipWorkflowId(partnershipId)),
      ...(await Promise.all(
        rows.map((r: { id: string }) =>
          historyText(platform.client, webhookDeliveryWorkflowId(r.id)),
        ),
      )),
    ];
    for (const text of [JSON.stringify(timeline.body), ...histories]) {
      expect(text).not.toContain(receiver.url);
      expect(text).not.toContain(`${new URL(receiver.url).host}/`);
    }
    // The histories are real and decoded: the failed delivery's holds its attempts' errors, and
    // the partnership's the notificationFailed signal's payload, which names the webhook by id.
    expect(histories.some((h) => h.includes('HTTP 500 Internal Server Error'))).toBe(true);
    expect(histories[0]).toContain(`webhook:${down.id}`);
  });

  it('refuses an invalid webhook with 400 problem+json naming each field, and writes nothing', async () => {
    const before = await webhookCount();
    const valid = { url: `${receiver.url}/ok`, secret: 'e2e-secret-valid-0123', eventTypes: ['*'] };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, url: 'not a url' }, 'url'],
      [{ ...valid, url: 'ftp://files.example/hook' }, 'url'],
      [{ ...valid, eventTypes: ['stage.advanced', 'stage.exploded'] }, 'eventTypes'],
      [{ ...valid, eventTypes: ['notification.failed'] }, 'eventTypes'],
      [{ ...valid, eventTypes: [] }, 'eventTypes'],
      [{ ...valid, secret: 'short' }, 'secret'],
      [{ ...valid, partnershipIds: ['not-a-uuid'] }, 'partnershipIds'],
      [{ ...valid, signWith: 'md5' }, 'signWith'],
    ];
    for (const [body, field] of cases) {
      const res = await http('POST', url('/api/v1/webhooks'), body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    expect(await webhookCount()).toBe(before);
  });

  it('answers 404 WEBHOOK_NOT_FOUND for an unknown or malformed id', async () => {
    for (const path of [
      '/api/v1/webhooks/6f1c2d3e-0000-4000-8000-000000000000',
      '/api/v1/webhooks/6f1c2d3e-0000-4000-8000-000000000000/deliveries',
      '/api/v1/webhooks/not-a-uuid',
    ]) {
      const res = await http('GET', url(path));
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('WEBHOOK_NOT_FOUND');
    }
    const patch = await http(
      'PATCH',
      url('/api/v1/webhooks/6f1c2d3e-0000-4000-8000-000000000000'),
      { active: false },
    );
    expect(patch.status).toBe(404);
  });

  it('pauses, changes and deletes a webhook; the same Idempotency-Key registers once', async () => {
    const body = {
      url: `${receiver.url}/ok`,
      secret: 'e2e-secret-idem-01234',
      eventTypes: ['task.added'],
    };
    const key = { 'Idempotency-Key': `webhook-e2e-${Date.now()}` };
    const first = await http('POST', url('/api/v1/webhooks'), body, key);
    expect(first.status).toBe(201);
    created.push(first.body.id);
    const again = await http('POST', url('/api/v1/webhooks'), body, key);
    expect(again.body.id).toBe(first.body.id);
    const other = await http('POST', url('/api/v1/webhooks'), { ...body, eventTypes: ['*'] }, key);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const id = first.body.id as string;
    const paused = await http('PATCH', url(`/api/v1/webhooks/${id}`), {
      active: false,
      eventTypes: ['*'],
      partnershipIds: [partnershipId],
      description: null,
    });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      active: false,
      eventTypes: ['*'],
      partnershipIds: [partnershipId],
      description: null,
    });
    const unknownField = await http('PATCH', url(`/api/v1/webhooks/${id}`), {
      secret: 'e2e-secret-new-0123456',
    });
    expect(unknownField.status).toBe(400);

    // A paused webhook gets nothing.
    const task = await http('POST', url(`/api/v1/partnerships/${partnershipId}/tasks`), {
      title: 'Paused webhook check',
    });
    expect(task.status).toBe(201);
    expect(await deliveries(id)).toEqual([]);

    expect((await http('DELETE', url(`/api/v1/webhooks/${id}`))).status).toBe(204);
    expect((await http('GET', url(`/api/v1/webhooks/${id}`))).status).toBe(404);
    expect((await http('DELETE', url(`/api/v1/webhooks/${id}`))).status).toBe(404);
  });
});

/**
 * Without WEBHOOK_ALLOWED_NETWORKS (the test stack otherwise allow-lists loopback), a webhook may
 * not reach loopback: refused at registration, and at delivery (an API that allowed it when it was
 * registered, a worker that does not allow it now) before any request leaves.
 */
describe('webhooks to internal addresses (end to end)', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let platform: Platform;
  let strictApi: RunningApi;
  const created: string[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    // The API allow-lists loopback (as it did when the webhook was registered); the worker does not.
    [platform, strictApi] = await Promise.all([
      startPlatform({}, { WEBHOOK_ALLOWED_NETWORKS: '' }),
      startApi({ WEBHOOK_ALLOWED_NETWORKS: '' }),
    ]);
  });

  afterAll(async () => {
    for (const id of created) await http('DELETE', `${platform.api.url}/api/v1/webhooks/${id}`);
    await Promise.all([platform?.stop(), strictApi?.process.stop()]);
    receiver?.server.closeAllConnections();
    await new Promise((r) => receiver?.server.close(r));
  });

  it('refuses loopback and a name resolving to it at registration with 422, writing nothing', async () => {
    const port = new URL(receiver.url).port;
    const { pool } = platform;
    const count = async (): Promise<number> =>
      (
        await pool.query('SELECT count(*)::int AS n FROM webhooks WHERE url LIKE $1', [
          `%:${port}/%`,
        ])
      ).rows[0].n;
    const audits = async (): Promise<number> =>
      (
        await pool.query(
          `SELECT count(*)::int AS n FROM audit_log WHERE action = 'webhook.created'`,
        )
      ).rows[0].n;
    const [webhooksBefore, auditsBefore] = [await count(), await audits()];
    const cases: [string, string][] = [
      [`${receiver.url}/ok`, 'its host is a loopback address'],
      [`http://localhost:${port}/ok`, 'its host resolves to a loopback address'],
      [`http://[::1]:${port}/ok`, 'its host is a loopback address'],
      [`http://[::ffff:127.0.0.1]:${port}/ok`, 'its host is a loopback address'],
    ];
    for (const [url, reason] of cases) {
      const res = await http('POST', `${strictApi.url}/api/v1/webhooks`, {
        url,
        secret: 'e2e-secret-loopback-0123',
        eventTypes: ['*'],
      });
      expect({ url, status: res.status }).toEqual({ url, status: 422 });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        code: 'WEBHOOK_URL_REFUSED',
        errors: [{ field: 'url', messages: [reason] }],
      });
    }
    // A registered webhook cannot be moved there either.
    const allowed = await http('POST', `${platform.api.url}/api/v1/webhooks`, {
      url: `${receiver.url}/ok`,
      secret: 'e2e-secret-loopback-0123',
      eventTypes: ['stage.advanced'],
      partnershipIds: [randomUUID()],
    });
    expect(allowed.status).toBe(201);
    created.push(allowed.body.id);
    const moved = await http('PATCH', `${strictApi.url}/api/v1/webhooks/${allowed.body.id}`, {
      url: `http://localhost:${port}/down`,
    });
    expect(moved.status).toBe(422);
    expect(moved.body.code).toBe('WEBHOOK_URL_REFUSED');
    expect(
      (await http('GET', `${strictApi.url}/api/v1/webhooks/${allowed.body.id}`)).body.url,
    ).toBe(`${receiver.url}/ok`);
    expect(await count()).toBe(webhooksBefore + 1);
    expect(await audits()).toBe(auditsBefore + 1);
    expect(receiver.received).toEqual([]);
  });

  it('at delivery, records a loopback delivery as failed without a request leaving', async () => {
    const api = platform.api.url;
    const partnership = await http('POST', `${api}/api/v1/partnerships`, foundingCaseRequest());
    expect(partnership.status).toBe(201);
    const partnershipId = partnership.body.id as string;
    const hooks = [];
    for (const url of [`${receiver.url}/ok`, `http://localhost:${new URL(receiver.url).port}/ok`]) {
      const res = await http('POST', `${api}/api/v1/webhooks`, {
        url,
        secret: 'e2e-secret-loopback-0123',
        eventTypes: ['task.added'],
        partnershipIds: [partnershipId],
      });
      expect(res.status).toBe(201);
      created.push(res.body.id);
      hooks.push(res.body.id as string);
    }
    const task = await http('POST', `${api}/api/v1/partnerships/${partnershipId}/tasks`, {
      title: 'Loopback webhook check',
    });
    expect(task.status).toBe(201);
    for (const id of hooks) {
      const [failed] = await waitFor(
        async () => {
          const res = await http('GET', `${api}/api/v1/webhooks/${id}/deliveries?status=failed`);
          return res.body.items.length === 1 && res.body.items;
        },
        { what: 'the loopback delivery to fail' },
      );
      expect(failed).toMatchObject({
        status: 'failed',
        attemptCount: 1,
        lastStatusCode: null,
        lastError: expect.stringMatching(
          /^not sent: the webhook's host (is|resolves to) a loopback address$/,
        ),
      });
    }
    expect(receiver.received).toEqual([]);
  });
});

/**
 * Deliveries left pending are picked up again: one whose workflow an operator terminated (by the
 * worker's start-up sweep), and one whose dispatch came while its webhook was paused (by the
 * resume). Each is delivered once. Deliveries run on their own task queue.
 */
describe('webhook deliveries left pending (end to end)', () => {
  const workerEnv = {
    WEBHOOK_RETRY_INITIAL_MS: '200',
    WEBHOOK_RETRY_MAX_INTERVAL_MS: '400',
    WEBHOOK_MAX_ATTEMPTS: '100',
  };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let platform: Platform;
  let restarted: Managed | undefined;
  let partnershipId: string;
  const created: string[] = [];
  const api = (path: string): string => `${platform.api.url}/api/v1${path}`;

  beforeAll(async () => {
    receiver = await startReceiver();
    platform = await startPlatform({}, workerEnv);
    const partnership = await http('POST', api('/partnerships'), foundingCaseRequest());
    expect(partnership.status).toBe(201);
    partnershipId = partnership.body.id;
  });

  afterAll(async () => {
    for (const id of created) await http('DELETE', api(`/webhooks/${id}`));
    await Promise.all([platform?.stop(), restarted?.stop()]);
    receiver?.server.closeAllConnections();
    await new Promise((r) => receiver?.server.close(r));
  });

  async function register(path: string): Promise<string> {
    const res = await http('POST', api('/webhooks'), {
      url: `${receiver.url}${path}`,
      secret: 'e2e-secret-pending-0123',
      eventTypes: ['task.added'],
      partnershipIds: [partnershipId],
    });
    expect(res.status).toBe(201);
    created.push(res.body.id);
    return res.body.id;
  }

  const deliveriesOf = async (webhookId: string): Promise<Record<string, any>[]> =>
    (await http('GET', api(`/webhooks/${webhookId}/deliveries`))).body.items;

  it('delivers once, after the start-up sweep, a delivery whose workflow was terminated', async () => {
    const webhookId = await register('/later');
    const task = await http('POST', api(`/partnerships/${partnershipId}/tasks`), {
      title: 'Terminated delivery check',
    });
    expect(task.status).toBe(201);
    // The receiver refuses: the workflow is between attempts when it is terminated.
    const [pending] = await waitFor(
      async () => {
        const items = await deliveriesOf(webhookId);
        return items.length === 1 && items[0].attemptCount >= 1 && items;
      },
      { what: 'a refused attempt' },
    );
    const workflowId = webhookDeliveryWorkflowId(pending.id);
    const handle = platform.client.workflow.getHandle(workflowId);
    expect((await handle.describe()).taskQueue).toBe(WEBHOOK_DELIVERY_TASK_QUEUE);
    await handle.terminate('e2e: an operator terminates the delivery');
    expect((await handle.describe()).status.name).toBe('TERMINATED');
    // Stopped first, so that an attempt still in flight lands (refused) before the receiver
    // accepts: only a new run can deliver it.
    await platform.worker.stop();
    receiver.later.accepting = true;
    expect((await deliveriesOf(webhookId))[0].status).toBe('pending');
    restarted = await startWorker(workerEnv);
    const [delivered] = await waitFor(
      async () => {
        const items = await deliveriesOf(webhookId);
        return items[0]?.status === 'delivered' && items;
      },
      { what: 'the terminated delivery to be delivered after the sweep' },
    );
    expect(delivered.id).toBe(pending.id);
    const requests = receiver.received.filter((r) => r.path === '/later');
    expect(requests.filter((r) => r.status === 200)).toHaveLength(1);
    expect(requests[requests.length - 1].status).toBe(200);
    expect(new Set(requests.map((r) => r.headers['x-entente-delivery']))).toEqual(
      new Set([pending.id]),
    );
  });

  it('delivers once, when its webhook is resumed, a delivery dispatched while it was paused', async () => {
    const webhookId = await register('/ok');
    const paused = await http('PATCH', api(`/webhooks/${webhookId}`), { active: false });
    expect(paused.status).toBe(200);
    // What a projection whose dispatch was retried while the webhook was paused leaves behind
    // (test/integration/webhook-outbox.spec.ts shows how): a delivery written while the webhook
    // was active, pending, with no workflow (the retry's outbox found no active subscriber).
    const sequence = 9_000 + Math.floor(Math.random() * 1000);
    const deliveryId = webhookDeliveryId(webhookId, partnershipId, sequence);
    await platform.pool.query(
      `INSERT INTO webhook_deliveries (id, webhook_id, partnership_id, event_sequence, event_type, payload)
       VALUES ($1, $2, $3, $4, 'task.added', $5)`,
      [deliveryId, webhookId, partnershipId, sequence, JSON.stringify({ deliveryId })],
    );
    const toOk = (): number =>
      receiver.received.filter((r) => r.headers['x-entente-delivery'] === deliveryId).length;
    expect(toOk()).toBe(0);

    const resumed = await http('PATCH', api(`/webhooks/${webhookId}`), { active: true });
    expect(resumed.status).toBe(200);
    await waitFor(
      async () =>
        (await deliveriesOf(webhookId)).find((d) => d.id === deliveryId)?.status === 'delivered',
      { what: 'the paused delivery to be delivered after the resume' },
    );
    // Resumed again: nothing is pending, nothing is sent again.
    expect((await http('PATCH', api(`/webhooks/${webhookId}`), { active: true })).status).toBe(200);
    const handle = platform.client.workflow.getHandle(webhookDeliveryWorkflowId(deliveryId));
    expect(await handle.result()).toBe('delivered');
    expect(toOk()).toBe(1);
  });
});
