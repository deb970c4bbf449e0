import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../../libs/config';
import type { EventActor, Stage } from '../../../../libs/domain';
import { MyWorkQuery, WorkItemKind, MyWorkPageView } from './my-work.dto';
import { actedAfterSql, overdueSinceSql, stageEnteredAtSql } from './read-model-sql';

/** The coordinator's side: whoever signs in to act (a coordinator e-mail address of old, too). */
const COORDINATOR_ACTORS: EventActor['kind'][] = ['user', 'coordinator'];
/** Anyone but the system: what restarts a stalled stage's clock. */
const PERSON_ACTORS: EventActor['kind'][] = ['user', 'coordinator', 'contact'];

interface WorkRow {
  kind: WorkItemKind;
  partnership_id: string;
  partnership_title: string;
  stage: Stage;
  at: Date;
  approval_id: string | null;
  task_id: string | null;
  title: string | null;
  due_date: string | null;
  total: number;
}

/**
 * What waits on a coordinator across the partnerships they coordinate (membership role
 * coordinator; those still running: active or paused), from the read model in one query.
 */
@Injectable()
export class MyWorkService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async list(userId: string, query: MyWorkQuery): Promise<MyWorkPageView> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const zone = '$4';
    const rows = (await this.dataSource.query(
      `WITH mine AS (
         SELECT p.* FROM partnerships p
          WHERE p.id IN (SELECT m.partnership_id FROM partnership_members m
                          WHERE m.user_id = $1 AND m.role = 'coordinator')
            AND p.status IN ('active', 'paused')),
       items AS (
         -- Gates ready: every required task of the stage done, and the latest gate request of the
         -- stage (if any) approved: gateBlockers() in libs/domain, over the projection.
         SELECT 'gate-ready' AS kind, p.id AS partnership_id,
                GREATEST(${stageEnteredAtSql('p')}, req.done_at, gate.closed_at) AS at,
                NULL::uuid AS approval_id, NULL::text AS task_id, NULL::text AS title, NULL::date AS due_date
           FROM mine p
          CROSS JOIN LATERAL (
                SELECT max(t.completed_at) AS done_at, count(*) FILTER (WHERE t.status <> 'done') AS open
                  FROM partnership_tasks t
                 WHERE t.partnership_id = p.id AND t.stage = p.stage AND t.required) req
           LEFT JOIN LATERAL (
                SELECT a.status, a.closed_at FROM approval_requests a
                 WHERE a.partnership_id = p.id AND a.subject->>'kind' = 'gate'
                   AND a.subject->>'stage' = p.stage AND a.status <> 'withdrawn'
                 ORDER BY a.requested_at DESC, a.id DESC LIMIT 1) gate ON true
          WHERE p.status = 'active' AND p.stage <> 'agreed' AND req.open = 0
            AND (gate.status IS NULL OR gate.status = 'approved')
         UNION ALL
         SELECT 'approval-' || a.status, p.id, a.closed_at, a.id, NULL, a.subject->>'title', NULL
           FROM mine p JOIN approval_requests a ON a.partnership_id = p.id
          WHERE a.status IN ('approved', 'rejected', 'expired') AND a.closed_at IS NOT NULL
            AND NOT ${actedAfterSql('p', 'a.closed_at', COORDINATOR_ACTORS)}
         UNION ALL
         SELECT 'approval-escalated', p.id, a.escalated_at, a.id, NULL, a.subject->>'title', NULL
           FROM mine p JOIN approval_requests a ON a.partnership_id = p.id
          WHERE a.status = 'pending' AND a.escalated_at IS NOT NULL
            AND NOT ${actedAfterSql('p', 'a.escalated_at', COORDINATOR_ACTORS)}
         UNION ALL
         SELECT 'task-overdue', p.id, o.since, NULL, t.id, t.title, t.due_date
           FROM mine p JOIN partnership_tasks t ON t.partnership_id = p.id
           LEFT JOIN contacts c ON c.id = t.assignee_contact_id
          CROSS JOIN LATERAL (SELECT ${overdueSinceSql('t', 'p', 'c', zone)} AS since) o
          WHERE o.since IS NOT NULL
         UNION ALL
         -- The last stalled-stage reminder, while nobody has acted since.
         SELECT 'stage-stalled', p.id, s.occurred_at, NULL, NULL, NULL, NULL
           FROM mine p
          CROSS JOIN LATERAL (
                SELECT e.occurred_at FROM partnership_events e
                 WHERE e.partnership_id = p.id AND e.type = 'stage.stalled'
                 ORDER BY e.sequence DESC LIMIT 1) s
          WHERE NOT ${actedAfterSql('p', 's.occurred_at', PERSON_ACTORS)})
       SELECT i.kind, i.partnership_id, p.title AS partnership_title, p.stage, i.at, i.approval_id,
              i.task_id, i.title, i.due_date::text AS due_date, (count(*) OVER ())::int AS total
         FROM items i JOIN mine p ON p.id = i.partnership_id
        ORDER BY i.at DESC, i.kind, i.partnership_id, i.approval_id, i.task_id
        LIMIT $2 OFFSET $3`,
      [userId, pageSize, (page - 1) * pageSize, this.config.COORDINATOR_TIME_ZONE],
    )) as WorkRow[];
    // Past the last page the window has no row to count on: ask for the count alone.
    const total = rows[0]?.total ?? (page > 1 ? await this.count(userId, query) : 0);
    return {
      items: rows.map((r) => ({
        kind: r.kind,
        partnershipId: r.partnership_id,
        partnershipTitle: r.partnership_title,
        stage: r.stage,
        at: new Date(r.at).toISOString(),
        approvalId: r.approval_id,
        taskId: r.task_id,
        title: r.title,
        dueDate: r.due_date,
      })),
      page,
      pageSize,
      total,
    };
  }

  private async count(userId: string, query: MyWorkQuery): Promise<number> {
    const first = await this.list(userId, { ...query, page: 1, pageSize: 1 });
    return first.total;
  }
}
