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

interface EventRow {
  partnership_id: string;
  sequence: number;
  type: string;
  occurred_at: Date;
  to_stage: string | null;
  approval_id: string | null;
  contact_id: string | null;
  outcome: string | null;
  task_id: string | null;
  assignee_contact_id: string | null;
  contact_ids: string[] | null;
  organisation_id: string | null;
}

/** An event row as the fold reads it: the payload's fields it needs, and no others. */
function insightEvent(e: EventRow): InsightEvent {
  const payload: Record<string, unknown> = {};
  if (e.to_stage !== null) payload.to = e.to_stage;
  if (e.approval_id !== null) payload.approvalId = e.approval_id;
  if (e.contact_id !== null) payload.contactId = e.contact_id;
  if (e.outcome !== null) payload.outcome = e.outcome;
  if (e.task_id !== null) payload.taskId = e.task_id;
  // Null on a task.assigned: the task was unassigned.
  if (e.type === 'task.assigned') payload.assigneeContactId = e.assignee_contact_id;
  if (e.contact_ids !== null) payload.contactIds = e.contact_ids;
  if (e.organisation_id !== null) payload.organisationId = e.organisation_id;
  return { type: e.type, occurredAt: e.occurred_at.toISOString(), payload };
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
 * board's member and filter rules) with the little of the read model the fold needs. Six
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
    const [partnerships, partners, events, tasks, approvals, contacts] = await Promise.all([
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
      // Text columns, not a JSON object built per row: half the work on both sides.
      rows<EventRow>(
        this.db,
        `SELECT e.partnership_id, e.sequence, e.type, e.occurred_at,
                e.payload->>'to' AS to_stage, e.payload->>'approvalId' AS approval_id,
                e.payload->>'contactId' AS contact_id, e.payload->>'outcome' AS outcome,
                e.payload->>'taskId' AS task_id, e.payload->>'assigneeContactId' AS assignee_contact_id,
                CASE WHEN e.type = 'knowledge.requested' THEN e.payload->'contactIds' END AS contact_ids,
                e.payload->>'organisationId' AS organisation_id
           FROM partnership_events e JOIN (${visible}) v ON v.id = e.partnership_id
          WHERE e.type = ANY(${$(1)}::text[])`,
        [...params, types],
      ),
      rows<{
        partnership_id: string;
        id: string;
        stage: Stage;
        assignee_contact_id: string | null;
        organisation_id: string | null;
        overdue: boolean;
      }>(
        this.db,
        `SELECT t.partnership_id, t.id, t.stage, t.assignee_contact_id, c.organisation_id,
                ${overdueSinceSql('t', 'p', 'c', $(1))} IS NOT NULL AS overdue
           FROM partnership_tasks t
           JOIN (${visible}) v ON v.id = t.partnership_id
           JOIN partnerships p ON p.id = t.partnership_id
           LEFT JOIN contacts c ON c.id = t.assignee_contact_id`,
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
    const sequences = new Map<InsightEvent, number>();
    for (const e of events) {
      const event = insightEvent(e);
      sequences.set(event, e.sequence);
      byId.get(e.partnership_id)?.events.push(event);
    }
    // In sequence order, each timeline by itself (no sort spilling to disk in PostgreSQL).
    for (const source of byId.values()) {
      source.events.sort((a, b) => (sequences.get(a) ?? 0) - (sequences.get(b) ?? 0));
    }
    for (const t of tasks) {
      const source = byId.get(t.partnership_id);
      if (!source) continue;
      source.tasks[t.id] = { stage: t.stage, assigneeContactId: t.assignee_contact_id };
      if (!t.overdue) continue;
      source.overdueTasks += 1;
      const side = t.organisation_id ?? 'coordinator';
      source.overdueBySide[side] = (source.overdueBySide[side] ?? 0) + 1;
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
