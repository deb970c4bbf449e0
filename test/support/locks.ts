import { Pool, PoolClient } from 'pg';
import { waitFor } from './stack';

/** A transaction that holds a table lock until `release()` rolls it back. */
export interface HeldLock {
  /** The backend process id of the holding connection (what blocked queries wait for). */
  pid: number;
  release(): Promise<void>;
}

/**
 * Locks `table` in SHARE mode (reads pass, INSERT/UPDATE/DELETE wait) in a transaction of its own,
 * so a test can stop a writer at a chosen statement and act while it waits.
 */
export async function holdTable(pool: Pool, table: string): Promise<HeldLock> {
  const client: PoolClient = await pool.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${client.escapeIdentifier(table)} IN SHARE MODE`);
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  let released = false;
  return {
    pid,
    async release() {
      if (released) return;
      released = true;
      try {
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
    },
  };
}

/**
 * Waits until a statement starting with `queryPrefix` (a LIKE pattern) waits for `lock`: known to
 * be blocked on it, in this database, rather than just running somewhere on the server (the
 * machine's PostgreSQL serves other test runs too). Resolves with the waiting backend's pid.
 */
export async function waitUntilBlocked(
  pool: Pool,
  lock: HeldLock,
  queryPrefix: string,
  what: string,
): Promise<number> {
  return waitFor(
    async () => {
      const { rows } = await pool.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND query LIKE $1 || '%'
            AND $2 = ANY(pg_blocking_pids(pid))`,
        [queryPrefix, lock.pid],
      );
      return rows.length === 1 ? rows[0].pid : undefined;
    },
    { what },
  );
}
