import type { AuthUser } from '../../../../libs/domain';

type Query = (sql: string, params: unknown[]) => Promise<unknown>;

/**
 * Records an administrative change (users, members, webhooks) with who made it. Pass the query of
 * the transaction that makes the change, so the entry and the change commit together.
 */
export async function audit(
  query: Query,
  by: AuthUser,
  action: string,
  target: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await query(
    `INSERT INTO audit_log (actor_user_id, action, target, details) VALUES ($1, $2, $3, $4)`,
    [by.id, action, target, JSON.stringify(details)],
  );
}
