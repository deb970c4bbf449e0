import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditLogRepository } from '@libs/db';
import type { AuditEntry } from '../platform/audit';
import { AuditPage } from './auth.dto';

export type { AuditEntry };

/** The audit log of changes to accounts and credentials. */
@Injectable()
export class AuditLogService {
  constructor(private readonly entries: AuditLogRepository) {}

  /** Writes the entry in the caller's transaction, so a change and its record commit together. */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await this.entries.record(manager, entry);
  }

  async list(page = 1, pageSize = 50): Promise<AuditPage> {
    const [rows, total] = await this.entries.page((page - 1) * pageSize, pageSize);
    return {
      items: rows.map((row) => {
        const actor = row.actor;
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
