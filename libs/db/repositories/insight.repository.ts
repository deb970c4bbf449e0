import type { DataSource } from 'typeorm';
import { INSIGHT_FOLD_VERSION } from '../../domain';
import type {
  FoldedInsight,
  InsightApprovalOrganisation,
  InsightEvent,
  OrganisationApproval,
  PartnershipStatus,
  Stage,
  TimelineEventType,
} from '../../domain';
import { overdueSinceSql } from './read-model-sql';
import { rows, type SqlRunner } from './sql';

/** The timeline events the insight fold reads (docs/analytics.md); the others are not fetched. */
export const INSIGHT_EVENT_TYPES: readonly TimelineEventType[] = [
  'partnership.created',
  'stage.advanced',
  'stage.sent_back',
  'partnership.paused',
  'partnership.resumed',
  'partnership.closed',
  'partnership.reopened',
  'partnership.agreed',
  'approval.requested',
  'approval.decided',
  'approval.approved',
  'approval.rejected',
  'approval.withdrawn',
  'approval.expired',
  'task.added',
  'task.assigned',
  'task.completed',
  'task.reopened',
  'knowledge.requested',
  'knowledge.contributed',
];

/**
 * One event as the statement builds it (a JSON array per event, one array of them per
 * partnership): type, epoch milliseconds (truncated, as the driver reads a timestamp), then the
 * payload's fields the fold reads, null when absent.
 */
type EventTuple = [
  type: string,
  occurredMs: number,
  to: string | null,
  approvalId: string | null,
  contactId: string | null,
  outcome: string | null,
  taskId: string | null,
  assigneeContactId: string | null,
  contactIds: unknown,
  organisationId: string | null,
];

/** An event as the fold reads it: the payload's fields it needs, and no others. */
function insightEvent(e: EventTuple): InsightEvent {
  const [type, occurredMs, to, approvalId, contactId, outcome, taskId, assignee, contactIds, org] =
    e;
  const payload: Record<string, unknown> = {};
  if (to !== null) payload.to = to;
  if (approvalId !== null) payload.approvalId = approvalId;
  if (contactId !== null) payload.contactId = contactId;
  if (outcome !== null) payload.outcome = outcome;
  if (taskId !== null) payload.taskId = taskId;
  // Null on a task.assigned: the task was unassigned.
  if (type === 'task.assigned') payload.assigneeContactId = assignee;
  if (contactIds !== null) payload.contactIds = contactIds;
  if (org !== null) payload.organisationId = org;
  return { type, occurredAt: new Date(occurredMs).toISOString(), payload };
}

/** Which partnerships: a subquery of their ids with its parameters, or the ids themselves. */
export type InsightSelection = { sql: string; params: unknown[] } | readonly string[];

/** One partnership with what its insight is folded from. */
export interface InsightSource {
  id: string;
  /** The sequence of its last event in the read model, as of this read. */
  lastSequence: number;
  events: InsightEvent[];
  tasks: Record<string, { stage: Stage; assigneeContactId: string | null }>;
  approvals: Record<string, InsightApprovalOrganisation[]>;
}

/** A partnership's figures as a request reads them: its row, its fold if current, its overdue. */
export interface InsightSummary {
  id: string;
  title: string;
  stage: Stage;
  status: PartnershipStatus;
  organisations: { id: string; name: string }[];
  /** Its fold through `last_sequence` (null when there is none yet, or it is older). */
  fold: FoldedInsight | null;
  overdueTasks: number;
  overdueBySide: Record<string, number>;
}

/** The figures across partnerships as the database aggregates them (`figures`), in milliseconds. */
export interface InsightFigures {
  stages: {
    stage: Stage;
    ended: number;
    median: number | null;
    p90: number | null;
    open: number;
  }[];
  turnarounds: {
    organisation_id: string;
    name: string | null;
    answered: number;
    median: number;
    p90: number;
  }[];
  /** `organisation_id` null is the coordinator. */
  sides: { organisation_id: string | null; name: string | null; ms: number; waiting_now: number }[];
  /** Open tasks past due per side: the assignee's organisation, or null for unassigned ones. */
  overdue: { organisation_id: string | null; name: string | null; overdue: number }[];
}

/** A fold to keep: the partnership's, through the `last_sequence` its sources were read at. */
export interface KeptFold {
  partnershipId: string;
  throughSequence: number;
  fold: FoldedInsight;
}

