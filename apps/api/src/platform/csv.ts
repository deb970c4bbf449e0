import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { FastifyReply } from 'fastify';
import { Logger } from '@nestjs/common';

const logger = new Logger('CsvExport');

/** What one CSV cell may hold: text, a number, or nothing (an empty cell). */
export type CsvValue = string | number | null | undefined;

/** One column of an export: its (English, stable) header and how a row fills it. */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

/** The content type of every CSV export. */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** How many rows an export reads from the database at a time. */
export const CSV_BATCH = 500;

/**
 * A text cell made safe to open in a spreadsheet: one that begins with `=`, `+`, `-`, `@`, a tab
 * or a carriage return would be read as a formula (CSV injection), so it gets a leading `'`
 * (OWASP's advice), which spreadsheets show as text. Numbers are written as numbers and never
 * prefixed; quoting is left to the CSV writer.
 */
export function csvCell(value: CsvValue): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The rows as RFC 4180 CSV (CRLF between records, fields quoted when they hold a comma, quote or
 * line break, quotes doubled), UTF-8 with a byte-order mark so that Excel reads Spanish and
 * Chinese text correctly, the header line first. Rows are pulled from `rows` as the client reads,
 * so a large export is never held in memory.
 */
export function csvStream<T>(columns: CsvColumn<T>[], rows: AsyncIterable<T>): Readable {
  const writer = stringify({
    bom: true,
    header: true,
    columns: columns.map((c) => c.header),
    record_delimiter: 'windows',
  });
  async function* records(): AsyncGenerator<(string | number)[]> {
    for await (const row of rows) yield columns.map((c) => csvCell(c.value(row)));
  }
  // A failure half-way (the database gone) destroys the writer, which aborts the response (the
  // client sees a broken download, never a short file taken for whole); the cause is logged.
  pipeline(Readable.from(records()), writer).catch((err: unknown) => {
    logger.error(
      `CSV export aborted: ${err instanceof Error ? err.message : String(err)}`,
      err instanceof Error ? err.stack : undefined,
    );
  });
  return writer;
}

/** Sends the CSV as a download named `filename`. */
export function sendCsv(reply: FastifyReply, filename: string, body: Readable): void {
  void reply
    .header('content-type', CSV_CONTENT_TYPE)
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

/** Pages of `fetch` (1, 2, ...) until one comes back short: every row, a batch at a time. */
export async function* pagesOf<T>(
  fetch: (page: number, pageSize: number) => Promise<T[]>,
  pageSize = CSV_BATCH,
): AsyncGenerator<T> {
  for (let page = 1; ; page += 1) {
    const items = await fetch(page, pageSize);
    yield* items;
    if (items.length < pageSize) return;
  }
}

/**
 * The rows of `ids`, a batch at a time and in the order of `ids`: an export that took its list
 * first (a snapshot of what to send) and reads the rows as the client downloads. A row gone since
 * is left out.
 */
export async function* rowsOf<T extends { id: string }>(
  ids: readonly string[],
  fetch: (batch: string[]) => Promise<T[]>,
  batchSize = CSV_BATCH,
): AsyncGenerator<T> {
  for (let i = 0; i < ids.length; i += batchSize) {
    const batch = ids.slice(i, i + batchSize);
    const byId = new Map((await fetch(batch)).map((row) => [row.id, row]));
    for (const id of batch) {
      const row = byId.get(id);
      if (row) yield row;
    }
  }
}
