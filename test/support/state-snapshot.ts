import { Client } from '@temporalio/client';
import { Pool } from 'pg';
import { calendarEventWorkflowId } from '@workflows/calendar-events/calendar-event.contract';
import { partnershipWorkflowId } from '@workflows/partnership/partnership.contract';
import { waitFor } from './stack';

/**
 * What a refused request must leave unchanged: the content of every table of the test database
 * (a hash of each table's rows, so an UPDATE shows as well as an INSERT or a DELETE), and the
 * history length of workflow executions.
 */
export interface StateSnapshot {
  /** `schema.table` → `<n> rows, md5 <hash of the rows' text, in order>`. */
  rows: Record<string, string>;
  /** `workflowId/runId` → history length. */
  histories: Record<string, number>;
}

export interface SnapshotOptions {
  /**
   * Columns left out, per `schema.table` (e.g. `public.api_tokens: ['last_used_at']`): what
   * authenticating a request writes whatever the request then asks for.
   */
  ignoreColumns?: Record<string, string[]>;
  /** Tables left out altogether (`schema.table`). */
  ignoreTables?: string[];
  /** Only these workflows' executions (all runs); default: every execution in the namespace. */
  workflowIds?: string[];
  /**
   * Partnerships whose rows are left out (in `partnerships` and every table with a
   * `partnership_id`): other suites' partnerships, whose workflows go on writing (timers,
   * retries) while this test runs.
   */
  excludePartnerships?: string[];
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Row count and a content hash of every base table outside the system schemas. */
export async function tableContents(
  pool: Pool,
  ignoreColumns: Record<string, string[]> = {},
  ignoreTables: string[] = [],
  excludePartnerships: string[] = [],
): Promise<Record<string, string>> {
  const { rows: columns } = await pool.query<{ table: string; columns: string[] }>(
    `SELECT table_schema || '.' || table_name AS table,
            array_agg(column_name::text ORDER BY ordinal_position) AS columns
       FROM information_schema.columns
      WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
        AND (table_schema, table_name) IN (SELECT table_schema, table_name
              FROM information_schema.tables WHERE table_type = 'BASE TABLE')
      GROUP BY table_schema, table_name ORDER BY 1`,
  );
  const contents: Record<string, string> = {};
  for (const { table, columns: all } of columns) {
    if (ignoreTables.includes(table)) continue;
    const kept = all.filter((c) => !(ignoreColumns[table] ?? []).includes(c));
    const [schema, name] = table.split('.');
    const row = kept.length > 0 ? `ROW(${kept.map(quote).join(', ')})::text` : `''`;
    const byPartnership =
      table === 'public.partnerships'
        ? 'id'
        : all.includes('partnership_id')
          ? 'partnership_id'
          : '';
    const where = byPartnership
      ? `WHERE ${quote(byPartnership)} IS NULL OR NOT (${quote(byPartnership)}::text = ANY($1::text[]))`
      : '';
    const { rows } = await pool.query<{ n: number; hash: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) AS hash
         FROM (SELECT ${row} AS r FROM ${quote(schema)}.${quote(name)} ${where}) t`,
      byPartnership ? [excludePartnerships] : [],
    );
    contents[table] = `${rows[0].n} rows, md5 ${rows[0].hash}`;
  }
  return contents;
}

/** The executions to look at: every one visibility lists, or every run of the given workflows. */
async function executions(
  client: Client,
  workflowIds?: string[],
): Promise<{ workflowId: string; runId: string }[]> {
  const runs: { workflowId: string; runId: string }[] = [];
  const query = workflowIds
    ? workflowIds.map((id) => `WorkflowId = '${id}'`).join(' OR ')
    : undefined;
  if (workflowIds && workflowIds.length === 0) return runs;
  for await (const wf of client.workflow.list(query ? { query } : {})) {
    runs.push({ workflowId: wf.workflowId, runId: wf.runId });
  }
  // Visibility can lag behind a start: the latest run of each named workflow is read directly.
  for (const workflowId of workflowIds ?? []) {
    const described = await client.workflow.getHandle(workflowId).describe();
    if (!runs.some((r) => r.runId === described.runId))
      runs.push({ workflowId, runId: described.runId });
  }
  return runs;
}

/**
 * `workflowId/runId` → historyLength, each read with describe(): visibility's own history length
 * lags, describe's does not.
 */
export async function historyLengths(
  client: Client,
  workflowIds?: string[],
): Promise<Record<string, number>> {
  const runs = await executions(client, workflowIds);
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

export async function snapshot(
  pool: Pool,
  client: Client,
  options: SnapshotOptions = {},
): Promise<StateSnapshot> {
  const [rows, histories] = await Promise.all([
    tableContents(pool, options.ignoreColumns, options.ignoreTables, options.excludePartnerships),
    historyLengths(client, options.workflowIds),
  ]);
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
      const [x, y] = [(a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]];
      if (x !== y)
        diffs.push(`${kind} ${key}: ${String(x ?? 'absent')} → ${String(y ?? 'absent')}`);
    }
  }
  return diffs.sort();
}

/**
 * Waits until the given workflows are idle (no workflow task and no activity pending, in their
 * latest run) and the e-mail outbox of the given partnerships has nothing in flight: every late
 * effect of what came before (projections, e-mails, webhook deliveries started by an activity)
 * is written by then. Not a sleep: it returns as soon as that holds.
 */
export async function waitUntilSettled(
  pool: Pool,
  client: Client,
  {
    workflowIds,
    partnershipIds = [],
    timeoutMs = 60_000,
  }: {
    workflowIds: string[];
    partnershipIds?: string[];
    timeoutMs?: number;
  },
): Promise<void> {
  await waitFor(
    async () => {
      for (const id of workflowIds) {
        const { status, raw } = await client.workflow.getHandle(id).describe();
        if (status.name !== 'RUNNING') continue;
        if ((raw.pendingActivities ?? []).length > 0 || raw.pendingWorkflowTask) return false;
      }
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notifications
          WHERE partnership_id = ANY($1) AND status = 'sending'`,
        [partnershipIds],
      );
      return rows[0].n === 0;
    },
    { timeoutMs, what: `the workflows to be idle (${workflowIds.join(', ')})` },
  );
}

