/**
 * `npm run bench`: an open-loop load generator against a RUNNING platform (`npm start`), from a
 * second process. Each scenario sends RATE requests per second for DURATION_S seconds on a fixed
 * schedule, whether or not earlier requests have answered, and measures each latency from the
 * request's scheduled send time, so a stall counts against every request it delays (no coordinated
 * omission).
 *
 *   a. create-http      POST /api/v1/partnerships
 *   b. complete-http    POST /api/v1/partnerships/:id/tasks/:taskId/complete (distinct tasks)
 *   c. complete-temporal  the same update straight through the Temporal client (baseline)
 *
 * p50(b) / p50(c) is the API's overhead on a coordinator update.
 * Results also go to bench/results/latest.json.
 *
 * Logs in as ADMIN_EMAIL / ADMIN_PASSWORD, or as the development admin of `npm start`.
 *
 * Env: API_URL (http://localhost:3000), TEMPORAL_ADDRESS (localhost:7233), TEMPORAL_NAMESPACE
 * (default), RATE (20), DURATION_S (15), WARMUP_PARTNERSHIPS (20), TIMEOUT_MS (30000),
 * SETTLE_S (5).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import {
  completeTaskUpdate,
  partnershipWorkflowId,
} from '@workflows/partnership/partnership.contract';
import { ApiSession } from '../scripts/lib/api-session';

const API_URL = (process.env.API_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const BASE = `${API_URL}/api/v1/partnerships`;
/** Logs in as ADMIN_EMAIL / ADMIN_PASSWORD, or as the dev admin of `npm start`. */
const session = new ApiSession(API_URL);
const TEMPORAL_ADDRESS = process.env.TEMPORAL_ADDRESS ?? 'localhost:7233';
const TEMPORAL_NAMESPACE = process.env.TEMPORAL_NAMESPACE ?? 'default';
const RATE = positive('RATE', 20);
const DURATION_S = positive('DURATION_S', 15);
const WARMUP_PARTNERSHIPS = Math.round(positive('WARMUP_PARTNERSHIPS', 20));
const TIMEOUT_MS = positive('TIMEOUT_MS', 30_000);
/** Pause before each scenario, so one scenario's backlog does not skew the next. */
const SETTLE_S = Number(process.env.SETTLE_S ?? 5);
/** Parallel requests while preparing tasks (not measured). */
const PREPARE_CONCURRENCY = 8;
/** Requests per scenario: bounded, so every scenario stops by itself. */
const COUNT = Math.max(1, Math.round(RATE * DURATION_S));
// Built to dist/bench/run.js; results go to <repo>/bench/results either way.
const REPO_ROOT = join(__dirname, __dirname.endsWith(join('dist', 'bench')) ? '../..' : '..');
const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const log = (line: string): void => console.log(`[bench] ${line}`);

// ---------------------------------------------------------------------------------------------
// HTTP

interface TaskView {
  id: string;
  title: string;
  status: 'open' | 'done';
}
interface PartnershipView {
  id: string;
  stage: string;
  recorded: boolean;
  coordinator: { name: string; email: string };
  tasksByStage: Record<string, TaskView[]>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

async function http<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: {
      authorization: await session.authorization(),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  if (!res.ok) {
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { code?: string }).code;
    } catch {
      code = undefined;
    }
    throw new HttpError(res.status, code, `HTTP ${res.status}${code ? ` ${code}` : ''}`);
  }
  return JSON.parse(text) as T;
}

