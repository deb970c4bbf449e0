import { recordAudit, type AuditEntry, type SqlRunner } from '@libs/db';
import type { AuthUser } from '@libs/domain';

export type { AuditEntry };

/**
 * Records a change made by a signed-in user in the audit log, in `m`: the transaction that makes
 * the change, so the entry and the change commit together.
 */
export function audit(
  m: SqlRunner,
  by: AuthUser,
  action: AuditEntry['action'],
  target: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  return recordAudit(m, { actorUserId: by.id, action, target, details });
}
