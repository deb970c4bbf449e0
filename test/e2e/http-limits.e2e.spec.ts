import { request } from 'node:http';
import { connect } from 'node:net';
import { foundingCaseRequest } from '../support/fixtures';
import {
  adminToken,
  http,
  login,
  Platform,
  RunningApi,
  startApi,
  startPlatform,
  waitFor,
} from '../support/stack';

/** How often the API under test checks the access of open streams (STREAM_ACCESS_CHECK_MS). */
const ACCESS_CHECK_MS = 500;

interface OpenStream {
  status: number;
  headers: Headers;
  /** The problem of a refused stream. */
  problem?: Record<string, any>;
  text(): string;
  /** The `id:` of every event received so far, in order. */
  ids(): number[];
  ended(): boolean;
  close(): void;
}

/**
 * HTTP limits and event streams, everything real: caps on open streams, a stream ended when its
 * user loses access, resume without gaps, bodiless requests that say they are JSON, and the
 * server's timeouts.
 */
describe('HTTP limits and event streams (end to end)', () => {
  let platform: Platform;
  let api: RunningApi;
  const opened: OpenStream[] = [];

  beforeAll(async () => {
    platform = await startPlatform({
      STREAM_ACCESS_CHECK_MS: String(ACCESS_CHECK_MS),
      STREAMS_PER_USER: '2',
      STREAMS_PER_PROCESS: '3',
    });
    ({ api } = platform);
  });

  afterEach(async () => {
    for (const s of opened.splice(0)) s.close();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const url = (path: string): string => `${api.url}${path}`;

  async function stream(
    partnershipId: string,
    token: string,
    { query = '', headers = {} }: { query?: string; headers?: Record<string, string> } = {},
  ): Promise<OpenStream> {
    const abort = new AbortController();
    const res = await fetch(url(`/api/v1/partnerships/${partnershipId}/events/stream${query}`), {
      signal: abort.signal,
      headers: { authorization: `Bearer ${token}`, ...headers },
    });
    let text = '';
    let ended = false;
    const s: OpenStream = {
      status: res.status,
      headers: res.headers,
      text: () => text,
      ids: () => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])),
      ended: () => ended,
      close: () => abort.abort(),
    };
    if (!res.ok) {
      s.problem = (await res.json()) as Record<string, any>;
      return s;
    }
    opened.push(s);
    const reader = res.body!.getReader();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          text += Buffer.from(value).toString('utf8');
        }
      } catch {
        // cut (or closed by the test): either way it has ended
      }
      ended = true;
    })();
    return s;
  }

  async function createPartnership(token?: string): Promise<string> {
    const res = await http(
      'POST',
      url('/api/v1/partnerships'),
      foundingCaseRequest(),
      {},
      token ? { token } : {},
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function newUser(role: 'coordinator' | 'observer'): Promise<{ id: string; token: string }> {
    const email = `${role}-${Math.random().toString(36).slice(2, 10)}@entente.test`;
    const password = 'a long enough password 42';
    const created = await http('POST', url('/api/v1/users'), { email, name: role, role, password });
    expect(created.status).toBe(201);
    const session = await login(api.url, email, password);
    expect(session.status).toBe(200);
    return { id: created.body.id as string, token: session.body.accessToken as string };
  }

  async function addTasks(partnershipId: string, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const res = await http('POST', url(`/api/v1/partnerships/${partnershipId}/tasks`), {
        title: `Extra task ${i} ${Math.random()}`,
      });
      expect(res.status).toBe(201);
    }
  }

  async function lastSequence(partnershipId: string): Promise<number> {
    const res = await platform.pool.query(
      'SELECT max(sequence)::int AS n FROM partnership_events WHERE partnership_id = $1',
      [partnershipId],
    );
    return res.rows[0].n as number;
  }

  const range = (from: number, to: number): number[] =>
    Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('caps open streams per user (429) and per process (503), with Retry-After, and frees a slot when a stream closes', async () => {
    const admin = await adminToken(api.url);
    const id = await createPartnership();
    const observer = await newUser('observer');
    expect(
      (
        await http('PUT', url(`/api/v1/partnerships/${id}/members/${observer.id}`), {
          role: 'observer',
        })
      ).status,
    ).toBe(200);

    const first = await stream(id, admin);
    const second = await stream(id, admin);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await stream(id, admin);
    expect(third.status).toBe(429);
    expect(third.headers.get('content-type')).toContain('application/problem+json');
    expect(third.headers.get('retry-after')).toBe('10');
    expect(third.problem).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429 });

    // Another user fills the process; past it, anyone is refused with 503.
    expect((await stream(id, observer.token)).status).toBe(200);
    const busy = await stream(id, observer.token);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('10');
    expect(busy.problem).toMatchObject({ code: 'SERVER_BUSY', status: 503 });

    // A closed stream gives its slot back.
    first.close();
    const again = await waitFor(
      async () => {
        const s = await stream(id, admin);
        return s.status === 200 ? s : undefined;
      },
      { what: 'a freed slot' },
    );
    expect(again.status).toBe(200);
  });

  it('cuts a stream within seconds of its user being disabled', async () => {
    const coordinator = await newUser('coordinator');
    const id = await createPartnership(coordinator.token);
    const s = await stream(id, coordinator.token);
    expect(s.status).toBe(200);
    await waitFor(() => s.ids().includes(1), { what: 'the first event' });

    const disabled = await http('PATCH', url(`/api/v1/users/${coordinator.id}`), {
      disabled: true,
    });
    expect(disabled.status).toBe(200);
    const started = Date.now();
    await waitFor(() => s.ended(), { timeoutMs: 4 * ACCESS_CHECK_MS + 3_000, what: 'the cut' });
    expect(Date.now() - started).toBeLessThan(4 * ACCESS_CHECK_MS + 3_000);
    expect(s.text()).toContain(': stream ended (access-lost)');
    // And the stream it would reconnect with is refused.
    expect((await stream(id, coordinator.token)).status).toBe(401);
  });

  it('cuts a stream when its user is removed from the partnership', async () => {
    const id = await createPartnership();
    const observer = await newUser('observer');
    await http('PUT', url(`/api/v1/partnerships/${id}/members/${observer.id}`), {
      role: 'observer',
    });
    const s = await stream(id, observer.token);
    expect(s.status).toBe(200);
    await waitFor(() => s.ids().includes(1), { what: 'the first event' });

    const removed = await http('DELETE', url(`/api/v1/partnerships/${id}/members/${observer.id}`));
    expect(removed.status).toBe(204);
    await waitFor(() => s.ended(), { timeoutMs: 4 * ACCESS_CHECK_MS + 3_000, what: 'the cut' });
    expect((await stream(id, observer.token)).status).toBe(404);
  });

  it('resumes with Last-Event-ID or ?after= without gaps or repeats, live and after a reconnect', async () => {
    const admin = await adminToken(api.url);
    const id = await createPartnership();
    await addTasks(id, 4);
    const n = await lastSequence(id);
    expect(n).toBeGreaterThanOrEqual(5);

    const fromAfter = await stream(id, admin, { query: '?after=1' });
    // Last-Event-ID (what a reconnecting EventSource sends) wins over ?after=.
    const fromHeader = await stream(id, admin, {
      query: '?after=0',
      headers: { 'last-event-id': '2' },
    });
    await waitFor(() => fromAfter.ids().at(-1) === n && fromHeader.ids().at(-1) === n, {
      what: 'both caught up',
    });
    expect(fromAfter.ids()).toEqual(range(2, n));
    expect(fromHeader.ids()).toEqual(range(3, n));

    // One disconnects; events happen meanwhile; it resumes from its last id.
    fromAfter.close();
    await addTasks(id, 3);
    const m = await lastSequence(id);
    const resumed = await waitFor(
      async () => {
        const s = await stream(id, admin, { headers: { 'last-event-id': String(n) } });
        return s.status === 200 ? s : undefined;
      },
      { what: 'a slot for the reconnect' },
    );
    await waitFor(() => resumed.ids().at(-1) === m && fromHeader.ids().at(-1) === m, {
      what: 'the new events on both streams',
    });
    expect(resumed.ids()).toEqual(range(n + 1, m));
    // The stream that stayed got them live, in order, once each.
    expect(fromHeader.ids()).toEqual(range(3, m));

    // Both live now: the next events reach both, still without a gap.
    await addTasks(id, 2);
    const k = await lastSequence(id);
    await waitFor(() => resumed.ids().at(-1) === k && fromHeader.ids().at(-1) === k, {
      what: 'live events',
    });
    expect(resumed.ids()).toEqual(range(n + 1, k));
    expect(fromHeader.ids()).toEqual(range(3, k));
  });

  it('deletes a webhook with a DELETE that says content-type: application/json and has no body', async () => {
    const created = await http('POST', url('/api/v1/webhooks'), {
      url: 'http://127.0.0.1:9/hooks/entente',
      secret: 'whsec-0123456789abcdef',
      eventTypes: ['stage.advanced'],
      partnershipIds: ['00000000-0000-4000-8000-000000000000'],
      description: 'never delivered',
    });
    expect(created.status).toBe(201);
    const res = await fetch(url(`/api/v1/webhooks/${created.body.id}`), {
      method: 'DELETE',
      headers: {
        authorization: `Bearer ${await adminToken(api.url)}`,
        'content-type': 'application/json',
      },
    });
    expect(res.status).toBe(204);
    expect((await http('GET', url(`/api/v1/webhooks/${created.body.id}`))).status).toBe(404);
    // Without credentials the same request is refused for what it is: 401, not 400.
    const anonymous = await fetch(url(`/api/v1/webhooks/${created.body.id}`), {
      method: 'DELETE',
      headers: { 'content-type': 'application/json', 'content-length': '0' },
    });
    expect(anonymous.status).toBe(401);
    // A body that is there is still parsed (and refused when it is not JSON).
    const broken = await http('POST', url(`/api/v1/partnerships`), '{not json');
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe('VALIDATION_FAILED');
  });

  describe('server timeouts', () => {
    let strict: RunningApi;

    beforeAll(async () => {
      strict = await startApi({
        API_REQUEST_TIMEOUT_MS: '1000',
        // Far below the stream heartbeat (15 s): a stream must not be cut by it.
        API_CONNECTION_TIMEOUT_MS: '1500',
        API_KEEP_ALIVE_TIMEOUT_MS: '1000',
      });
    });

    afterAll(async () => {
      await strict?.process.stop();
    });

    it('answers 408 and closes a connection whose request never finishes', async () => {
      const { port } = new URL(strict.url);
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('data', (chunk) => (received += chunk.toString('utf8')));
      socket.on('error', () => undefined);
      // Headers that never end (a slow-loris client).
      socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      const outcome = await Promise.race([
        closed.then(() => 'closed'),
        new Promise((r) => setTimeout(() => r('still open'), 15_000)),
      ]);
      socket.destroy();
      expect(outcome).toBe('closed');
      expect(received).toMatch(/^HTTP\/1\.1 408/);
    });

    it('keeps a quiet event stream open past the connection timeout', async () => {
      const id = await createPartnership();
      // A connection of its own (no pooled keep-alive socket the server may have closed).
      const { port } = new URL(strict.url);
      let text = '';
      let ended = false;
      const req = request({
        host: '127.0.0.1',
        port: Number(port),
        path: `/api/v1/partnerships/${id}/events/stream`,
        agent: false,
        headers: { authorization: `Bearer ${await adminToken(api.url)}` },
      });
      req.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('close', () => (ended = true));
      });
      req.on('error', () => (ended = true));
      req.end();
      try {
        await waitFor(() => /^id: 1$/m.test(text), { what: 'the first event' });
        // Two connection timeouts of silence (the heartbeat is 15 s away).
        await new Promise((r) => setTimeout(r, 3_000));
        expect(ended).toBe(false);
        await addTasks(id, 1);
        await waitFor(() => /^id: 2$/m.test(text), { what: 'the event after the silence' });
      } finally {
        req.destroy();
      }
    });
  });
});