/** The tables of a kept fold's figures as rows, rewritten with it. */
const FOLD_ROW_TABLES = [
  'partnership_insight_stays',
  'partnership_insight_turnarounds',
  'partnership_insight_sides',
] as const;

function stayRows({ partnershipId, fold }: KeptFold) {
  return fold.insight.stays.map((s, position) => ({
    partnership_id: partnershipId,
    position,
    stage: s.stage,
    ms: s.ms,
    ended_by_move: s.leftBy === 'advanced' || s.leftBy === 'sent_back',
    open: s.leftAt === null,
  }));
}

function turnaroundRows({ partnershipId, fold }: KeptFold) {
  return fold.insight.turnarounds.map((t, position) => ({
    partnership_id: partnershipId,
    position,
    organisation_id: t.organisationId,
    ms: t.ms,
  }));
}

/** The coordinator, then each organisation waited on so far or now. */
function sideRows({ partnershipId, fold }: KeptFold) {
  const { waitingMs, waitingOn, waitingOnOrganisationIds } = fold.insight;
  const organisations = [
    ...new Set([...Object.keys(waitingMs.organisations), ...waitingOnOrganisationIds]),
  ].sort();
  return [
    {
      partnership_id: partnershipId,
      position: 0,
      organisation_id: null,
      ms: waitingMs.coordinator,
      waiting_now: waitingOn === 'coordinator',
    },
    ...organisations.map((organisationId, i) => ({
      partnership_id: partnershipId,
      position: i + 1,
      organisation_id: organisationId,
      ms: waitingMs.organisations[organisationId] ?? 0,
      waiting_now: waitingOnOrganisationIds.includes(organisationId),
    })),
  ];
}

/** Folds kept per statement. */
const SAVE_BATCH = 2_000;

/** A subquery of the ids a list names. */
function selectionOf(selection: InsightSelection): { sql: string; params: unknown[] } {
  return 'sql' in selection
    ? selection
    : { sql: 'SELECT unnest($1::uuid[]) AS id', params: [[...selection]] };
}

/**
 * The reads of insight (docs/analytics.md). A request reads its partnerships' summaries — each
 * partnership's row, its names, its overdue tasks and its kept fold — in three statements, and
 * folds again only the partnerships whose timeline moved since their fold was kept: `sources`
 * reads those timelines with the little of the read model the fold needs (seven statements in
 * one snapshot), `saveFolds` keeps the new folds. Every statement is set-based and joined to the
 * selection (not `= ANY($1)`, which compares each row with every id); each event's payload is cut
 * to the fields the fold reads (a contribution's text is never fetched).
 */