/**
 * Partnerships quiet: their workflows and their events' workflows idle (no activity, no workflow
 * task, no e-mail being sent), seen twice a moment apart with every history the same length. An
 * event's workflow tells its partnership of a change after it has sent its e-mails, and a
 * partnership's workflow may still be finishing what its creation began, so one idle look is not
 * enough before a snapshot that a refused request must leave unchanged.
 */
export async function waitUntilQuiet(
  pool: Pool,
  client: Client,
  partnershipIds: string[],
  { intervalMs = 300 }: { intervalMs?: number } = {},
): Promise<void> {
  const { rows } = await pool.query<{ id: string }>(
    'SELECT id FROM calendar_events WHERE partnership_id = ANY($1)',
    [partnershipIds],
  );
  const workflowIds = [
    ...rows.map((r) => calendarEventWorkflowId(r.id)),
    ...partnershipIds.map(partnershipWorkflowId),
  ];
  const lengths = async (): Promise<string> =>
    (
      await Promise.all(
        workflowIds.map(
          async (id) => (await client.workflow.getHandle(id).describe()).historyLength,
        ),
      )
    ).join(',');
  for (let last = ''; ;) {
    await waitUntilSettled(pool, client, { workflowIds, partnershipIds });
    const now = await lengths();
    if (now === last) return;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** How many updates named `name` a workflow has accepted, over all its history (this run). */
export async function acceptedUpdates(
  client: Client,
  workflowId: string,
  name: string,
): Promise<number> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  return events.filter(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === name,
  ).length;
}