function createBody(n: string): Record<string, unknown> {
  return {
    title: `Bench partnership ${n}`,
    coordinator: { name: 'Bench Coordinator', email: `bench+${n}@iurc.example` },
    areas: ['Innovative solutions and entrepreneurship in clean energy'],
    organisations: [
      {
        name: `Bench agency ${n}`,
        region: 'Valencian Community',
        country: 'ES',
        kind: 'agency',
        contacts: [
          {
            name: 'Raquel Aguado Muñoz',
            email: `raquel+${n}@ivace.example`,
            language: 'es',
            timeZone: 'Europe/Madrid',
          },
        ],
      },
      {
        name: `Bench institute ${n}`,
        region: 'Sichuan',
        country: 'CN',
        kind: 'institute',
        contacts: [
          {
            name: '李伟',
            email: `li.wei+${n}@eiri.example`,
            language: 'zh',
            timeZone: 'Asia/Shanghai',
          },
        ],
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Open-loop driver and statistics

interface Sample {
  /** Scheduled send time, ms since the scenario started. */
  scheduledAtMs: number;
  /** Latency from scheduled send time, ms. */
  latencyMs: number;
  /** Time the answer arrived, ms since the scenario started. */
  doneAtMs: number;
  error?: string;
}

interface Summary {
  scenario: string;
  count: number;
  ok: number;
  errors: number;
  errorKinds: Record<string, number>;
  targetRate: number;
  achievedRate: number;
  maxSendLagMs: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** p50 and max per second of schedule, to show when a scenario slowed down. */
  bySecond: { second: number; count: number; p50: number; max: number }[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function errorKind(err: unknown): string {
  if (err instanceof HttpError) return err.code ? `${err.status} ${err.code}` : `${err.status}`;
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return `${err.name}${cause?.code ? ` ${cause.code}` : ''}: ${err.message}`.slice(0, 160);
  }
  return String(err).slice(0, 160);
}

/**
 * Fires `op(i)` for i in [0, COUNT) at t0 + i / RATE without waiting for earlier answers, and
 * times each from its scheduled instant.
 */
async function openLoop(scenario: string, op: (i: number) => Promise<unknown>): Promise<Summary> {
  const intervalMs = 1000 / RATE;
  const samples: Sample[] = [];
  const inflight: Promise<void>[] = [];
  let maxSendLagMs = 0;
  const t0 = performance.now() + 50;
  for (let i = 0; i < COUNT; i++) {
    const scheduled = t0 + i * intervalMs;
    const wait = scheduled - performance.now();
    if (wait > 1) await sleep(wait);
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - scheduled);
    inflight.push(
      op(i).then(
        () => {
          const now = performance.now();
          samples.push({
            scheduledAtMs: scheduled - t0,
            latencyMs: now - scheduled,
            doneAtMs: now - t0,
          });
        },
        (err: unknown) => {
          const now = performance.now();
          samples.push({
            scheduledAtMs: scheduled - t0,
            latencyMs: now - scheduled,
            doneAtMs: now - t0,
            error: errorKind(err),
          });
        },
      ),
    );
  }
  await Promise.all(inflight);
  return summarise(scenario, samples, maxSendLagMs);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

function summarise(scenario: string, samples: Sample[], maxSendLagMs: number): Summary {
  const ok = samples.filter((s) => !s.error);
  const latencies = ok.map((s) => s.latencyMs).sort((a, b) => a - b);
  const errorKinds: Record<string, number> = {};
  for (const s of samples) if (s.error) errorKinds[s.error] = (errorKinds[s.error] ?? 0) + 1;
  const spanMs = Math.max(...samples.map((s) => s.doneAtMs), 1);
  const round = (n: number): number => Math.round(n * 10) / 10;
  const seconds = new Map<number, number[]>();
  for (const s of ok) {
    const second = Math.floor(s.scheduledAtMs / 1000);
    seconds.set(second, [...(seconds.get(second) ?? []), s.latencyMs]);
  }
  const bySecond = [...seconds.entries()]
    .sort(([a], [b]) => a - b)
    .map(([second, values]) => {
      const sorted = values.sort((a, b) => a - b);
      return {
        second,
        count: sorted.length,
        p50: round(percentile(sorted, 50)),
        max: round(sorted[sorted.length - 1]),
      };
    });
  return {
    scenario,
    count: samples.length,
    ok: ok.length,
    errors: samples.length - ok.length,
    errorKinds,
    targetRate: RATE,
    achievedRate: round((ok.length / spanMs) * 1000),
    maxSendLagMs: round(maxSendLagMs),
    p50: round(percentile(latencies, 50)),
    p90: round(percentile(latencies, 90)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.length ? latencies[latencies.length - 1] : NaN),
    mean: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)),
    bySecond,
  };
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return results;
}

// ---------------------------------------------------------------------------------------------
// Warm-up: partnerships with open custom tasks, one per measured request

interface Target {
  partnershipId: string;
  taskId: string;
  coordinator: { name: string; email: string };
}

async function prepare(
  runId: string,
): Promise<{ http: Target[]; temporal: Target[]; partnerships: number }> {
  log(`warm-up: creating ${WARMUP_PARTNERSHIPS} partnerships`);
  const partnerships = await pool(
    Array.from({ length: WARMUP_PARTNERSHIPS }, (_, i) => i),
    PREPARE_CONCURRENCY,
    async (i) => {
      const p = await http<PartnershipView>('POST', '', createBody(`${runId}-w${i}`));
      if (!p.recorded) throw new Error(`warm-up partnership ${p.id} was not recorded in time`);
      return p;
    },
  );
  // Tasks spread round-robin over the partnerships, so no workflow sees a burst of updates.
  const perPartnership = Math.ceil((2 * COUNT) / WARMUP_PARTNERSHIPS);
  log(
    `warm-up: adding ${perPartnership * WARMUP_PARTNERSHIPS} tasks (${perPartnership} per partnership)`,
  );
  const byPartnership = await pool(partnerships, PREPARE_CONCURRENCY, async (p) => {
    const added: Target[] = [];
    for (let k = 0; k < perPartnership; k++) {
      const title = `Bench task ${runId} #${k}`;
      const after = await http<PartnershipView>('POST', `/${p.id}/tasks`, {
        title,
        required: false,
      });
      const task = after.tasksByStage[after.stage]?.find((t) => t.title === title);
      if (!task) throw new Error(`added task “${title}” not found on ${p.id}`);
      added.push({ partnershipId: p.id, taskId: task.id, coordinator: p.coordinator });
    }
    return added;
  });
  const all: Target[] = [];
  for (let k = 0; k < perPartnership; k++)
    for (const tasks of byPartnership) if (tasks[k]) all.push(tasks[k]);
  // Alternate so both scenarios get tasks from the same partnerships at the same depth.
  return {
    http: all.filter((_, i) => i % 2 === 0).slice(0, COUNT),
    temporal: all.filter((_, i) => i % 2 === 1).slice(0, COUNT),
    partnerships: partnerships.length,
  };
}

// ---------------------------------------------------------------------------------------------

function table(rows: Summary[]): string {
  const header = ['scenario', 'count', 'rate/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors'];
  const body = rows.map((r) => [
    r.scenario,
    String(r.count),
    r.achievedRate.toFixed(1),
    r.p50.toFixed(1),
    r.p90.toFixed(1),
    r.p99.toFixed(1),
    r.max.toFixed(1),
    String(r.errors),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  try {
    const health = await fetch(`${API_URL}/health`, { signal: AbortSignal.timeout(5_000) });
    if (!health.ok) log(`warning: ${API_URL}/health answered ${health.status}`);
  } catch (err) {
    throw new Error(
      `The Entente API is not reachable at ${API_URL} (${errorKind(err)}): start it with \`npm start\` or set API_URL`,
    );
  }
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: TEMPORAL_ADDRESS, connectTimeout: 5_000 });
  } catch (err) {
    throw new Error(`Temporal is not reachable at ${TEMPORAL_ADDRESS} (${errorKind(err)})`);
  }
  const client = new Client({ connection, namespace: TEMPORAL_NAMESPACE });
  try {
    const runId = `${Date.now().toString(36)}`;
    log(
      `API ${API_URL}, Temporal ${TEMPORAL_ADDRESS}/${TEMPORAL_NAMESPACE}, ${RATE}/s × ${DURATION_S}s = ${COUNT} requests per scenario`,
    );
    const targets = await prepare(runId);

    const results: Summary[] = [];
    const settle = async (): Promise<void> => {
      if (SETTLE_S > 0) await sleep(SETTLE_S * 1000);
    };
    await settle();
    log('a. create-http');
    results.push(
      await openLoop('a create-http', (i) => http('POST', '', createBody(`${runId}-a${i}`))),
    );
    await settle();
    log('b. complete-http');
    results.push(
      await openLoop('b complete-http', (i) => {
        const t = targets.http[i];
        return http('POST', `/${t.partnershipId}/tasks/${encodeURIComponent(t.taskId)}/complete`, {
          comment: 'bench',
        });
      }),
    );
    await settle();
    log('c. complete-temporal');
    results.push(
      await openLoop('c complete-temporal', (i) => {
        const t = targets.temporal[i];
        const handle = client.workflow.getHandle(partnershipWorkflowId(t.partnershipId));
        return client.withDeadline(Date.now() + TIMEOUT_MS, () =>
          handle.executeUpdate(completeTaskUpdate, {
            args: [
              {
                actor: {
                  kind: 'coordinator',
                  name: t.coordinator.name,
                  email: t.coordinator.email,
                },
                taskId: t.taskId,
                comment: 'bench',
              },
            ],
          }),
        );
      }),
    );

    const [, b, c] = results;
    const overhead = c.p50 > 0 ? b.p50 / c.p50 : NaN;
    console.log('');
    console.log(table(results));
    console.log('');
    console.log(
      `API overhead on a coordinator update: p50(b)/p50(c) = ${b.p50.toFixed(1)} / ${c.p50.toFixed(1)} = ${overhead.toFixed(2)}x`,
    );
    for (const r of results) {
      for (const [kind, n] of Object.entries(r.errorKinds)) log(`${r.scenario}: ${n} × ${kind}`);
      if (r.maxSendLagMs > 50)
        log(`${r.scenario}: the generator fell behind its schedule by up to ${r.maxSendLagMs} ms`);
    }

    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, 'latest.json');
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          apiUrl: API_URL,
          temporalAddress: TEMPORAL_ADDRESS,
          rate: RATE,
          durationS: DURATION_S,
          countPerScenario: COUNT,
          warmupPartnerships: targets.partnerships,
          settleS: SETTLE_S,
          latency: 'ms from scheduled send time (open loop)',
          scenarios: results,
          apiOverheadP50Ratio: Math.round(overhead * 100) / 100,
        },
        null,
        2,
      )}\n`,
    );
    log(`results written to ${file}`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(`[bench] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
