import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditLogEntity, UserEntity } from '../../../../libs/db';
import { AuditEntry, recordAudit } from '../platform/audit';
import { AuditPage } from './auth.dto';

export type { AuditEntry };

/** The audit log of changes to accounts and credentials. */
@Injectable()
export class AuditLogService {
  constructor(
    @InjectRepository(AuditLogEntity) private readonly entries: Repository<AuditLogEntity>,
  ) {}

  /** Writes the entry in the caller's transaction, so a change and its record commit together. */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await recordAudit(manager.query.bind(manager), entry);
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
