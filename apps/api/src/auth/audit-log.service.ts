import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { csvStream, pagesOf, type CsvColumn } from '../platform/csv';
import { EntityManager } from 'typeorm';
import { AuditLogRepository } from '@libs/db';
import type { AuditEntry } from '../platform/audit';
import { AuditEntryView, AuditPage } from './auth.dto';

/** The audit log's CSV columns, in order: documented in docs/api.md (CSV exports). */
export const AUDIT_CSV_COLUMNS: CsvColumn<AuditEntryView>[] = [
  { header: 'ID', value: (e) => e.id },
  { header: 'At (UTC)', value: (e) => e.at },
  { header: 'Actor name', value: (e) => e.actor?.name },
  { header: 'Actor email', value: (e) => e.actor?.email },
  { header: 'Action', value: (e) => e.action },
  { header: 'Target', value: (e) => e.target },
  { header: 'Details (JSON)', value: (e) => JSON.stringify(e.details) },
];

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

  /** The whole log as CSV, newest first, read a batch at a time as the client downloads. */
  csv(): Readable {
    return csvStream(
      AUDIT_CSV_COLUMNS,
      pagesOf(async (page, pageSize) => (await this.list(page, pageSize)).items),
    );
  }
}
