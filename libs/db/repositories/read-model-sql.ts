import type { TimelineEventType } from '../../domain';

/**
 * SQL fragments the board and my-work share, so both say the same about a partnership. Each
 * takes the aliases of the query it goes into; none takes user input.
 */

/** Timeline events by which a partnership enters a stage. */
export const STAGE_ENTRY_EVENTS: readonly TimelineEventType[] = [
  'partnership.created',
  'stage.advanced',
  'stage.sent_back',
];

/**
 * When partnership `p` entered its current stage: its last stage-entry event (the timeline's
 * (partnership_id, sequence) index read backwards, so one row per partnership), else its creation.
 */
export function stageEnteredAtSql(p: string): string {
  const types = STAGE_ENTRY_EVENTS.map((t) => `'${t}'`).join(', ');
  return `COALESCE((SELECT e.occurred_at FROM partnership_events e
                     WHERE e.partnership_id = ${p}.id AND e.type IN (${types})
                     ORDER BY e.sequence DESC LIMIT 1), ${p}.created_at)`;
}

/**
 * The zone in which task `t` of partnership `p` falls overdue: its assignee's (contact `c`),
 * else the coordinator's from the partnership's policy, else `defaultZone` (a parameter: the
 * configured default).
 */
function overdueZoneSql(p: string, c: string, defaultZone: string): string {
  return `COALESCE(${c}.time_zone, ${p}.follow_up_policy->'coordinator'->>'timeZone', ${defaultZone})`;
}

/**
 * The instant open task `t` fell overdue, or NULL while it is not overdue (done, no due date, or
 * the due date not yet past in its zone) at `instant` (SQL: now() unless given). The cheap date test first: nobody's day after the due
 * date has begun while the UTC date is still before it.
 */
export function overdueSinceSql(
  t: string,
  p: string,
  c: string,
  defaultZone: string,
  instant = 'now()',
): string {
  return `CASE WHEN ${t}.status = 'open' AND ${t}.due_date IS NOT NULL
                 AND ${t}.due_date <= (${instant} AT TIME ZONE 'UTC')::date
                 AND entente_overdue_from(${t}.due_date, ${overdueZoneSql(p, c, defaultZone)}) <= ${instant}
            THEN entente_overdue_from(${t}.due_date, ${overdueZoneSql(p, c, defaultZone)}) END`;
}

/**
 * Whether anyone of `actors` (timeline actor kinds) acted on partnership `p` after `instant`.
 * What is only news (a request closed, an escalation, a stall) waits until then.
 */
export function actedAfterSql(p: string, instant: string, actors: readonly string[]): string {
  const kinds = actors.map((k) => `'${k}'`).join(', ');
  return `EXISTS (SELECT 1 FROM partnership_events x
                   WHERE x.partnership_id = ${p}.id AND x.occurred_at > ${instant}
                     AND x.actor->>'kind' IN (${kinds}))`;
}
