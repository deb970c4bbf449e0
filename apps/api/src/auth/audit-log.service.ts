import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditLogEntity, UserEntity } from '../../../../libs/db';
import { AuditPage } from './auth.dto';

export interface AuditEntry {
  /** Null when the change came from configuration or the `user:create` command. */
  actorUserId: string | null;
  action: 'user.created' | 'user.updated' | 'api_token.created' | 'api_token.revoked';
  target: string;
  /** Never a password or a token. */
  details: Record<string, unknown>;
}

/** The audit log of changes to accounts and credentials. */
@Injectable()
export class AuditLogService {
  constructor(
    @InjectRepository(AuditLogEntity) private readonly entries: Repository<AuditLogEntity>,
  ) {}

  /** Writes the entry in the caller's transaction, so a change and its record commit together. */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (actor_user_id, action, target, details) VALUES ($1, $2, $3, $4)`,
      [entry.actorUserId, entry.action, entry.target, JSON.stringify(entry.details)],
    );
  }

  async list(page = 1, pageSize = 50): Promise<AuditPage> {
    const [rows, total] = await Promise.all([
      this.entries
        .createQueryBuilder('a')
        .leftJoinAndMapOne('a.actor', UserEntity, 'u', 'u.id = a.actor_user_id')
        .orderBy('a.id', 'DESC')
        .offset((page - 1) * pageSize)
        .limit(pageSize)
        .getMany(),
      this.entries.count(),
    ]);
    return {
      items: rows.map((row) => {
        const actor = (row as AuditLogEntity & { actor?: UserEntity | null }).actor;
        return {
          id: row.id,
          actor: actor ? { id: actor.id, email: actor.email, name: actor.name } : null,
          action: row.action,
          target: row.target,
          details: row.details,
          at: row.at.toISOString(),
        };
      }),
      page,
      pageSize,
      total,
    };
  }
}
