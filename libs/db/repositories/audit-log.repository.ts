import type { DataSource } from 'typeorm';
import { AuditLogEntity } from '../entities/audit-log.entity';
import { UserEntity } from '../entities/user.entity';
import type { SqlRunner } from './sql';

export interface AuditEntry {
  /** Null when the change came from configuration or the `user:create` command. */
  actorUserId: string | null;
  action:
    | 'user.created'
    | 'user.updated'
    | 'api_token.created'
    | 'api_token.revoked'
    | 'user.api_tokens_revoked'
    | 'partnership.member_set'
    | 'partnership.member_removed'
    | 'webhook.created'
    | 'webhook.updated'
    | 'webhook.deleted'
    | 'organisation.closure_set'
    | 'organisation.closure_removed'
    | 'template.draft_created'
    | 'template.draft_edited'
    | 'template.published';
  target: string;
  /** Never a password or a token. */
  details: Record<string, unknown>;
}

/**
 * The one writer of the audit log: every administrative change (users, API tokens, members,
 * webhooks) with who made it. Pass the transaction that makes the change, so the entry and the
 * change commit together. A plain function too: the `user:create` script has no Nest.
 */
export async function recordAudit(m: SqlRunner, entry: AuditEntry): Promise<void> {
  await m.query(
    `INSERT INTO audit_log (actor_user_id, action, target, details) VALUES ($1, $2, $3, $4)`,
    [entry.actorUserId, entry.action, entry.target, JSON.stringify(entry.details)],
  );
}

/** The audit log (`audit_log`). */
export class AuditLogRepository {
  constructor(private readonly db: DataSource) {}

  record(m: SqlRunner, entry: AuditEntry): Promise<void> {
    return recordAudit(m, entry);
  }

  /**
   * Up to `take` entries older than entry `beforeId` (from the newest when absent), newest first,
   * each with its actor: an export reading the whole log a batch at a time, which entries written
   * meanwhile neither shift nor repeat.
   */
  before(
    beforeId: string | undefined,
    take: number,
  ): Promise<(AuditLogEntity & { actor?: UserEntity | null })[]> {
    const query = this.db
      .getRepository(AuditLogEntity)
      .createQueryBuilder('a')
      .leftJoinAndMapOne('a.actor', UserEntity, 'u', 'u.id = a.actor_user_id');
    if (beforeId !== undefined) query.where('a.id < :beforeId', { beforeId });
    return query.orderBy('a.id', 'DESC').limit(take).getMany();
  }

  /** A page of entries, newest first, each with its actor (null once the user is gone). */
  async page(
    skip: number,
    take: number,
  ): Promise<[(AuditLogEntity & { actor?: UserEntity | null })[], number]> {
    const entries = this.db.getRepository(AuditLogEntity);
    return Promise.all([
      entries
        .createQueryBuilder('a')
        .leftJoinAndMapOne('a.actor', UserEntity, 'u', 'u.id = a.actor_user_id')
        .orderBy('a.id', 'DESC')
        .offset(skip)
        .limit(take)
        .getMany(),
      entries.count(),
    ]);
  }
}
