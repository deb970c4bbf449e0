import type { Client } from 'pg';
import { In, type DataSource } from 'typeorm';
import { KNOWLEDGE_EVENT_TYPES } from '../../domain/knowledge';
import type {
  ContactChanges,
  FollowUpPolicy,
  PartnershipStatus,
  Stage,
  Task,
  TimelineEvent,
  WorkItemKind,
} from '../../domain';
import { PartnershipEventEntity } from '../entities/partnership-event.entity';
import { PartnershipTaskEntity } from '../entities/partnership-task.entity';
import { PartnershipEntity } from '../entities/partnership.entity';
import { actedAfterSql, overdueSinceSql, stageEnteredAtSql } from './read-model-sql';
import { likePattern, rows, type SqlRunner } from './sql';

/** The channel on which committed timeline writes are announced (`pg_notify`, `LISTEN`). */
const TIMELINE_CHANNEL = 'partnership_events';

/** A partnership as the workflow first records it. */
export interface RecordedPartnership {
  id: string;
  title: string;
  coordinatorName: string;
  coordinatorEmail: string;
  areas: string[];
  workflowId: string;
  sequence: number;
  templateKey: string;
  templateVersion: number;
  occurredAt: string;
  followUpPolicy: FollowUpPolicy | null;
  /** The contacts who take part (the workflow's: its organisations' contacts at the start). */
  contactIds: string[];
}

/** Where a partnership stands after a batch of events. */
export interface PartnershipSnapshot {
  partnershipId: string;
  stage: Stage;
  status: PartnershipStatus;
  sequence: number;
  occurredAt: string;
  followUpPolicy?: FollowUpPolicy | null;
  /** When the current stage was entered (absent in runs from before gates and templates). */
  stageEnteredAt?: string;
  /** The partnership's details, when a change set them. */
  details?: {
    title: string;
    areas?: string[];
    coordinator: { name: string; email: string };
    organisationIds: string[];
    /** Contacts who no longer take part (absent: as they were). */
    inactiveContactIds?: string[];
    /** The contacts who take part (absent: as they were). */
    contactIds?: string[];
  };
  /** Contacts' changed details, in the order they changed. */
  contacts?: ({ id: string } & ContactChanges)[];
  /** A move to a newer template version: the version, and the template tasks it dropped. */
  template?: { version: number; removedTaskIds: string[] };
}

/** What the board lists: partnerships visible to a member (all: undefined), filtered. */
export interface BoardFilter {
  memberUserId?: string;
  /** Text in the title or a partner's name, matched literally. */
  q?: string;
  stage?: Stage;
  /** One status, or `open` (active or paused). */
  status?: PartnershipStatus | 'open';
  page: number;
  pageSize: number;
  /** The zone tasks fall overdue in when neither assignee nor coordinator has one. */
  defaultZone: string;
  /** False: rows only, no counts per stage and status (an export reading page after page). */
  counts?: boolean;
  /**
   * Only these partnerships (an export's snapshot of `boardIds`), still only those the member
   * may see; the text, stage and status filters and the paging are then not applied.
   */
  ids?: string[];
}

/** One card of the board, with its figures. */
export interface BoardRow {
  id: string;
  title: string;
  stage: Stage;
  status: PartnershipStatus;
  coordinator_name: string;
  coordinator_email: string;
  last_activity_at: Date;
  stage_entered_at: Date;
  organisations: { id: string; name: string; country: string }[];
  open_required: number;
  overdue: number;
}

