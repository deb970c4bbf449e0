import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { requireEnv, RunningApi, startApi, waitFor } from '../support/stack';

/**
 * `/health` against a real PostgreSQL that goes away: an API on a database of its own, whose
 * connections are refused and cut (the database stays, the server keeps running for the rest).
 */
describe('/health with PostgreSQL down (end to end)', () => {
  const name = `entente_health_${randomUUID().slice(0, 8)}`;
  const adminUrl = requireEnv('TEST_DATABASE_URL');
  const databaseUrl = (() => {
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    return u.toString();
  })();
  let api: RunningApi | undefined;

  async function sql(text: string): Promise<void> {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  }

  async function health(): Promise<{ status: number; body: Record<string, any> }> {
    const res = await fetch(`${api!.url}/health`);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  beforeAll(async () => {
    await sql(`CREATE DATABASE ${name}`);
    api = await startApi({ DATABASE_URL: databaseUrl, DATABASE_MIGRATE_ON_START: 'true' });
  });

  afterAll(async () => {
    await api?.process.stop();
    await sql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('answers 503 naming the database while PostgreSQL refuses it, and 200 once it is back', async () => {
    expect(await health()).toMatchObject({
      status: 200,
      body: { status: 'ok', checks: { database: { status: 'up' }, temporal: { status: 'up' } } },
    });

    await sql(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
    const down = await waitFor(
      async () => {
        const h = await health();
        return h.status === 503 ? h : undefined;
      },
      { timeoutMs: 20_000, what: '/health to answer 503' },
    );
    expect(down.body).toMatchObject({
      status: 'error',
      checks: { database: { status: 'down' }, temporal: { status: 'up' } },
    });
    // No connection string or password in a public answer.
    expect(JSON.stringify(down.body)).not.toContain('postgres:');

    await sql(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    await waitFor(async () => (await health()).status === 200, {
      timeoutMs: 20_000,
      what: '/health to recover',
    });
  });
});
