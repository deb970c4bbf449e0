import { DataSource } from 'typeorm';

/** Any number for pg_advisory_lock, fixed so that every process of this product shares it. */
const MIGRATION_LOCK = 724_113_901;

/**
 * Runs pending migrations under an advisory lock, so two processes starting at once (two API
 * replicas, `npm start` and a test) never run the same migration twice.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