/** One thing waiting on a coordinator; `total` counts them all (a window over the page). */
export interface WorkRow {
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

/** An overdue task as its reminder tells it. */
export interface TaskToRemind {
  id: string;
  title: string;
  source: Task['source'];
  status: string;
  assignee_contact_id: string | null;
  due_date: string | null;
  partnership_title: string;
}

/** The coordinator's side: whoever signs in to act (a coordinator e-mail address of old, too). */
const COORDINATOR_ACTORS = ['user', 'coordinator'] as const;
/** Anyone but the system: what restarts a stalled stage's clock. */
const PERSON_ACTORS = ['user', 'coordinator', 'contact'] as const;

/**
 * The read model the partnership workflows project: partnerships, their partners, tasks and
 * timeline (`partnerships`, `partnership_organisations`, `partnership_tasks`,
 * `partnership_events`); the stage templates are TemplatesRepository's. The projection writes it in one transaction per activity, each
 * statement keyed by a business id or guarded by the sequence, so a retry writes nothing twice.
 */
export class PartnershipsRepository {
  constructor(private readonly db: DataSource) {}

  // The projection (in the activity's transaction)

  /** Records a new partnership; a retry changes nothing. */
  async insertRecorded(m: SqlRunner, p: RecordedPartnership): Promise<void> {
    await m.query(
      `INSERT INTO partnerships (id, title, stage, status, coordinator_name, coordinator_email, areas,
                                     workflow_id, last_sequence, template_key, template_version,
                                     created_at, updated_at, last_activity_at, follow_up_policy,
                                     contact_ids)
           VALUES ($1, $2, 'introduction', 'active', $3, $4, $5, $6, $7, $8, $9, $10, $10, $10, $11, $12)
           ON CONFLICT (id) DO NOTHING`,
      [
        p.id,
        p.title,
        p.coordinatorName,
        p.coordinatorEmail,
        JSON.stringify(p.areas),
        p.workflowId,
        p.sequence,
        p.templateKey,
        p.templateVersion,
        p.occurredAt,
        p.followUpPolicy ? JSON.stringify(p.followUpPolicy) : null,
        JSON.stringify(p.contactIds),
      ],
    );
  }

