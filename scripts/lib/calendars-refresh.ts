import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { calendarSnapshots } from '@libs/calendars';
import {
  partnershipWorkflowId,
  setWorkingCalendarsUpdate,
} from '@workflows/partnership/partnership.contract';

export interface CalendarsRefresh {
  /** Partnerships whose workflow took the new calendars (and planned its follow-ups again). */
  updated: string[];
  /** Partnerships it could not reach, with why; running the refresh again retries them. */
  failed: { partnershipId: string; error: string }[];
}

/**
 * Gives every partnership that has not ended its organisations' working calendars again, built
 * from the holiday data installed now (after a data update, see docs/calendars.md), through the
 * workflow's `setWorkingCalendars` update. The update id names the partnership and the day, so a
 * refresh run twice on one day applies once (Temporal answers the repeat with the first result).
 */
export async function refreshWorkingCalendars(
  db: Pick<Pool, 'query'>,
  client: Client,
  today: Date,
  {
    concurrency = 8,
    only,
  }: {
    concurrency?: number;
    /** Only these partnerships (still only those that have not ended). */
    only?: string[];
  } = {},
): Promise<CalendarsRefresh> {
  const { rows } = await db.query<{
    id: string;
    organisations: { id: string; country: string; region: string | null }[];
  }>(
    `SELECT p.id, json_agg(json_build_object('id', o.id, 'country', o.country, 'region', o.region)
              ORDER BY o.id) AS organisations
       FROM partnerships p
       JOIN partnership_organisations po ON po.partnership_id = p.id
       JOIN organisations o ON o.id = po.organisation_id
      WHERE p.status NOT IN ('agreed', 'closed') AND ($1::uuid[] IS NULL OR p.id = ANY($1))
      GROUP BY p.id
      ORDER BY p.id`,
    [only ?? null],
  );
  const result: CalendarsRefresh = { updated: [], failed: [] };
  const day = today.toISOString().slice(0, 10);
  const queue = [...rows];
  const refreshOne = async (row: (typeof rows)[number]): Promise<void> => {
    try {
      await client.workflow
        .getHandle(partnershipWorkflowId(row.id))
        .executeUpdate(setWorkingCalendarsUpdate, {
          args: [{ calendars: calendarSnapshots(row.organisations, today) }],
          updateId: `working-calendars-${day}-${row.id}`,
        });
      result.updated.push(row.id);
    } catch (err) {
      result.failed.push({ partnershipId: row.id, error: String(err) });
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, concurrency) }, async () => {
      for (let row = queue.shift(); row; row = queue.shift()) await refreshOne(row);
    }),
  );
  result.updated.sort();
  return result;
}
