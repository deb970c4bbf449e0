import { join } from 'node:path';
import { startEmbeddedPostgres } from './postgres';

export const DATA_DIR = join(__dirname, '..', '..', '..', '.data');
export const EMBEDDED_PG_PORT = 5433;

/**
 * Runs `fn` with DATABASE_URL, or with the embedded PostgreSQL in .data/postgres (started for the
 * call and stopped after it, unless it was already running for `npm start`).
 */
export async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return fn(process.env.DATABASE_URL);
  const pg = await startEmbeddedPostgres({
    dataDir: join(DATA_DIR, 'postgres'),
    port: EMBEDDED_PG_PORT,
    database: 'entente',
    persistent: true,
    log: console.log,
  });
  try {
    return await fn(pg.url);
  } finally {
    await pg.stop();
  }
}
