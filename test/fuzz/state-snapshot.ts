import { Client } from '@temporalio/client';
import { Pool } from 'pg';

/**
 * What a rejected request must leave unchanged: the exact row count of every table of the test
 * database, and the history length of every workflow execution (each run) in the namespace.
 */
export interface StateSnapshot {
  rows: Record<string, number>;
  histories: Record<string, number>;
}

/** count(*) of every base table outside the system schemas (exact, unlike pg_stat n_live_tup). */
export async function rowCounts(pool: Pool): Promise<Record<string, number>> {
  const tables = await pool.query<{ table_schema: string; table_name: string }>(
    `SELECT table_schema, table_name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
      ORDER BY table_schema, table_name`,
  );
  const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
  const counts: Record<string, number> = {};
  for (const { table_schema, table_name } of tables.rows) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${quote(table_schema)}.${quote(table_name)}`,
    );
    counts[`${table_schema}.${table_name}`] = rows[0].n;
  }
  return counts;
}

/**
 * `workflowId/runId` → historyLength for every execution Temporal's visibility lists (open or
 * closed), each read with describe(): visibility's own history length lags, describe's does not.
 */
export async function historyLengths(client: Client): Promise<Record<string, number>> {
  const runs: { workflowId: string; runId: string }[] = [];
  for await (const wf of client.workflow.list()) {
    runs.push({ workflowId: wf.workflowId, runId: wf.runId });
  }
  const lengths: Record<string, number> = {};
  for (let i = 0; i < runs.length; i += 16) {
    await Promise.all(
      runs.slice(i, i + 16).map(async ({ workflowId, runId }) => {
        const described = await client.workflow.getHandle(workflowId, runId).describe();
        lengths[`${workflowId}/${runId}`] = described.historyLength;
      }),
    );
  }
  return lengths;
}

export async function snapshot(pool: Pool, client: Client): Promise<StateSnapshot> {
  const [rows, histories] = await Promise.all([rowCounts(pool), historyLengths(client)]);
  return { rows, histories };
}

/** Human-readable differences between two snapshots; empty when they are equal. */
export function diffSnapshots(before: StateSnapshot, after: StateSnapshot): string[] {
  const diffs: string[] = [];
  for (const [kind, a, b] of [
    ['rows of', before.rows, after.rows],
    ['history length of', before.histories, after.histories],
  ] as const) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (a[key] !== b[key])
        diffs.push(`${kind} ${key}: ${a[key] ?? 'absent'} → ${b[key] ?? 'absent'}`);
    }
  }
  return diffs.sort();
}

/**
 * Waits until two snapshots a second apart are equal (e-mails sent, projections written), and
 * returns the last one. Throws if the state is still moving after `timeoutMs`.
 */
export async function settledSnapshot(
  pool: Pool,
  client: Client,
  timeoutMs = 30_000,
): Promise<StateSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let previous = await snapshot(pool, client);
  for (;;) {
    await new Promise((r) => setTimeout(r, 1_000));
    const current = await snapshot(pool, client);
    const diffs = diffSnapshots(previous, current);
    if (diffs.length === 0) return current;
    if (Date.now() > deadline) {
      throw new Error(`the platform did not settle within ${timeoutMs} ms:\n${diffs.join('\n')}`);
    }
    previous = current;
  }
}
