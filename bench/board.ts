/**
 * `npm run bench:board`: the board (GET /api/v1/partnerships) over 10,000 partnerships. Builds a
 * scratch database on DATABASE_URL's server (or the embedded PostgreSQL), writes the read model of
 * PARTNERSHIPS partnerships straight into it with set-based SQL (each with two partner
 * organisations and their contacts, the template's tasks, some done or overdue, timeline events,
 * pending and closed approval requests, and a coordinator who is a member of one in ten), starts
 * the compiled API on it, and measures, one request at a time after a warm-up, each scenario's
 * p50, p95 and max. The database is dropped at the end. Temporal is not needed: the board reads
 * only PostgreSQL.
 *
 * Env: PARTNERSHIPS (10000), REQUESTS (100 per scenario), WARMUP (10), DATABASE_URL.
 * Results also go to bench/results/board.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { createDataSource, runMigrationsLocked } from '@libs/db';
import { withDatabase } from '../scripts/lib/database-url';
import { freePort } from '../scripts/lib/ports';
import { adminUrlOf, createDatabaseIfMissing, dropDatabase } from '../scripts/lib/postgres';
import { spawnManaged } from '../scripts/lib/processes';

export const ADMIN = { email: 'bench-admin@entente.local', password: 'bench-admin-password-1' };
export const COORDINATOR = {
  email: 'bench-coordinator@entente.local',
  password: 'bench-coordinator-1',
};
export const REPO_ROOT = join(
  __dirname,
  __dirname.endsWith(join('dist', 'bench')) ? '../..' : '..',
);

export function count(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

const PARTNERSHIPS = count('PARTNERSHIPS', 10_000);
const REQUESTS = count('REQUESTS', 100);
const WARMUP = count('WARMUP', 10);

const log = (line: string): void => console.log(`[bench:board] ${line}`);

/**
 * The read model as the workflows would have written it, in a few statements. Partnership i
 * (1-based) is in stage i mod 5 (agreed every fifth), paused every 13th, closed every 17th; its
 * partners are one of 200 Spanish and one of 200 Chinese organisations; one in three has a pending
 * gate request, one in seven an overdue assigned task.
 */
