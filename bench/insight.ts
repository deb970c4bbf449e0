/**
 * `npm run bench:insight`: insight (GET /api/v1/insight and its CSV) over 10,000 partnerships.
 * The board benchmark's scratch database and API (bench/board.ts), with timelines made realistic
 * for insight by SQL: every stage change names its stage, each approval request has its
 * `approval.requested` and the partners' `approval.decided` (and its close), the current stage's
 * first task its `task.assigned`, paused and closed partnerships their event. Measures, one
 * request at a time after a warm-up, each scenario's p50, p95 and max.
 *
 * Env: PARTNERSHIPS (10000), REQUESTS (20 per scenario), WARMUP (3), DATABASE_URL.
 * Results also go to bench/results/insight.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import {
  COORDINATOR,
  count,
  createCoordinator,
  login,
  quantile,
  REPO_ROOT,
  withBoardStack,
} from './board';

const PARTNERSHIPS = count('PARTNERSHIPS', 10_000);
const REQUESTS = count('REQUESTS', 20);
const WARMUP = count('WARMUP', 3);

const log = (line: string): void => console.log(`[bench:insight] ${line}`);

const STAGES = `ARRAY['introduction','area_exploration','knowledge_sharing','project_proposal','agreed']`;

/** The insight events on top of the board's seed (sequences above the board's, so no clash). */
export async function seedTimelines(pool: Pool): Promise<void> {
  const started = performance.now();
  await pool.query(
    `UPDATE partnership_events e
        SET payload = jsonb_build_object('from', (${STAGES})[(e.payload->>'k')::int],
                                         'to', (${STAGES})[(e.payload->>'k')::int + 1], 'comment', NULL)
      WHERE e.type = 'stage.advanced'`,
  );
  // Each request: asked; the Spanish partner approves after 1–3 days; a closed one is rejected
  // by the Chinese partner 2–6 days after it was asked.
  await pool.query(
    `INSERT INTO partnership_events (partnership_id, sequence, type, actor, occurred_at, payload)
     SELECT r.partnership_id, 20 + 10 * x.k + ev.n, ev.type, '{"kind":"user","name":"Ana"}'::jsonb,
            r.requested_at + ev.after, ev.payload
       FROM (SELECT r.*, row_number() OVER (PARTITION BY r.partnership_id ORDER BY r.requested_at) AS k
               FROM approval_requests r) r
      CROSS JOIN LATERAL (SELECT r.k) x
      CROSS JOIN LATERAL (
        SELECT 0 AS n, 'approval.requested' AS type, interval '0' AS after,
               jsonb_build_object('approvalId', r.id, 'subject', r.subject, 'deadline', r.deadline) AS payload
        UNION ALL
        SELECT 1, 'approval.decided', interval '1 day' + (hashtext(r.id::text) & 127) * interval '30 minutes',
               jsonb_build_object('approvalId', r.id, 'outcome', 'approved', 'comment', NULL,
                                  'contactId', r.organisations->0->'approvers'->0->>'contactId')
        UNION ALL
        SELECT 2, 'approval.decided', interval '2 days' + (hashtext(r.id::text) & 255) * interval '25 minutes',
               jsonb_build_object('approvalId', r.id, 'outcome', 'rejected', 'comment', 'Not yet',
                                  'contactId', r.organisations->1->'approvers'->0->>'contactId')
          WHERE r.status = 'rejected'
        UNION ALL
        SELECT 3, 'approval.rejected', interval '2 days' + (hashtext(r.id::text) & 255) * interval '25 minutes',
               jsonb_build_object('approvalId', r.id, 'subject', r.subject)
          WHERE r.status = 'rejected') ev`,
  );
  await pool.query(
    `INSERT INTO partnership_events (partnership_id, sequence, type, actor, occurred_at, payload)
     SELECT t.partnership_id, 12, 'task.assigned', '{"kind":"user","name":"Ana"}'::jsonb,
            p.created_at + interval '3 days', jsonb_build_object('taskId', t.id, 'assigneeContactId', t.assignee_contact_id)
       FROM partnership_tasks t JOIN partnerships p ON p.id = t.partnership_id
      WHERE t.assignee_contact_id IS NOT NULL
     UNION ALL
     SELECT p.id, 15, CASE p.status WHEN 'paused' THEN 'partnership.paused' ELSE 'partnership.closed' END,
            '{"kind":"user","name":"Ana"}'::jsonb, p.last_activity_at,
            jsonb_build_object('stage', p.stage, 'comment', NULL)
       FROM partnerships p WHERE p.status IN ('paused', 'closed')`,
  );
  // As the projection keeps it: the sequence of each partnership's last event.
  await pool.query(
    `UPDATE partnerships p
        SET last_sequence = (SELECT max(e.sequence) FROM partnership_events e WHERE e.partnership_id = p.id)`,
  );
  await pool.query('ANALYZE partnership_events');
  const [row] = (
    await pool.query<{ events: number }>(`SELECT count(*)::int AS events FROM partnership_events`)
  ).rows;
  log(
    `timelines: ${row.events} events in all after ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

interface Result {
  scenario: string;
  path: string;
  as: string;
  requests: number;
  total: number | null;
  bytes: number;
  p50: number;
  p95: number;
  max: number;
}

async function measure(
  url: string,
  token: string,
  scenario: string,
  path: string,
  as: string,
  /** Run before each request, untimed (what changes between two reads). */
  before: () => Promise<unknown> = async () => undefined,
): Promise<Result> {
  const get = async (): Promise<{ ms: number; text: string }> => {
    const started = performance.now();
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`);
    return { ms, text };
  };
  for (let i = 0; i < WARMUP; i++) {
    await before();
    await get();
  }
  const times: number[] = [];
  let last = '';
  for (let i = 0; i < REQUESTS; i++) {
    await before();
    const { ms, text } = await get();
    times.push(ms);
    last = text;
  }
  times.sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms);
  const total = path.includes('.csv')
    ? last.split('\r\n').length - 2
    : ((JSON.parse(last) as { total?: number }).total ?? null);
  return {
    scenario,
    path,
    as,
    requests: REQUESTS,
    total,
    bytes: Buffer.byteLength(last),
    p50: round(quantile(times, 0.5)),
    p95: round(quantile(times, 0.95)),
    max: round(times[times.length - 1]),
  };
}

