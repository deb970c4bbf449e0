/**
 * What a repository method runs its statements on: the DataSource, the EntityManager of the
 * caller's transaction (so several families' writes commit together), or a bare query function
 * wrapped as `{ query }`. Both TypeORM objects satisfy it as they are.
 */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** A bare query function, as the webhook outbox is handed one. */
export type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/** Rows of a SELECT (or of a statement with RETURNING), typed by the caller that wrote it. */
export async function rows<T>(db: SqlRunner, sql: string, params?: unknown[]): Promise<T[]> {
  return (await db.query(sql, params)) as T[];
}

/**
 * An ILIKE pattern matching `text` literally anywhere: LIKE's wildcards and its escape character
 * (backslash, the default) are escaped.
 */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One round trip to the database, for the health check. */
export async function ping(db: SqlRunner): Promise<void> {
  await db.query('SELECT 1');
}