  /** Links the partner organisations; a retry adds nothing. */
  async linkOrganisations(
    m: SqlRunner,
    partnershipId: string,
    organisationIds: string[],
  ): Promise<void> {
    await m.query(
      `INSERT INTO partnership_organisations (partnership_id, organisation_id)
           SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [partnershipId, organisationIds],
    );
  }

  /** Running (active or paused) partnerships of an organisation, but `except`, by id. */
  async runningWithOrganisation(organisationId: string, except: string): Promise<string[]> {
    const found = await rows<{ id: string }>(
      this.db,
      `SELECT p.id FROM partnerships p
         JOIN partnership_organisations po ON po.partnership_id = p.id
        WHERE po.organisation_id = $1 AND p.status IN ('active', 'paused') AND p.id <> $2
        ORDER BY p.id`,
      [organisationId, except],
    );
    return found.map((r) => r.id);
  }

  /** Only a newer snapshot moves the row; a retry of an applied batch changes nothing. */
  async applySnapshot(m: SqlRunner, snapshot: PartnershipSnapshot): Promise<void> {
    const { details } = snapshot;
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE … RETURNING as [rows, count].
    const moved = await rows<{ id: string }>(
      m,
      `WITH moved AS (
       UPDATE partnerships
              SET stage = $2, status = $3, last_sequence = $4, last_activity_at = $5, updated_at = now(),
                  follow_up_policy = COALESCE($6::jsonb, follow_up_policy),
                  gate_consent_since = COALESCE($7::timestamptz, gate_consent_since),
                  title = COALESCE($8, title), areas = COALESCE($9::jsonb, areas),
                  coordinator_name = COALESCE($10, coordinator_name),
                  coordinator_email = COALESCE($11, coordinator_email),
                  inactive_contact_ids = COALESCE($12::jsonb, inactive_contact_ids),
                  contact_ids = COALESCE($13::jsonb, contact_ids)
            WHERE id = $1 AND last_sequence < $4
        RETURNING id)
       SELECT id FROM moved`,
      [
        snapshot.partnershipId,
        snapshot.stage,
        snapshot.status,
        snapshot.sequence,
        snapshot.occurredAt,
        snapshot.followUpPolicy ? JSON.stringify(snapshot.followUpPolicy) : null,
        snapshot.stageEnteredAt ?? null,
        details?.title ?? null,
        details?.areas ? JSON.stringify(details.areas) : null,
        details?.coordinator.name ?? null,
        details?.coordinator.email ?? null,
        details?.inactiveContactIds ? JSON.stringify(details.inactiveContactIds) : null,
        details?.contactIds ? JSON.stringify(details.contactIds) : null,
      ],
    );
    // A retry of a batch already applied (or an older one) leaves partners and contacts alone.
    if (moved.length === 0) return;
    if (details) {
      await m.query(
        `DELETE FROM partnership_organisations
          WHERE partnership_id = $1 AND NOT (organisation_id = ANY($2::uuid[]))`,
        [snapshot.partnershipId, details.organisationIds],
      );
      // Organisations that joined (their rows are written before, in the same transaction).
      await this.linkOrganisations(m, snapshot.partnershipId, details.organisationIds);
    }
    for (const contact of snapshot.contacts ?? []) await this.updateContact(m, contact);
    if (snapshot.template) {
      await m.query(`UPDATE partnerships SET template_version = $2 WHERE id = $1`, [
        snapshot.partnershipId,
        snapshot.template.version,
      ]);
      await m.query(
        `DELETE FROM partnership_tasks
          WHERE partnership_id = $1 AND id = ANY($2::text[]) AND source = 'template'`,
        [snapshot.partnershipId, snapshot.template.removedTaskIds],
      );
    }
  }

  /**
   * A contact's changed details. A new e-mail a colleague of the same organisation already has
   * is left out (the API refuses it first, so only a race between two changes reaches this).
   */
  private async updateContact(m: SqlRunner, c: { id: string } & ContactChanges): Promise<void> {
    await m.query(
      `UPDATE contacts AS c
          SET name = COALESCE($2, c.name),
              email = CASE WHEN $3::text IS NULL OR EXISTS (
                        SELECT 1 FROM contacts o
                         WHERE o.organisation_id = c.organisation_id AND o.email = $3 AND o.id <> c.id)
                      THEN c.email ELSE $3 END,
              language = COALESCE($4, c.language),
              time_zone = COALESCE($5, c.time_zone),
              working_hours = COALESCE($6::jsonb, c.working_hours)
        WHERE c.id = $1`,
      [
        c.id,
        c.name?.trim() ?? null,
        c.email?.trim().toLowerCase() ?? null,
        c.language ?? null,
        c.timeZone ?? null,
        c.workingHours ? JSON.stringify(c.workingHours) : null,
      ],
    );
  }

  /** Upserts task rows from a snapshot; a row already at a newer sequence is left alone. */
  async upsertTasks(
    m: SqlRunner,
    partnershipId: string,
    tasks: Task[],
    sequence: number,
  ): Promise<void> {
    if (tasks.length === 0) return;
    await m.query(
      `INSERT INTO partnership_tasks (partnership_id, id, stage, position, title, required, kind, answered_by,
                                    status, assignee_contact_id, due_date, source, completed_at, updated_sequence)
     SELECT $1, t.id, t.stage, t.position, t.title, t.required, t.kind, t.answered_by, t.status,
            t.assignee_contact_id, t.due_date, t.source, t.completed_at, $3
       FROM jsonb_to_recordset($2::jsonb) AS t(id text, stage text, position int, title text, required boolean,
            kind text, answered_by text, status text, assignee_contact_id uuid, due_date date, source text,
            completed_at timestamptz)
     ON CONFLICT (partnership_id, id) DO UPDATE
        SET stage = EXCLUDED.stage, position = EXCLUDED.position, title = EXCLUDED.title,
            required = EXCLUDED.required, kind = EXCLUDED.kind, answered_by = EXCLUDED.answered_by,
            status = EXCLUDED.status,
            assignee_contact_id = EXCLUDED.assignee_contact_id, due_date = EXCLUDED.due_date,
            source = EXCLUDED.source, completed_at = EXCLUDED.completed_at,
            updated_sequence = EXCLUDED.updated_sequence
      WHERE partnership_tasks.updated_sequence < EXCLUDED.updated_sequence`,
      [
        partnershipId,
        JSON.stringify(
          tasks.map((t, position) => ({
            id: t.id,
            stage: t.stage,
            position,
            title: t.title,
            required: t.required,
            kind: t.kind,
            answered_by: t.answeredBy ?? null,
            status: t.status,
            assignee_contact_id: t.assigneeContactId,
            due_date: t.dueDate,
            source: t.source,
            completed_at: t.completedAt,
          })),
        ),
        sequence,
      ],
    );
  }

  /** Appends timeline events in one statement; (partnership_id, sequence) makes it idempotent. */
  async appendEvents(m: SqlRunner, partnershipId: string, events: TimelineEvent[]): Promise<void> {
    if (events.length === 0) return;
    await m.query(
      `INSERT INTO partnership_events (partnership_id, sequence, type, actor, occurred_at, payload)
     SELECT $1, e.sequence, e.type, e.actor, e.occurred_at, e.payload
       FROM jsonb_to_recordset($2::jsonb)
         AS e(sequence int, type text, actor jsonb, occurred_at timestamptz, payload jsonb)
     ON CONFLICT (partnership_id, sequence) DO NOTHING`,
      [
        partnershipId,
        JSON.stringify(
          events.map((e) => ({
            sequence: e.sequence,
            type: e.type,
            actor: e.actor,
            occurred_at: e.occurredAt,
            payload: e.payload,
          })),
        ),
      ],
    );
  }

  /** Wakes the API's live timeline streams (delivered on commit, dropped on rollback). */
  async notifyTimeline(m: SqlRunner, partnershipId: string, sequence: number): Promise<void> {
    await m.query(`SELECT pg_notify('${TIMELINE_CHANNEL}', $1)`, [
      JSON.stringify({ partnershipId, sequence }),
    ]);
  }

  /** Subscribes a dedicated connection to `notifyTimeline`'s announcements. */
  async listenToTimeline(client: Pick<Client, 'query'>): Promise<void> {
    await client.query(`LISTEN ${TIMELINE_CHANNEL}`);
  }

  // Reads

  /** The partnership with its partners and their contacts, by name. */
  findWithPartners(id: string): Promise<PartnershipEntity | null> {
    return this.db.getRepository(PartnershipEntity).findOne({
      where: { id },
      relations: { organisations: { contacts: true } },
      order: { organisations: { name: 'ASC', contacts: { name: 'ASC' } } },
    });
  }

  /** The partnership row alone (no partners, contacts or tasks). */
  findRow(id: string): Promise<PartnershipEntity | null> {
    return this.db.getRepository(PartnershipEntity).findOneBy({ id });
  }

  /** The organisation the request `requestId` added to the partnership, if it did. */
  async organisationAddedBy(partnershipId: string, requestId: string): Promise<string | undefined> {
    const [added] = await rows<{ organisation_id: string }>(
      this.db,
      `SELECT payload->>'organisationId' AS organisation_id FROM partnership_events
        WHERE partnership_id = $1 AND type = 'organisation.added' AND payload->>'requestId' = $2
        LIMIT 1`,
      [partnershipId, requestId],
    );
    return added?.organisation_id;
  }

  /** The partnership's title, for an e-mail about it. */
  async titleOf(id: string): Promise<string | undefined> {
    const [partnership] = await rows<{ title: string }>(
      this.db,
      'SELECT title FROM partnerships WHERE id = $1',
      [id],
    );
    return partnership?.title;
  }

  /** The partnership's tasks in their order. */
  tasksOf(partnershipId: string): Promise<PartnershipTaskEntity[]> {
    return this.db.getRepository(PartnershipTaskEntity).find({
      where: { partnershipId },
      order: { position: 'ASC' },
    });
  }

  /** A task as its overdue reminder tells it (the due date as YYYY-MM-DD). */
  async taskToRemind(partnershipId: string, taskId: string): Promise<TaskToRemind | undefined> {
    const [task] = await rows<TaskToRemind>(
      this.db,
      `SELECT t.id, t.title, t.source, t.status, t.assignee_contact_id, to_char(t.due_date, 'YYYY-MM-DD') AS due_date,
                    p.title AS partnership_title
               FROM partnership_tasks t JOIN partnerships p ON p.id = t.partnership_id
              WHERE t.partnership_id = $1 AND t.id = $2`,
      [partnershipId, taskId],
    );
    return task;
  }

  /** A page of the timeline, in order. */
  timelinePage(
    partnershipId: string,
    skip: number,
    take: number,
  ): Promise<[PartnershipEventEntity[], number]> {
    return this.db.getRepository(PartnershipEventEntity).findAndCount({
      where: { partnershipId },
      order: { sequence: 'ASC' },
      skip,
      take,
    });
  }

  /** The partnership's knowledge-sharing events (`knowledge.*`), in order: its comparison. */
  knowledgeEvents(partnershipId: string): Promise<PartnershipEventEntity[]> {
    return this.db.getRepository(PartnershipEventEntity).find({
      where: { partnershipId, type: In([...KNOWLEDGE_EVENT_TYPES]) },
      order: { sequence: 'ASC' },
    });
  }

  /** Up to `limit` timeline events after sequence `after`, in order. */
  eventsAfter(
    partnershipId: string,
    after: number,
    limit: number,
  ): Promise<PartnershipEventEntity[]> {
    return this.db
      .getRepository(PartnershipEventEntity)
      .createQueryBuilder('e')
      .where('e.partnership_id = :id AND e.sequence > :after', { id: partnershipId, after })
      .orderBy('e.sequence', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * The board in two set-based statements whatever the page size: the counts by stage and status
   * (under the member and text filters only; the caller applies the stage and status filters to
   * them), and the page with each card's figures.
   */
  async board(filter: BoardFilter): Promise<{
    counts: { stage: Stage; status: PartnershipStatus; n: number }[];
    rows: BoardRow[];
  }> {
    const { where, params } = this.memberAndText(filter);
    // One pass for both kinds of counts: per stage under the status filter, per status under the
    // stage filter, and the page's total under both.
    const counts =
      filter.counts === false
        ? []
        : await rows<{ stage: Stage; status: PartnershipStatus; n: number }>(
            this.db,
            `SELECT p.stage, p.status, count(*)::int AS n FROM partnerships p
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        GROUP BY p.stage, p.status`,
            params,
          );

    const { where: pageWhere, params: pageParams } = filter.ids
      ? this.memberWhere(filter, filter.ids)
      : this.boardWhere(filter, where, params);
    if (filter.ids) pageParams.push(filter.ids.length, 0, filter.defaultZone);
    else pageParams.push(filter.pageSize, (filter.page - 1) * filter.pageSize, filter.defaultZone);
    const [limit, offset, defaultZone] = [-2, -1, 0].map((i) => `$${pageParams.length + i}`);
    // The page first (the last-activity index, LIMIT), then each card's figures for its rows only.
    const page = await rows<BoardRow>(
      this.db,
      `WITH page AS (
         SELECT p.* FROM partnerships p ${pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : ''}
          ORDER BY p.last_activity_at DESC, p.id
          LIMIT ${limit} OFFSET ${offset})
       SELECT p.id, p.title, p.stage, p.status, p.coordinator_name, p.coordinator_email, p.last_activity_at,
              ${stageEnteredAtSql('p')} AS stage_entered_at,
              COALESCE((SELECT json_agg(json_build_object('id', o.id, 'name', o.name, 'country', o.country) ORDER BY o.name, o.id)
                          FROM partnership_organisations po JOIN organisations o ON o.id = po.organisation_id
                         WHERE po.partnership_id = p.id), '[]') AS organisations,
              tasks.open_required, tasks.overdue
         FROM page p
         CROSS JOIN LATERAL (
           SELECT (count(*) FILTER (WHERE t.stage = p.stage AND t.required AND t.status = 'open'))::int AS open_required,
                  (count(*) FILTER (WHERE ${overdueSinceSql('t', 'p', 'c', defaultZone)} IS NOT NULL))::int AS overdue
             FROM partnership_tasks t LEFT JOIN contacts c ON c.id = t.assignee_contact_id
            WHERE t.partnership_id = p.id) tasks
        ORDER BY p.last_activity_at DESC, p.id`,
      pageParams,
    );
    return { counts, rows: page };
  }

  /**
   * The ids of every partnership the board lists under `filter` (all pages), in the board's
   * order: what an export reads in batches (`ids`), so that activity during a long download
   * neither repeats nor skips a row.
   */
  async boardIds(
    filter: Omit<BoardFilter, 'page' | 'pageSize' | 'defaultZone'>,
  ): Promise<string[]> {
    const base = this.memberAndText(filter);
    const { where, params } = this.boardWhere(filter, base.where, base.params);
    const found = await rows<{ id: string }>(
      this.db,
      `SELECT p.id FROM partnerships p ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY p.last_activity_at DESC, p.id`,
      params,
    );
    return found.map((r) => r.id);
  }

  /**
   * The partnerships the board lists under `filter` as a subquery of their ids (`SELECT p.id …`,
   * its parameters from `$1`), for a read over all of them to join (insight): the planner then
   * knows how many rows it joins, as it cannot for a long list of ids.
   */
  boardSelection(filter: Omit<BoardFilter, 'page' | 'pageSize' | 'defaultZone'>): {
    sql: string;
    params: unknown[];
  } {
    const base = this.memberAndText(filter);
    const { where, params } = this.boardWhere(filter, base.where, base.params);
    return {
      sql: `SELECT p.id FROM partnerships p ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    };
  }