export class InsightRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * The partnerships `selection` names — a subquery of ids (`PartnershipsRepository.
   * boardSelection`) or a list of ids — unordered, each with its fold if it is current.
   */
  async summaries(selection: InsightSelection, defaultZone: string): Promise<InsightSummary[]> {
    if (!('sql' in selection) && selection.length === 0) return [];
    const selected = selectionOf(selection);
    const [partnerships, partners, overdue] = await Promise.all([
      rows<{
        id: string;
        title: string;
        stage: Stage;
        status: PartnershipStatus;
        fold: FoldedInsight | null;
      }>(
        this.db,
        `SELECT p.id, p.title, p.stage, p.status, f.fold
           FROM partnerships p JOIN (${selected.sql}) v ON v.id = p.id
           LEFT JOIN partnership_insight_folds f
                  ON f.partnership_id = p.id AND f.through_sequence = p.last_sequence
                 AND f.fold_version = ${INSIGHT_FOLD_VERSION}`,
        selected.params,
      ),
      this.partners(selected),
      this.overdue(selected, defaultZone),
    ]);
    const byId = new Map<string, InsightSummary>(
      partnerships.map((p) => [
        p.id,
        { ...p, organisations: [], overdueTasks: 0, overdueBySide: {} },
      ]),
    );
    for (const o of partners)
      byId.get(o.partnership_id)?.organisations.push({ id: o.id, name: o.name });
    for (const o of overdue) {
      const summary = byId.get(o.partnership_id);
      if (!summary) continue;
      summary.overdueTasks += o.overdue;
      const side = o.organisation_id ?? 'coordinator';
      summary.overdueBySide[side] = (summary.overdueBySide[side] ?? 0) + o.overdue;
    }
    return [...byId.values()];
  }

  /** The partnerships `selection` names whose fold is missing or older than their timeline. */
  async staleIds(selection: InsightSelection): Promise<string[]> {
    if (!('sql' in selection) && selection.length === 0) return [];
    const { sql: visible, params } = selectionOf(selection);
    const stale = await rows<{ id: string }>(
      this.db,
      `SELECT p.id FROM partnerships p JOIN (${visible}) v ON v.id = p.id
        WHERE NOT EXISTS (SELECT 1 FROM partnership_insight_folds f
                           WHERE f.partnership_id = p.id AND f.through_sequence = p.last_sequence
                             AND f.fold_version = ${INSIGHT_FOLD_VERSION})`,
      params,
    );
    return stale.map((r) => r.id);
  }

  /**
   * The figures across the partnerships `selection` names, aggregated in the database from the
   * rows of their kept folds, carried to `nowMs` as `insightAt` carries a fold (docs/analytics.md):
   * per stage the stays (median and p90 by `percentile_cont` of those that ended by a move, and
   * the open ones), per organisation the answer times, per side how many wait on it now and how
   * long it was waited on in all, and the overdue tasks per side. A partnership without a kept
   * fold counts nowhere: fold it first.
   */
  async figures(
    selection: InsightSelection,
    nowMs: number,
    defaultZone: string,
  ): Promise<InsightFigures> {
    const { sql: visible, params } = selectionOf(selection);
    const next = `$${params.length + 1}`;
    const [stages, turnarounds, sides, overdue] = await Promise.all([
      rows<InsightFigures['stages'][number]>(
        this.db,
        `SELECT s.stage, count(*) FILTER (WHERE s.ended_by_move)::int AS ended,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY s.ms::float8)
                  FILTER (WHERE s.ended_by_move) AS median,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY s.ms::float8)
                  FILTER (WHERE s.ended_by_move) AS p90,
                count(*) FILTER (WHERE s.open)::int AS open
           FROM partnership_insight_stays s JOIN (${visible}) v ON v.id = s.partnership_id
          GROUP BY 1`,
        params,
      ),
      rows<InsightFigures['turnarounds'][number]>(
        this.db,
        `SELECT t.organisation_id, o.name, count(*)::int AS answered,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY t.ms::float8) AS median,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY t.ms::float8) AS p90
           FROM partnership_insight_turnarounds t JOIN (${visible}) v ON v.id = t.partnership_id
           LEFT JOIN organisations o ON o.id = t.organisation_id
          GROUP BY 1, 2`,
        params,
      ),
      // The time since a fold's last event counts for the side(s) it waits on now.
      rows<InsightFigures['sides'][number]>(
        this.db,
        `SELECT w.organisation_id, o.name,
                sum(w.ms + CASE WHEN w.waiting_now AND f.through_ms IS NOT NULL
                                THEN greatest(0, ${next}::bigint - f.through_ms) ELSE 0 END)::float8 AS ms,
                count(*) FILTER (WHERE w.waiting_now)::int AS waiting_now
           FROM partnership_insight_sides w JOIN (${visible}) v ON v.id = w.partnership_id
           JOIN partnership_insight_folds f ON f.partnership_id = w.partnership_id
           LEFT JOIN organisations o ON o.id = w.organisation_id
          GROUP BY 1, 2`,
        [...params, nowMs],
      ),
      rows<InsightFigures['overdue'][number]>(
        this.db,
        `SELECT c.organisation_id, o.name, count(*)::int AS overdue
           FROM partnership_tasks t
           JOIN (${visible}) v ON v.id = t.partnership_id
           JOIN partnerships p ON p.id = t.partnership_id
           LEFT JOIN contacts c ON c.id = t.assignee_contact_id
           LEFT JOIN organisations o ON o.id = c.organisation_id
          WHERE ${overdueSinceSql('t', 'p', 'c', next)} IS NOT NULL
          GROUP BY 1, 2`,
        [...params, defaultZone],
      ),
    ]);
    return { stages, turnarounds, sides, overdue };
  }

  /**
   * What the partnerships `selection` names are folded from, unordered, read in one snapshot
   * (REPEATABLE READ: each `lastSequence` is the sequence of the events and rows read with it).
   */
  async sources(
    selection: InsightSelection,
  ): Promise<{ partnerships: InsightSource[]; contactOrganisations: Record<string, string> }> {
    if (!('sql' in selection) && selection.length === 0)
      return { partnerships: [], contactOrganisations: {} };
    return this.db.transaction('REPEATABLE READ', (tx) =>
      this.sourcesIn(tx, selectionOf(selection)),
    );
  }

  /**
   * Keeps each partnership's fold through the `last_sequence` it was read at, with its figures as
   * rows; a fold through an older sequence than the one kept is not written (two requests
   * folding at once: the fold's row lock orders them).
   */
  async saveFolds(unordered: readonly KeptFold[]): Promise<void> {
    // Rows locked in one order by every request, so two saving at once never deadlock.
    const folds = [...unordered].sort((a, b) => a.partnershipId.localeCompare(b.partnershipId));
    for (let i = 0; i < folds.length; i += SAVE_BATCH) {
      const batch = folds.slice(i, i + SAVE_BATCH);
      await this.db.transaction(async (tx) => {
        const kept = await rows<{ partnership_id: string }>(
          tx,
          `WITH kept AS (
             INSERT INTO partnership_insight_folds
                    (partnership_id, through_sequence, fold_version, through_ms, fold, folded_at)
             SELECT f.partnership_id, f.through_sequence, ${INSIGHT_FOLD_VERSION}, f.through_ms, f.fold, now()
               FROM jsonb_to_recordset($1::jsonb)
                 AS f(partnership_id uuid, through_sequence int, through_ms bigint, fold jsonb)
             ON CONFLICT (partnership_id) DO UPDATE
                SET through_sequence = EXCLUDED.through_sequence,
                    fold_version = EXCLUDED.fold_version, through_ms = EXCLUDED.through_ms,
                    fold = EXCLUDED.fold, folded_at = EXCLUDED.folded_at
              WHERE partnership_insight_folds.through_sequence <= EXCLUDED.through_sequence
             RETURNING partnership_id)
           SELECT partnership_id FROM kept`,
          [
            JSON.stringify(
              batch.map((f) => ({
                partnership_id: f.partnershipId,
                through_sequence: f.throughSequence,
                through_ms: f.fold.throughMs,
                fold: f.fold,
              })),
            ),
          ],
        );
        const ids = new Set(kept.map((k) => k.partnership_id));
        const written = batch.filter((f) => ids.has(f.partnershipId));
        for (const table of FOLD_ROW_TABLES) {
          await tx.query(`DELETE FROM ${table} WHERE partnership_id = ANY($1::uuid[])`, [[...ids]]);
        }
        await tx.query(
          `INSERT INTO partnership_insight_stays
                  (partnership_id, position, stage, ms, ended_by_move, open)
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(partnership_id uuid, position int,
                  stage text, ms bigint, ended_by_move boolean, open boolean)`,
          [JSON.stringify(written.flatMap(stayRows))],
        );
        await tx.query(
          `INSERT INTO partnership_insight_turnarounds (partnership_id, position, organisation_id, ms)
           SELECT * FROM jsonb_to_recordset($1::jsonb)
                      AS t(partnership_id uuid, position int, organisation_id uuid, ms bigint)`,
          [JSON.stringify(written.flatMap(turnaroundRows))],
        );
        await tx.query(
          `INSERT INTO partnership_insight_sides
                  (partnership_id, position, organisation_id, ms, waiting_now)
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS w(partnership_id uuid, position int,
                  organisation_id uuid, ms bigint, waiting_now boolean)`,
          [JSON.stringify(written.flatMap(sideRows))],
        );
      });
    }
  }

  private partners({
    sql: visible,
    params,
  }: {
    sql: string;
    params: unknown[];
  }): Promise<{ partnership_id: string; id: string; name: string }[]> {
    return rows(
      this.db,
      `SELECT po.partnership_id, o.id, o.name
         FROM partnership_organisations po
         JOIN (${visible}) v ON v.id = po.partnership_id
         JOIN organisations o ON o.id = po.organisation_id
        ORDER BY o.name, o.id`,
      params,
    );
  }

  /** The board's overdue test, counted per partnership and side in the database. */
  private overdue(
    { sql: visible, params }: { sql: string; params: unknown[] },
    defaultZone: string,
  ): Promise<{ partnership_id: string; organisation_id: string | null; overdue: number }[]> {
    return rows(
      this.db,
      `SELECT t.partnership_id, c.organisation_id, count(*)::int AS overdue
         FROM partnership_tasks t
         JOIN (${visible}) v ON v.id = t.partnership_id
         JOIN partnerships p ON p.id = t.partnership_id
         LEFT JOIN contacts c ON c.id = t.assignee_contact_id
        WHERE ${overdueSinceSql('t', 'p', 'c', `$${params.length + 1}`)} IS NOT NULL
        GROUP BY t.partnership_id, c.organisation_id`,
      [...params, defaultZone],
    );
  }

  private async sourcesIn(
    db: SqlRunner,
    { sql: visible, params }: { sql: string; params: unknown[] },
  ): Promise<{ partnerships: InsightSource[]; contactOrganisations: Record<string, string> }> {
    const $ = (i: number): string => `$${params.length + i}`;
    const types = [...INSIGHT_EVENT_TYPES];
    // One statement after another: they share the snapshot's connection.
    const partnerships = await rows<{ id: string; lastSequence: number }>(
      db,
      `SELECT p.id, p.last_sequence AS "lastSequence"
           FROM partnerships p JOIN (${visible}) v ON v.id = p.id`,
      params,
    );
    // One row per partnership, its timeline a JSON array of arrays in sequence order: parsed
    // at once by the driver (per-row, per-column parsing of ~7 rows a partnership was most of
    // the time), no sort left to do here.
    const timelines = await rows<{ partnership_id: string; events: EventTuple[] }>(
      db,
      `SELECT e.partnership_id,
                json_agg(json_build_array(
                  e.type, floor(extract(epoch FROM e.occurred_at) * 1000),
                  e.payload->>'to', e.payload->>'approvalId', e.payload->>'contactId',
                  e.payload->>'outcome', e.payload->>'taskId', e.payload->>'assigneeContactId',
                  CASE WHEN e.type = 'knowledge.requested' THEN e.payload->'contactIds' END,
                  e.payload->>'organisationId') ORDER BY e.sequence) AS events
           FROM partnership_events e JOIN (${visible}) v ON v.id = e.partnership_id
          WHERE e.type = ANY(${$(1)}::text[])
          GROUP BY e.partnership_id`,
      [...params, types],
    );
    // Only the tasks that were ever assigned (now, or by a task.assigned): a task never
    // assigned changes no one's turn, so the fold need not see it.
    const tasks = await rows<{
      partnership_id: string;
      id: string;
      stage: Stage;
      assignee_contact_id: string | null;
    }>(
      db,
      `SELECT t.partnership_id, t.id, t.stage, t.assignee_contact_id
           FROM partnership_tasks t JOIN (${visible}) v ON v.id = t.partnership_id
          WHERE t.assignee_contact_id IS NOT NULL
             OR (t.partnership_id, t.id) IN (
                  SELECT e.partnership_id, e.payload->>'taskId'
                    FROM partnership_events e JOIN (${visible}) v ON v.id = e.partnership_id
                   WHERE e.type = 'task.assigned')`,
      params,
    );
    const approvals = await rows<{
      partnership_id: string;
      id: string;
      organisations: OrganisationApproval[];
    }>(
      db,
      `SELECT r.partnership_id, r.id, r.organisations
           FROM approval_requests r JOIN (${visible}) v ON v.id = r.partnership_id`,
      params,
    );
    const contacts = await rows<{ id: string; organisation_id: string }>(
      db,
      `SELECT c.id, c.organisation_id FROM contacts c
          WHERE c.organisation_id IN (SELECT po.organisation_id FROM partnership_organisations po
                                        JOIN (${visible}) v ON v.id = po.partnership_id)`,
      params,
    );

    const byId = new Map<string, InsightSource>(
      partnerships.map((p) => [p.id, { ...p, events: [], tasks: {}, approvals: {} }]),
    );
    for (const t of timelines) {
      const source = byId.get(t.partnership_id);
      if (source) source.events = t.events.map(insightEvent);
    }
    for (const t of tasks) {
      const source = byId.get(t.partnership_id);
      if (source) source.tasks[t.id] = { stage: t.stage, assigneeContactId: t.assignee_contact_id };
    }
    for (const r of approvals) {
      const source = byId.get(r.partnership_id);
      if (!source) continue;
      source.approvals[r.id] = r.organisations.map((o) => ({
        organisationId: o.organisationId,
        rule: o.rule,
        approvers: o.approvers.map((a) => ({ contactId: a.contactId, delegated: a.delegated })),
      }));
    }
    return {
      partnerships: [...byId.values()],
      contactOrganisations: Object.fromEntries(contacts.map((c) => [c.id, c.organisation_id])),
    };
  }
}
