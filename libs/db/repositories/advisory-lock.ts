import type { DataSource } from 'typeorm';

/**
 * Runs `fn` holding the session advisory lock named `key`, on a connection of its own for as long
 * as `fn` runs (PostgreSQL releases it with the connection if the process dies). It serialises
 * across every process of the product what no one transaction can hold: a check of the read
 * model, a workflow update and the projection that writes its result (two contacts given the same
 * address at once, say). Keep `fn` short: each waiting caller holds a connection of the pool.
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  key: string,
  fn: () => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
    try {
      return await fn();
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
    }
  } finally {
    await runner.release();
  }
}
