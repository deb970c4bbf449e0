import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { csvStream, pagesOf, rowsOf, type CsvColumn } from '../platform/csv';
import type { BoardExportQuery } from './lifecycle.dto';
import type { PartnershipCardView, TimelineEntryView } from './partnership.dto';
import { PartnershipReadService } from './partnership-read.service';

/** Several values in one cell (partners, awaited partners). */
const LIST_SEPARATOR = '; ';

/**
 * The board's columns, in order: documented in docs/api.md ("CSV exports"); a header never
 * changes once published (add new columns at the end).
 */
export const BOARD_CSV_COLUMNS: CsvColumn<PartnershipCardView>[] = [
  { header: 'ID', value: (p) => p.id },
  { header: 'Title', value: (p) => p.title },
  { header: 'Stage', value: (p) => p.stage },
  { header: 'Status', value: (p) => p.status },
  { header: 'Coordinator', value: (p) => p.coordinator.name },
  { header: 'Coordinator email', value: (p) => p.coordinator.email },
  {
    header: 'Organisations',
    value: (p) => p.organisations.map((o) => o.name).join(LIST_SEPARATOR),
  },
  {
    header: 'Countries',
    value: (p) => p.organisations.map((o) => o.country).join(LIST_SEPARATOR),
  },
  { header: 'Stage entered at (UTC)', value: (p) => p.stageEnteredAt },
  { header: 'Days in stage', value: (p) => p.daysInStage },
  { header: 'Open required tasks', value: (p) => p.openRequiredTasks },
  { header: 'Overdue tasks', value: (p) => p.overdueTasks },
  { header: 'Pending approvals', value: (p) => p.pendingApprovals },
  {
    header: 'Awaiting organisations',
    value: (p) =>
      p.awaitingOrganisationIds
        .map((id) => p.organisations.find((o) => o.id === id)?.name ?? id)
        .join(LIST_SEPARATOR),
  },
  { header: 'Last activity at (UTC)', value: (p) => p.lastActivityAt },
];

/** The timeline's columns, in order (see BOARD_CSV_COLUMNS). */
export const TIMELINE_CSV_COLUMNS: CsvColumn<TimelineEntryView>[] = [
  { header: 'Sequence', value: (e) => e.sequence },
  { header: 'Occurred at (UTC)', value: (e) => e.occurredAt },
  { header: 'Type', value: (e) => e.type },
  { header: 'Actor kind', value: (e) => e.actor.kind },
  { header: 'Actor name', value: (e) => e.actor.name },
  { header: 'Actor email', value: (e) => e.actor.email },
  { header: 'Details (JSON)', value: (e) => JSON.stringify(e.payload) },
];

/** The board and a timeline as CSV, read a batch at a time as the client downloads. */
@Injectable()
export class PartnershipExportsService {
  constructor(private readonly read: PartnershipReadService) {}

  /**
   * The board under `query`'s filters, as `memberUserId` may see it (all: undefined): the list of
   * partnerships as it is when the export starts, then their cards a batch at a time, so activity
   * during a long download neither repeats nor skips one (a card shows its figures when read).
   */
  async board(query: BoardExportQuery, memberUserId: string | undefined): Promise<Readable> {
    const ids = await this.read.boardIds(query, memberUserId);
    const rows = rowsOf(
      ids,
      async (batch) =>
        (
          await this.read.list({ ...query, page: 1, pageSize: batch.length }, memberUserId, {
            counts: false,
            ids: batch,
          })
        ).items,
    );
    return csvStream(BOARD_CSV_COLUMNS, rows);
  }

  /** Every event of the partnership, oldest first; PARTNERSHIP_NOT_FOUND before any byte. */
  async timeline(id: string): Promise<Readable> {
    await this.read.requireRow(id);
    const rows = pagesOf(
      async (page, pageSize) => (await this.read.timeline(id, { page, pageSize })).items,
    );
    return csvStream(TIMELINE_CSV_COLUMNS, rows);
  }
}
