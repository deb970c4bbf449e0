import type { DataSource } from 'typeorm';
import type {
  InsightApprovalOrganisation,
  InsightEvent,
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
 * board's member and filter rules) with the little of the read model the fold needs. Five
 * set-based statements whatever the number of partnerships; each event's payload is cut to the
 * fields the fold reads (a contribution's text is never fetched).
 */
export class InsightRepository {
  constructor(private readonly db: DataSource) {}

  async sources(
    ids: readonly string[],
    defaultZone: string,
  ): Promise<{ partnerships: InsightSource[]; contactOrganisations: Record<string, string> }> {
    if (ids.length === 0) return { partnerships: [], contactOrganisations: {} };
    const idList = [...ids];
    const types = [...INSIGHT_EVENT_TYPES];
    const [partnerships, events, tasks, approvals, contacts] = await Promise.all([
      rows<{
        id: string;
        title: string;
        stage: Stage;
        status: PartnershipStatus;
        organisations: { id: string; name: string }[];
      }>(
        this.db,
        `SELECT p.id, p.title, p.stage, p.status,
                COALESCE((SELECT json_agg(json_build_object('id', o.id, 'name', o.name) ORDER BY o.name, o.id)
                            FROM partnership_organisations po JOIN organisations o ON o.id = po.organisation_id
                           WHERE po.partnership_id = p.id), '[]') AS organisations
           FROM partnerships p WHERE p.id = ANY($1::uuid[])`,
        [idList],
      ),
      rows<{
        partnership_id: string;
        type: string;
        occurred_at: Date;
        payload: Record<string, unknown>;
      }>(
        this.db,
        `SELECT e.partnership_id, e.type, e.occurred_at,
                jsonb_strip_nulls(jsonb_build_object(
                  'to', e.payload->'to', 'approvalId', e.payload->'approvalId',
                  'contactId', e.payload->'contactId', 'outcome', e.payload->'outcome',
                  'taskId', e.payload->'taskId', 'assigneeContactId', e.payload->'assigneeContactId',
                  'contactIds', e.payload->'contactIds', 'organisationId', e.payload->'organisationId'))
                || CASE WHEN e.type = 'task.assigned' AND e.payload ? 'assigneeContactId'
                        THEN jsonb_build_object('assigneeContactId', e.payload->'assigneeContactId')
                        ELSE '{}'::jsonb END AS payload
           FROM partnership_events e
          WHERE e.partnership_id = ANY($1::uuid[]) AND e.type = ANY($2::text[])
          ORDER BY e.partnership_id, e.sequence`,
        [idList, types],
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
                ${overdueSinceSql('t', 'p', 'c', '$2')} IS NOT NULL AS overdue
           FROM partnership_tasks t
           JOIN partnerships p ON p.id = t.partnership_id
           LEFT JOIN contacts c ON c.id = t.assignee_contact_id
          WHERE t.partnership_id = ANY($1::uuid[])`,
        [idList, defaultZone],
      ),
      rows<{ partnership_id: string; id: string; organisations: InsightApprovalOrganisation[] }>(
        this.db,
        `SELECT r.partnership_id, r.id,
                COALESCE((SELECT jsonb_agg(jsonb_build_object(
                           'organisationId', o->'organisationId', 'rule', o->'rule',
                           'approvers', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                                                    'contactId', a->'contactId',
                                                    'delegated', COALESCE((a->>'delegated')::boolean, false)))
                                                    FROM jsonb_array_elements(o->'approvers') a), '[]'::jsonb)))
                            FROM jsonb_array_elements(r.organisations) o), '[]'::jsonb) AS organisations
           FROM approval_requests r WHERE r.partnership_id = ANY($1::uuid[])`,
        [idList],
      ),
      rows<{ id: string; organisation_id: string }>(
        this.db,
        `SELECT c.id, c.organisation_id FROM contacts c
          WHERE c.organisation_id IN (SELECT po.organisation_id FROM partnership_organisations po
                                       WHERE po.partnership_id = ANY($1::uuid[]))`,
        [idList],
      ),
    ]);

    const byId = new Map<string, InsightSource>(
      partnerships.map((p) => [
        p.id,
        { ...p, events: [], tasks: {}, approvals: {}, overdueTasks: 0, overdueBySide: {} },
      ]),
    );
    for (const e of events) {
      byId.get(e.partnership_id)?.events.push({
        type: e.type,
        occurredAt: e.occurred_at.toISOString(),
        payload: e.payload,
      });
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
      if (source) source.approvals[r.id] = r.organisations;
    }
    return {
      partnerships: idList.flatMap((id) => byId.get(id) ?? []),
      contactOrganisations: Object.fromEntries(contacts.map((c) => [c.id, c.organisation_id])),
    };
  }
}