async function main(): Promise<void> {
  await withBoardStack(
    { name: 'bench_insight', partnerships: PARTNERSHIPS, log },
    async (stack) => {
      await seedTimelines(stack.pool);
      const { apiUrl, adminToken: admin } = stack;
      await createCoordinator(stack, 10);
      const coordinator = await login(apiUrl, COORDINATOR);
      const [one] = (
        await stack.pool.query<{ id: string }>(`SELECT id FROM partnerships ORDER BY id LIMIT 1`)
      ).rows;

      const { pool } = stack;
      // Between two reads some timelines move: their folds are folded again.
      const moved = (n: number) => () =>
        pool.query(
          `UPDATE partnerships SET last_sequence = last_sequence + 1
            WHERE id IN (SELECT id FROM partnerships ORDER BY random() LIMIT $1)`,
          [n],
        );
      const scenarios: [string, string, string, string, (() => Promise<unknown>)?][] = [
        ['all 10,000, admin', '/api/v1/insight', 'admin', admin],
        ['all, 1% moved since', '/api/v1/insight', 'admin', admin, moved(PARTNERSHIPS / 100)],
        [
          'all, no fold kept',
          '/api/v1/insight',
          'admin',
          admin,
          () =>
            pool.query(
              'TRUNCATE partnership_insight_folds, partnership_insight_stays, partnership_insight_turnarounds, partnership_insight_sides',
            ),
        ],
        ['stage filter', '/api/v1/insight?stage=knowledge_sharing', 'admin', admin],
        ['a coordinator’s ~1,000', '/api/v1/insight', 'coordinator', coordinator],
        ['one partnership', `/api/v1/partnerships/${one.id}/insight`, 'admin', admin],
        ['CSV of all 10,000', '/api/v1/insight/export.csv', 'admin', admin],
      ];
      const results: Result[] = [];
      for (const [scenario, path, as, token, before] of scenarios) {
        const result = await measure(apiUrl, token, scenario, path, as, before);
        results.push(result);
        log(
          `${scenario.padEnd(26)} p50 ${String(result.p50).padStart(6)} ms  p95 ${String(result.p95).padStart(6)} ms  ` +
            `max ${String(result.max).padStart(6)} ms  (${result.total ?? '-'} partnerships, ${result.bytes} bytes)`,
        );
      }
      mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
      writeFileSync(
        join(REPO_ROOT, 'bench', 'results', 'insight.json'),
        JSON.stringify(
          { partnerships: PARTNERSHIPS, at: new Date().toISOString(), results },
          null,
          2,
        ),
      );
    },
  );
}

if (require.main === module)
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