  /** The member and text filters, as parameters only; `q` matches literally (LIKE wildcards escaped). */
  private memberAndText(filter: Pick<BoardFilter, 'memberUserId' | 'q'>): {
    where: string[];
    params: unknown[];
  } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.memberUserId !== undefined) {
      params.push(filter.memberUserId);
      where.push(
        `p.id IN (SELECT m.partnership_id FROM partnership_members m WHERE m.user_id = $${params.length})`,
      );
    }
    if (filter.q) {
      params.push(likePattern(filter.q));
      // Not correlated: the matching organisations' partnerships are looked up once (a hashed
      // subplan), not once per partnership.
      where.push(
        `(p.title ILIKE $${params.length} OR p.id IN (SELECT po.partnership_id FROM partnership_organisations po
           JOIN organisations o ON o.id = po.organisation_id WHERE o.name ILIKE $${params.length}))`,
      );
    }
    return { where, params };
  }

  /** The member filter, and the partnerships named (an export's batch). */
  private memberWhere(
    filter: Pick<BoardFilter, 'memberUserId'>,
    ids: string[],
  ): { where: string[]; params: unknown[] } {
    const { where, params } = this.memberAndText({ memberUserId: filter.memberUserId });
    params.push(ids);
    where.push(`p.id = ANY($${params.length}::uuid[])`);
    return { where, params };
  }

  /** The board's stage and status filters on top of `where` (copies; the inputs stay as they are). */
  private boardWhere(
    filter: Pick<BoardFilter, 'stage' | 'status'>,
    baseWhere: string[],
    baseParams: unknown[],
  ): { where: string[]; params: unknown[] } {
    const where = [...baseWhere];
    const params = [...baseParams];
    if (filter.stage) {
      params.push(filter.stage);
      where.push(`p.stage = $${params.length}`);
    }
    if (filter.status === 'open') {
      where.push(`p.status IN ('active', 'paused')`);
    } else if (filter.status) {
      params.push(filter.status);
      where.push(`p.status = $${params.length}`);
    }
    return { where, params };
  }

  /**
   * What waits on a coordinator across the partnerships they coordinate (membership role
   * coordinator; those still running: active or paused), in one statement, newest first.
   */
  myWork(
    userId: string,
    page: { limit: number; offset: number; defaultZone: string },
  ): Promise<WorkRow[]> {
    const zone = '$4';
    return rows<WorkRow>(
      this.db,
      `WITH mine AS (
         SELECT p.* FROM partnerships p
          WHERE p.id IN (SELECT m.partnership_id FROM partnership_members m
                          WHERE m.user_id = $1 AND m.role = 'coordinator')
            AND p.status IN ('active', 'paused')),
       items AS (
         -- Gates ready: every required task of the stage done, and, when the gate needs consent
         -- (the template's rule, or a gate request made for the stage in any visit), the latest
         -- gate request of this visit approved: gateBlockers() in libs/domain, over the projection.
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
                   AND a.requested_at >= COALESCE(p.gate_consent_since, '-infinity')
                 ORDER BY a.requested_at DESC, a.id DESC LIMIT 1) gate ON true
          WHERE p.status = 'active' AND p.stage <> 'agreed' AND req.open = 0
            AND (gate.status = 'approved'
                 OR (NOT EXISTS (SELECT 1 FROM stage_template_gates g
                                  WHERE g.template_key = p.template_key AND g.version = p.template_version
                                    AND g.stage = p.stage AND g.consent = 'partners')
                     AND NOT EXISTS (SELECT 1 FROM approval_requests o
                                      WHERE o.partnership_id = p.id AND o.subject->>'kind' = 'gate'
                                        AND o.subject->>'stage' = p.stage AND o.status <> 'withdrawn')))
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
      [userId, page.limit, page.offset, page.defaultZone],
    );
  }

  // Working calendars

  /**
   * What the working calendars of the partnerships that have not ended are built from: each
   * partner organisation's country, region and calendar revision (its closures come from
   * OrganisationsRepository: `calendarRefreshSources`), and the coordinator's place in the
   * follow-up policy. Only those of `only`
   * when given, only those with `organisationId` among their partners when given.
   */
  calendarSources(filter: {
    only?: string[];
    organisationId?: string;
  }): Promise<PartnershipCalendarRow[]> {
    return rows<PartnershipCalendarRow>(
      this.db,
      `SELECT p.id, p.follow_up_policy->'coordinator' AS coordinator,
              json_agg(json_build_object(
                'id', o.id, 'country', o.country, 'region', o.region,
                'calendarRevision', o.calendar_revision)
                ORDER BY o.id) AS organisations
         FROM partnerships p
         JOIN partnership_organisations po ON po.partnership_id = p.id
         JOIN organisations o ON o.id = po.organisation_id
        WHERE p.status NOT IN ('agreed', 'closed')
          AND ($1::uuid[] IS NULL OR p.id = ANY($1))
          AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM partnership_organisations mine
                                            WHERE mine.partnership_id = p.id
                                              AND mine.organisation_id = $2))
        GROUP BY p.id
        ORDER BY p.id`,
      [filter.only ?? null, filter.organisationId ?? null],
    );
  }
}

/** A partnership's organisations as its working calendars are built from them. */
export interface PartnershipCalendarRow {
  id: string;
  /** Where the follow-up policy says the coordinator works (null before it was projected). */
  coordinator: { country?: string; region?: string } | null;
  organisations: { id: string; country: string; region: string | null; calendarRevision: number }[];
}

/** The same with each organisation's closures. */
export interface PartnershipCalendarSources extends PartnershipCalendarRow {
  organisations: (PartnershipCalendarRow['organisations'][number] & {
    closures: { date: string; name: string }[];
  })[];
}
