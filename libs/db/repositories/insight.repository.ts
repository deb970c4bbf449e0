import type { DataSource } from 'typeorm';
import type {
  InsightApprovalOrganisation,
  InsightEvent,
  OrganisationApproval,
  PartnershipStatus,
  Stage,
  TimelineEventType,
} from '../../domain';
import { overdueSinceSql } from './read-model-sql';
import { rows } from './sql';

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
  title: string;
  stage: Stage;
  status: PartnershipStatus;
  organisations: { id: string; name: string }[];
  events: InsightEvent[];
  tasks: Record<string, { stage: Stage; assigneeContactId: string | null }>;
  approvals: Record<string, InsightApprovalOrganisation[]>;
  /** Open tasks whose due date has passed (in the assignee's zone, as the board counts them). */
  overdueTasks: number;
  /** The same by the organisation of the assignee; `coordinator` for unassigned ones. */
  overdueBySide: Record<string, number>;
}

/**
 * The reads of insight: the timelines of a set of partnerships (the caller names them, after the
 * board's member and filter rules) with the little of the read model the fold needs. Seven
 * set-based statements whatever the number of partnerships, each joined to the selection (not
 * `= ANY($1)`, which compares each row with every id); each event's payload is cut to the fields
 * the fold reads (a contribution's text is never fetched).
 */
export class InsightRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * The partnerships `selection` names — a subquery of ids (`PartnershipsRepository.
   * boardSelection`) or a list of ids — unordered.
   */
  async sources(
    selection: InsightSelection,
    defaultZone: string,
  ): Promise<{ partnerships: InsightSource[]; contactOrganisations: Record<string, string> }> {
    if (!('sql' in selection)) {
      if (selection.length === 0) return { partnerships: [], contactOrganisations: {} };
      return this.sources(
        { sql: 'SELECT unnest($1::uuid[]) AS id', params: [[...selection]] },
        defaultZone,
      );
    }
    const { sql: visible, params } = selection;
    const $ = (i: number): string => `$${params.length + i}`;
    const types = [...INSIGHT_EVENT_TYPES];
    const [partnerships, partners, timelines, tasks, overdue, approvals, contacts] =
      await Promise.all([
        rows<{ id: string; title: string; stage: Stage; status: PartnershipStatus }>(
          this.db,
          `SELECT p.id, p.title, p.stage, p.status
           FROM partnerships p JOIN (${visible}) v ON v.id = p.id`,
          params,
        ),
        rows<{ partnership_id: string; id: string; name: string }>(
          this.db,
          `SELECT po.partnership_id, o.id, o.name
           FROM partnership_organisations po
           JOIN (${visible}) v ON v.id = po.partnership_id
           JOIN organisations o ON o.id = po.organisation_id
          ORDER BY o.name, o.id`,
          params,
        ),
        // One row per partnership, its timeline a JSON array of arrays in sequence order: parsed
        // at once by the driver (per-row, per-column parsing of ~7 rows a partnership was most of
        // the time), no sort left to do here.
        rows<{ partnership_id: string; events: EventTuple[] }>(
          this.db,
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
        ),
        // Only the tasks that were ever assigned (now, or by a task.assigned): a task never
        // assigned changes no one's turn, so the fold need not see it.
        rows<{
          partnership_id: string;
          id: string;
          stage: Stage;
          assignee_contact_id: string | null;
        }>(
          this.db,
          `SELECT t.partnership_id, t.id, t.stage, t.assignee_contact_id
           FROM partnership_tasks t JOIN (${visible}) v ON v.id = t.partnership_id
          WHERE t.assignee_contact_id IS NOT NULL
             OR (t.partnership_id, t.id) IN (
                  SELECT e.partnership_id, e.payload->>'taskId'
                    FROM partnership_events e JOIN (${visible}) v ON v.id = e.partnership_id
                   WHERE e.type = 'task.assigned')`,
          params,
        ),
        // The board's overdue test, counted per partnership and side in the database.
        rows<{ partnership_id: string; organisation_id: string | null; overdue: number }>(
          this.db,
          `SELECT t.partnership_id, c.organisation_id, count(*)::int AS overdue
           FROM partnership_tasks t
           JOIN (${visible}) v ON v.id = t.partnership_id
           JOIN partnerships p ON p.id = t.partnership_id
           LEFT JOIN contacts c ON c.id = t.assignee_contact_id
          WHERE ${overdueSinceSql('t', 'p', 'c', $(1))} IS NOT NULL
          GROUP BY t.partnership_id, c.organisation_id`,
          [...params, defaultZone],
        ),
        rows<{ partnership_id: string; id: string; organisations: OrganisationApproval[] }>(
          this.db,
          `SELECT r.partnership_id, r.id, r.organisations
           FROM approval_requests r JOIN (${visible}) v ON v.id = r.partnership_id`,
          params,
        ),
        rows<{ id: string; organisation_id: string }>(
          this.db,
          `SELECT c.id, c.organisation_id FROM contacts c
          WHERE c.organisation_id IN (SELECT po.organisation_id FROM partnership_organisations po
                                        JOIN (${visible}) v ON v.id = po.partnership_id)`,
          params,
        ),
      ]);

    const byId = new Map<string, InsightSource>(
      partnerships.map((p) => [
        p.id,
        {
          ...p,
          organisations: [],
          events: [],
          tasks: {},
          approvals: {},
          overdueTasks: 0,
          overdueBySide: {},
        },
      ]),
    );
    for (const o of partners)
      byId.get(o.partnership_id)?.organisations.push({ id: o.id, name: o.name });
    for (const t of timelines) {
      const source = byId.get(t.partnership_id);
      if (source) source.events = t.events.map(insightEvent);
    }
    for (const t of tasks) {
      const source = byId.get(t.partnership_id);
      if (source) source.tasks[t.id] = { stage: t.stage, assigneeContactId: t.assignee_contact_id };
    }
    for (const o of overdue) {
      const source = byId.get(o.partnership_id);
      if (!source) continue;
      source.overdueTasks += o.overdue;
      const side = o.organisation_id ?? 'coordinator';
      source.overdueBySide[side] = (source.overdueBySide[side] ?? 0) + o.overdue;
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
