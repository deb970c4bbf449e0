import type { AuthUser } from '../../../../libs/domain';

type Query = (sql: string, params: unknown[]) => Promise<unknown>;

export interface AuditEntry {
  /** Null when the change came from configuration or the `user:create` command. */
  actorUserId: string | null;
  action:
    | 'user.created'
    | 'user.updated'
    | 'api_token.created'
    | 'api_token.revoked'
    | 'partnership.member_set'
    | 'partnership.member_removed'
    | 'webhook.created'
    | 'webhook.updated'
    | 'webhook.deleted';
  target: string;
  /** Never a password or a token. */
  details: Record<string, unknown>;
}

/**
 * The one writer of the audit log: every administrative change (users, API tokens, members,
 * webhooks) with who made it. Pass the query of the transaction that makes the change, so the
 * entry and the change commit together. Plain function: the `user:create` script uses it too.
 */
export async function recordAudit(query: Query, entry: AuditEntry): Promise<void> {
  await query(
    `INSERT INTO audit_log (actor_user_id, action, target, details) VALUES ($1, $2, $3, $4)`,
    [entry.actorUserId, entry.action, entry.target, JSON.stringify(entry.details)],
  );
}

/** `recordAudit` for a change made by a signed-in user. */
export function audit(
  query: Query,
  by: AuthUser,
  action: AuditEntry['action'],
  target: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  return recordAudit(query, { actorUserId: by.id, action, target, details });
}
