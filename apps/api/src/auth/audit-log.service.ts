import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { CSV_BATCH, csvStream, type CsvColumn } from '../platform/csv';
import { EntityManager } from 'typeorm';
import { AuditLogEntity, AuditLogRepository, UserEntity } from '@libs/db';
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
      items: rows.map(entryView),
      page,
      pageSize,
      total,
    };
  }

  /**
   * The whole log as CSV, newest first, read a batch at a time as the client downloads, each
   * batch after the last id sent: entries written during the download are not in it, and none is
   * repeated or skipped.
   */
  csv(): Readable {
    const entries = this.entries;
    async function* all(): AsyncGenerator<AuditEntryView> {
      for (let before: string | undefined; ;) {
        const rows = await entries.before(before, CSV_BATCH);
        yield* rows.map(entryView);
        if (rows.length < CSV_BATCH) return;
        before = rows[rows.length - 1].id;
      }
    }
    return csvStream(AUDIT_CSV_COLUMNS, all());
  }
}

function entryView(row: AuditLogEntity & { actor?: UserEntity | null }): AuditEntryView {
  const actor = row.actor;
  return {
    id: row.id,
    actor: actor ? { id: actor.id, email: actor.email, name: actor.name } : null,
    action: row.action,
    target: row.target,
    details: row.details,
    at: row.at.toISOString(),
  };
}
