import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';

/** How often a caller waiting for the lock tries again. */
const RETRY_MS = 25;

/** The lock was still held by another caller at the deadline. */
export class AdvisoryLockBusyError extends Error {
  constructor(readonly key: string) {
    super(`advisory lock ${key} is held by another request`);
  }
}

/**
 * Runs `fn` holding the session advisory lock named `key` (PostgreSQL releases it with the
 * connection if the process dies). It serialises across every process of the product what no one
 * transaction can hold: a check of the read model, a workflow update and the projection that
 * writes its result (two contacts given the same address at once, say).
 *
 * A caller waiting for the lock holds no connection: it tries (`pg_try_advisory_lock`) every
 * 25 ms until `waitMs` has passed, then gets `AdvisoryLockBusyError`, so waiters never take the
 * pool's connections from the holder. The holder keeps one connection for as long as `fn` runs;
 * if the unlock fails, that connection is closed rather than returned with the lock on it.
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  key: string,
  waitMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    let locked = false;
    try {
      const [row] = (await runner.query(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
        [key],
      )) as { locked: boolean }[];
      locked = row.locked;
    } catch (err) {
      await runner.release();
      throw err;
    }
    if (!locked) {
      await runner.release();
      if (Date.now() >= deadline) throw new AdvisoryLockBusyError(key);
      await sleep(RETRY_MS);
      continue;
    }
    try {
      return await fn();
    } finally {
      try {
        await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
        await runner.release();
      } catch {
        // Never back to the pool with the lock held: closing the connection releases it.
        await closeConnection(runner);
      }
    }
  }
}

/** Gives the runner's connection back as broken: the pool closes it (and makes a new one). */
async function closeConnection(runner: { release(): Promise<void> }): Promise<void> {
  const postgres = runner as unknown as {
    releasePostgresConnection?: (err: Error) => Promise<void>;
  };
  if (postgres.releasePostgresConnection) {
    await postgres.releasePostgresConnection(new Error('advisory lock not released'));
  } else {
    await runner.release().catch(() => undefined);
  }
}