export async function seedReadModel(
  pool: Pool,
  partnerships: number,
  log: (line: string) => void,
): Promise<void> {
  const started = performance.now();
  await pool.query(`CREATE TEMP TABLE n AS SELECT g AS i FROM generate_series(1, $1) g`, [
    partnerships,
  ]);
  await pool.query(
    `INSERT INTO organisations (id, name, region, country, kind)
     SELECT md5('org-es-' || g)::uuid, 'Agencia ' || g, 'Valencian Community', 'ES', 'agency'
       FROM generate_series(1, 200) g
     UNION ALL
     SELECT md5('org-cn-' || g)::uuid, 'Institute ' || g, 'Sichuan', 'CN', 'institute'
       FROM generate_series(1, 200) g`,
  );
  await pool.query(
    `INSERT INTO contacts (id, organisation_id, name, email, language, time_zone, working_hours)
     SELECT md5('contact-' || o.id)::uuid, o.id, 'Contact of ' || o.name,
            'contact-' || o.id || '@example.org',
            CASE o.country WHEN 'ES' THEN 'es' ELSE 'zh' END,
            CASE o.country WHEN 'ES' THEN 'Europe/Madrid' ELSE 'Asia/Shanghai' END,
            '{"start":"09:00","end":"18:00","days":[1,2,3,4,5]}'
       FROM organisations o`,
  );
  const stages = `(ARRAY['introduction','area_exploration','knowledge_sharing','project_proposal','agreed'])[i % 5 + 1]`;
  await pool.query(
    `INSERT INTO partnerships (id, title, stage, status, coordinator_name, coordinator_email, areas,
                               workflow_id, last_sequence, template_key, template_version,
                               created_at, updated_at, last_activity_at, follow_up_policy)
     SELECT md5('p-' || i)::uuid, 'Partnership ' || i || ': clean energy and SMEs', ${stages},
            CASE WHEN i % 5 = 4 THEN 'agreed' WHEN i % 17 = 0 THEN 'closed'
                 WHEN i % 13 = 0 THEN 'paused' ELSE 'active' END,
            'Ana', 'ana@iurc.example', '["Clean energy"]', 'partnership-' || md5('p-' || i)::uuid,
            4, 'default', 1, now() - interval '400 days' + i * interval '30 minutes',
            now(), now() - i * interval '7 minutes', NULL
       FROM n`,
  );
  await pool.query(
    `INSERT INTO partnership_organisations (partnership_id, organisation_id)
     SELECT md5('p-' || i)::uuid, md5('org-es-' || (i % 200 + 1))::uuid FROM n
     UNION ALL
     SELECT md5('p-' || i)::uuid, md5('org-cn-' || ((i * 7) % 200 + 1))::uuid FROM n`,
  );
  // The template's tasks: those of earlier stages done, the current stage's first half done.
  await pool.query(
    `INSERT INTO partnership_tasks (partnership_id, id, stage, position, title, required, kind, status,
                                    assignee_contact_id, due_date, source, completed_at, updated_sequence)
     SELECT p.id, s.stage || '.' || s.key, s.stage, s.position, s.title, s.required, s.kind,
            CASE WHEN array_position(ARRAY['introduction','area_exploration','knowledge_sharing','project_proposal','agreed'], s.stage)
                      < array_position(ARRAY['introduction','area_exploration','knowledge_sharing','project_proposal','agreed'], p.stage)
                   OR (s.stage = p.stage AND s.position % 2 = 0) THEN 'done' ELSE 'open' END,
            CASE WHEN s.stage = p.stage AND s.position = 1 THEN md5('contact-' || md5('org-es-' || (n.i % 200 + 1))::uuid)::uuid END,
            CASE WHEN s.stage = p.stage AND s.position = 1 AND n.i % 7 = 0 THEN current_date - 3
                 WHEN s.stage = p.stage AND s.position = 1 THEN current_date + 30 END,
            'template', NULL, 1
       FROM n JOIN partnerships p ON p.id = md5('p-' || n.i)::uuid
      CROSS JOIN stage_template_tasks s
      WHERE s.template_key = 'default' AND s.version = 1`,
  );
  // A timeline: created, one stage.advanced per stage passed, a task completed.
  await pool.query(
    `INSERT INTO partnership_events (partnership_id, sequence, type, actor, occurred_at, payload)
     SELECT p.id, 1, 'partnership.created', '{"kind":"user","name":"Ana"}'::jsonb, p.created_at, '{}'::jsonb
       FROM partnerships p
     UNION ALL
     SELECT p.id, 1 + k, 'stage.advanced', '{"kind":"user","name":"Ana"}'::jsonb,
            p.created_at + k * interval '20 days', jsonb_build_object('k', k)
       FROM partnerships p
      CROSS JOIN generate_series(1, 4) k
      WHERE k < array_position(ARRAY['introduction','area_exploration','knowledge_sharing','project_proposal','agreed'], p.stage)
     UNION ALL
     SELECT p.id, 10, 'task.completed', '{"kind":"user","name":"Ana"}'::jsonb, p.last_activity_at, '{}'::jsonb
       FROM partnerships p`,
  );
  // A pending gate request for one in three, waiting for the Chinese partner; closed ones too.
  await pool.query(
    `INSERT INTO approval_requests (id, partnership_id, subject, status, requested_at, deadline, closed_at,
                                    requested_by, organisations, follow_ups, updated_sequence)
     SELECT md5('a-' || n.i || '-' || k)::uuid, p.id,
            jsonb_build_object('kind', 'gate', 'stage', p.stage, 'title', 'Leave ' || p.stage),
            CASE WHEN k = 1 THEN 'pending' ELSE 'rejected' END,
            now() - (10 - k) * interval '1 day', now() + interval '20 days',
            CASE WHEN k = 1 THEN NULL ELSE now() - interval '9 days' END,
            '{"name":"Ana"}',
            jsonb_build_array(
              jsonb_build_object('organisationId', po_es.organisation_id, 'rule', '{"kind":"any"}'::jsonb,
                'approvers', jsonb_build_array(jsonb_build_object('contactId', md5('contact-' || po_es.organisation_id)::uuid,
                  'delegatedFrom', NULL, 'delegated', false,
                  'decision', jsonb_build_object('outcome', 'approved', 'comment', NULL, 'at', now(),
                                                 'contactId', md5('contact-' || po_es.organisation_id)::uuid)))),
              jsonb_build_object('organisationId', po_cn.organisation_id, 'rule', '{"kind":"any"}'::jsonb,
                'approvers', jsonb_build_array(jsonb_build_object('contactId', md5('contact-' || po_cn.organisation_id)::uuid,
                  'delegatedFrom', NULL, 'delegated', false, 'decision', NULL)))),
            true, 2
       FROM n JOIN partnerships p ON p.id = md5('p-' || n.i)::uuid
       JOIN partnership_organisations po_es ON po_es.partnership_id = p.id
        AND po_es.organisation_id = md5('org-es-' || (n.i % 200 + 1))::uuid
       JOIN partnership_organisations po_cn ON po_cn.partnership_id = p.id
        AND po_cn.organisation_id = md5('org-cn-' || ((n.i * 7) % 200 + 1))::uuid
      CROSS JOIN generate_series(1, 2) k
      WHERE n.i % 3 = 0`,
  );
  await pool.query('ANALYZE');
  const [row] = (
    await pool.query<{ partnerships: number; tasks: number; events: number; approvals: number }>(
      `SELECT (SELECT count(*) FROM partnerships)::int AS partnerships,
              (SELECT count(*) FROM partnership_tasks)::int AS tasks,
              (SELECT count(*) FROM partnership_events)::int AS events,
              (SELECT count(*) FROM approval_requests)::int AS approvals`,
    )
  ).rows;
  log(
    `seeded ${row.partnerships} partnerships, ${row.tasks} tasks, ${row.events} events, ` +
      `${row.approvals} approval requests in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

interface Result {
  scenario: string;
  path: string;
  as: string;
  requests: number;
  total: number;
  items: number;
  p50: number;
  p95: number;
  max: number;
}

export function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

async function measure(
  url: string,
  token: string,
  scenario: string,
  path: string,
  as: string,
): Promise<Result> {
  const get = async (): Promise<{ ms: number; body: { total: number; items: unknown[] } }> => {
    const started = performance.now();
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { total: number; items: unknown[] };
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    return { ms, body };
  };
  for (let i = 0; i < WARMUP; i++) await get();
  const times: number[] = [];
  let last: { total: number; items: unknown[] } = { total: 0, items: [] };
  for (let i = 0; i < REQUESTS; i++) {
    const { ms, body } = await get();
    times.push(ms);
    last = body;
  }
  times.sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  return {
    scenario,
    path,
    as,
    requests: REQUESTS,
    total: last.total,
    items: last.items.length,
    p50: round(quantile(times, 0.5)),
    p95: round(quantile(times, 0.95)),
    max: round(times[times.length - 1]),
  };
}

export async function login(
  url: string,
  credentials: { email: string; password: string },
): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  const body = (await res.json()) as { accessToken?: string };
  if (res.status !== 200 || !body.accessToken) throw new Error(`login: ${res.status}`);
  return body.accessToken;
}

export interface BoardStack {
  /** The compiled API, started on the seeded scratch database. */
  apiUrl: string;
  /** A small pool on that database, for memberships and checks. */
  pool: Pool;
  /** The development admin's access token (ADMIN). */
  adminToken: string;
}

export interface BoardStackOptions {
  /** Names the scratch database (`entente_<name>_<pid>`). */
  name: string;
  partnerships: number;
  log: (line: string) => void;
  /** Added to the API's environment. */
  apiEnv?: Record<string, string>;
}

/**
 * Runs `fn` over a scratch database on DATABASE_URL's server (or the embedded PostgreSQL),
 * migrated and seeded with `partnerships` partnerships, and the compiled API started on it; stops
 * the API and drops the database afterwards, whatever `fn` did. Temporal is not needed: the board
 * reads only PostgreSQL.
 */
export async function withBoardStack<T>(
  options: BoardStackOptions,
  fn: (stack: BoardStack) => Promise<T>,
): Promise<T> {
  return withDatabase(async (serverUrl) => {
    const database = `entente_${options.name}_${process.pid}`;
    await createDatabaseIfMissing(adminUrlOf(serverUrl), database);
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    const databaseUrl = url.toString();
    const pool = new Pool({ connectionString: databaseUrl, max: 2 });
    let api: ReturnType<typeof spawnManaged> | undefined;
    try {
      const dataSource = createDataSource(databaseUrl);
      await dataSource.initialize();
      await runMigrationsLocked(dataSource);
      await dataSource.destroy();
      await seedReadModel(pool, options.partnerships, options.log);

      const port = await freePort();
      api = spawnManaged('api', process.execPath, [join(REPO_ROOT, 'dist/apps/api/src/main.js')], {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'development',
          LOG_LEVEL: 'warn',
          DATABASE_URL: databaseUrl,
          DATABASE_MIGRATE_ON_START: 'false',
          // Never contacted: the board reads only PostgreSQL (the connection is lazy).
          TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
          API_HOST: '127.0.0.1',
          API_PORT: String(port),
          ADMIN_EMAIL: ADMIN.email,
          ADMIN_PASSWORD: ADMIN.password,
          ...options.apiEnv,
        },
      });
      const apiUrl = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 60_000;
      for (;;) {
        const up = await fetch(`${apiUrl}/health`).then(
          () => true,
          () => false,
        );
        if (up) break;
        if (Date.now() > deadline || api.child.exitCode !== null) throw new Error('no API');
        await new Promise((r) => setTimeout(r, 200));
      }
      const adminToken = await login(apiUrl, ADMIN);
      return await fn({ apiUrl, pool, adminToken });
    } finally {
      await api?.stop(10_000);
      await pool.end();
      await dropDatabase(adminUrlOf(serverUrl), database);
    }
  });
}

/**
 * Creates the COORDINATOR account and makes it a coordinator member of one in `oneIn` of the
 * partnerships (1: all of them); returns the user's id.
 */
export async function createCoordinator(stack: BoardStack, oneIn: number): Promise<string> {
  const created = await fetch(`${stack.apiUrl}/api/v1/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...COORDINATOR, name: 'Bench coordinator', role: 'coordinator' }),
  });
  if (created.status !== 201) throw new Error(`creating the coordinator: ${created.status}`);
  const coordinatorId = ((await created.json()) as { id: string }).id;
  await stack.pool.query(
    `INSERT INTO partnership_members (partnership_id, user_id, role)
     SELECT id, $1, 'coordinator' FROM partnerships WHERE (hashtext(id::text) % $2) = 0`,
    [coordinatorId, oneIn],
  );
  // As autovacuum would after so many new rows: with the seed's statistics the planner takes
  // the coordinator for a member of a handful and picks a nested loop over all their rows.
  await stack.pool.query('ANALYZE partnership_members');
  return coordinatorId;
}

