import type { Client } from '@temporalio/client';
import type { PartnershipCalendarSources } from '../db';
import {
  partnershipWorkflowId,
  setWorkingCalendarsUpdate,
} from '../../workflows/partnership/partnership.contract';
import { calendarSnapshots, coordinatorCalendarSnapshot } from './snapshot';

export interface CalendarsRefresh {
  /** Partnerships whose workflow took the new calendars (and planned its follow-ups again). */
  updated: string[];
  /** Partnerships it could not reach, with why; running the refresh again retries them. */
  failed: { partnershipId: string; error: string }[];
}

/** Which partnerships to refresh (those that have not ended among them). */
export interface CalendarsRefreshFilter {
  only?: string[];
  /** Those with this organisation among their partners (after a change of its closures). */
  organisationId?: string;
}

/**
 * Gives every partnership that has not ended (of those the filter names) its organisations'
 * working calendars again, built from the holiday data installed now and the closures stored now,
 * through the workflow's `setWorkingCalendars` update, with the coordinator's where the
 * partnership's follow-up policy says they work. The update id names the partnership, the
 * day and its organisations' calendar revisions, so a refresh run twice on one day with the same
 * closures applies once (Temporal answers the repeat with the first result), and each change of a
 * closure is a new update, even one that brings the calendars back to an earlier state. Each
 * snapshot carries its organisation's revision and the coordinator's the place it was built for,
 * so the workflow skips what a later update already superseded. A workflow that does not answer
 * within `callTimeoutMs` (a worker down) counts as failed, as do those not tried within `budgetMs`.
 */
export async function refreshWorkingCalendars(
  sources: (filter: CalendarsRefreshFilter) => Promise<PartnershipCalendarSources[]>,
  client: Client,
  today: Date,
  {
    concurrency = 8,
    callTimeoutMs = 10_000,
    budgetMs,
    ...filter
  }: CalendarsRefreshFilter & {
    concurrency?: number;
    /** How long one workflow may take to answer (a worker down: it fails, and is counted). */
    callTimeoutMs?: number;
    /** Past this long from the start, no further workflow is tried (each counts as failed). */
    budgetMs?: number;
  } = {},
): Promise<CalendarsRefresh> {
  const startedAt = Date.now();
  const rows = await sources(filter);
  const result: CalendarsRefresh = { updated: [], failed: [] };
  const day = today.toISOString().slice(0, 10);
  const queue = [...rows];
  const refreshOne = async (row: PartnershipCalendarSources): Promise<void> => {
    if (budgetMs !== undefined && Date.now() - startedAt > budgetMs) {
      result.failed.push({ partnershipId: row.id, error: 'not tried: out of time' });
      return;
    }
    const revisions = Object.fromEntries(row.organisations.map((o) => [o.id, o.calendarRevision]));
    const coordinator = coordinatorCalendarSnapshot(row.coordinator, today);
    try {
      await client.withDeadline(Date.now() + callTimeoutMs, () =>
        client.workflow
          .getHandle(partnershipWorkflowId(row.id))
          .executeUpdate(setWorkingCalendarsUpdate, {
            args: [
              {
                calendars: calendarSnapshots(row.organisations, today),
                revisions,
                ...(coordinator
                  ? {
                      coordinator,
                      coordinatorPlace: {
                        country: row.coordinator!.country!,
                        region: row.coordinator?.region ?? '',
                      },
                    }
                  : {}),
              },
            ],
            updateId: `working-calendars-${day}-r${Object.values(revisions).join('.')}-${row.id}`,
          }),
      );
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