async function main(): Promise<void> {
  await withBoardStack({ name: 'bench_board', partnerships: PARTNERSHIPS, log }, async (stack) => {
    const { apiUrl, adminToken: admin } = stack;
    await createCoordinator(stack, 10);
    const coordinator = await login(apiUrl, COORDINATOR);

    const board = '/api/v1/partnerships';
    const scenarios: [string, string, string, string][] = [
      ['page 1', board, 'admin', admin],
      ['page 1, 100 cards', `${board}?pageSize=100`, 'admin', admin],
      ['page 50', `${board}?page=50`, 'admin', admin],
      ['stage filter', `${board}?stage=knowledge_sharing`, 'admin', admin],
      ['status filter', `${board}?status=paused`, 'admin', admin],
      ['search (a partner, ~0.5%)', `${board}?q=Institute%2017`, 'admin', admin],
      ['search (no match)', `${board}?q=nothing-like-this`, 'admin', admin],
      ['search + stage', `${board}?q=Agencia%201&stage=introduction`, 'admin', admin],
      ['page 1, a coordinator’s ~1,000', board, 'coordinator', coordinator],
      ['stage filter, coordinator', `${board}?stage=introduction`, 'coordinator', coordinator],
      // Not the board, but over the same read model: what waits on that coordinator.
      ['my work, the coordinator’s ~1,000', '/api/v1/me/work', 'coordinator', coordinator],
    ];
    const results: Result[] = [];
    for (const [scenario, path, as, token] of scenarios) {
      const result = await measure(apiUrl, token, scenario, path, as);
      results.push(result);
      log(
        `${scenario.padEnd(34)} p50 ${String(result.p50).padStart(6)} ms  p95 ${String(result.p95).padStart(6)} ms  ` +
          `max ${String(result.max).padStart(6)} ms  (${result.items} cards of ${result.total})`,
      );
    }
    mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(
      join(REPO_ROOT, 'bench', 'results', 'board.json'),
      JSON.stringify(
        { partnerships: PARTNERSHIPS, at: new Date().toISOString(), results },
        null,
        2,
      ),
    );
  });
}

// bench/board-browser.ts imports the seeding and the stack from here: run only when started.
if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
