import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig, followUpDefaults } from '../../../../libs/config';
import {
  ApprovalsRepository,
  PartnershipEntity,
  PartnershipEventEntity,
  PartnershipTaskEntity,
} from '../../../../libs/db';
import {
  gateBlockers,
  isTerminalStatus,
  isUuid,
  organisationApproved,
  PARTNERSHIP_STATUSES,
  STAGES,
  Task,
} from '../../../../libs/domain';
import type {
  ApprovalRequest,
  FollowUpPolicy,
  OrganisationApproval,
  PartnershipStatus,
  Stage,
  TimelineEventType,
} from '../../../../libs/domain';
import { ListPartnershipsQuery, matchesStatusFilter, TimelineQuery } from './lifecycle.dto';
import {
  PartnershipPageView,
  PartnershipView,
  TimelineEntryView,
  TimelinePageView,
} from './partnership.dto';
import { groupTasksByStage, notFound, toApprovalRequest } from './partnership-views';
import { overdueSinceSql, stageEnteredAtSql } from './read-model-sql';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Reads of the projection that the partnership workflows keep. */
@Injectable()
export class PartnershipReadService {
  constructor(
    @InjectRepository(PartnershipEntity)
    private readonly partnerships: Repository<PartnershipEntity>,
    @InjectRepository(PartnershipTaskEntity)
    private readonly tasks: Repository<PartnershipTaskEntity>,
    @InjectRepository(PartnershipEventEntity)
    private readonly events: Repository<PartnershipEventEntity>,
    private readonly approvals: ApprovalsRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * The partnership's follow-up policy as the workflow last projected it, or the configured
   * defaults where the row has none yet (see PartnershipFollowUpsService.currentPolicy).
   */
  policyOf(row: PartnershipEntity): FollowUpPolicy {
    return row.followUpPolicy ?? followUpDefaults(this.config);
  }

  async find(id: string): Promise<PartnershipEntity | null> {
    if (!isUuid(id)) return null;
    return this.partnerships.findOne({
      where: { id },
      relations: { organisations: { contacts: true } },
      order: { organisations: { name: 'ASC', contacts: { name: 'ASC' } } },
    });
  }

  /** The partnership row alone (no partners, contacts or tasks): for checks on a hot path. */
  async requireRow(id: string): Promise<PartnershipEntity> {
    const row = isUuid(id) ? await this.partnerships.findOneBy({ id }) : null;
    if (!row) throw notFound(id);
    return row;
  }

  async require(id: string): Promise<PartnershipEntity> {
    const row = await this.find(id);
    if (!row) throw notFound(id);
    return row;
  }

  async tasksOf(id: string): Promise<Task[]> {
    const rows = await this.tasks.find({
      where: { partnershipId: id },
      order: { position: 'ASC' },
    });
    return rows.map((r) => ({
      id: r.id,
      stage: r.stage,
      title: r.title,
      required: r.required,
      kind: r.kind,
      status: r.status,
      assigneeContactId: r.assigneeContactId,
      dueDate: r.dueDate,
      source: r.source,
      completedAt: r.completedAt ? r.completedAt.toISOString() : null,
    }));
  }

  /** Approval requests in the order they were made (the gate looks at the latest). */
  async approvalsOf(id: string): Promise<ApprovalRequest[]> {
    const rows = await this.approvals.ofPartnership(id);
    return rows.map(toApprovalRequest);
  }

  /** The detail view: partners, areas, tasks by stage and what the gate still needs. */
  async detail(row: PartnershipEntity): Promise<PartnershipView> {
    const tasks = await this.tasksOf(row.id);
    const approvals = await this.approvalsOf(row.id);
    const blockers = isTerminalStatus(row.status)
      ? []
      : gateBlockers({ stage: row.stage, tasks, approvals });
    const tasksByStage = groupTasksByStage(tasks);
    return {
      id: row.id,
      title: row.title,
      stage: row.stage,
      status: row.status,
      coordinator: { name: row.coordinatorName, email: row.coordinatorEmail },
      areas: row.areas,
      organisations: (row.organisations ?? []).map((o) => ({
        id: o.id,
        name: o.name,
        region: o.region,
        country: o.country,
        kind: o.kind,
        contacts: (o.contacts ?? []).map((c) => ({
          id: c.id,
          name: c.name,
          email: c.email,
          role: c.role,
          language: c.language,
          timeZone: c.timeZone,
          workingHours: c.workingHours,
        })),
      })),
      tasksByStage,
      gate: { open: blockers.length === 0 && !isTerminalStatus(row.status), blockers },
      templateVersion: row.templateVersion,
      followUpPolicy: this.policyOf(row),
      recorded: true,
      createdAt: row.createdAt.toISOString(),
      lastActivityAt: row.lastActivityAt.toISOString(),
      workflowId: row.workflowId,
    };
  }

  /**
   * The board. `memberUserId` limits it to the partnerships that user coordinates or observes
   * (everyone but admins); the counts are limited the same way. Three set-based queries whatever
   * the page size: the counts, the page with each card's figures, and the page's pending approval
   * requests (who is awaited follows each organisation's rule, in libs/domain).
   */
  async list(query: ListPartnershipsQuery, memberUserId?: string): Promise<PartnershipPageView> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    // Filters as parameters only; `q` matches literally (LIKE wildcards escaped).
    const where: string[] = [];
    const params: unknown[] = [];
    if (memberUserId !== undefined) {
      params.push(memberUserId);
      where.push(
        `p.id IN (SELECT m.partnership_id FROM partnership_members m WHERE m.user_id = $${params.length})`,
      );
    }
    if (query.q) {
      params.push(`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      // Not correlated: the matching organisations' partnerships are looked up once (a hashed
      // subplan), not once per partnership.
      where.push(
        `(p.title ILIKE $${params.length} OR p.id IN (SELECT po.partnership_id FROM partnership_organisations po
           JOIN organisations o ON o.id = po.organisation_id WHERE o.name ILIKE $${params.length}))`,
      );
    }
    // One pass for both kinds of counts: per stage under the status filter, per status under the
    // stage filter, and the page's total under both.
    const counts = (await this.partnerships.query(
      `SELECT p.stage, p.status, count(*)::int AS n FROM partnerships p
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        GROUP BY p.stage, p.status`,
      params,
    )) as { stage: Stage; status: PartnershipStatus; n: number }[];
    const countsByStage = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
    const countsByStatus = Object.fromEntries(PARTNERSHIP_STATUSES.map((s) => [s, 0])) as Record<
      PartnershipStatus,
      number
    >;
    let total = 0;
    for (const c of counts) {
      const stageMatches = !query.stage || c.stage === query.stage;
      const statusMatches = matchesStatusFilter(c.status, query.status);
      if (statusMatches) countsByStage[c.stage] += c.n;
      if (stageMatches) countsByStatus[c.status] += c.n;
      if (stageMatches && statusMatches) total += c.n;
    }

    const pageParams = [...params];
    const pageWhere = [...where];
    if (query.stage) {
      pageParams.push(query.stage);
      pageWhere.push(`p.stage = $${pageParams.length}`);
    }
    if (query.status === 'open') {
      pageWhere.push(`p.status IN ('active', 'paused')`);
    } else if (query.status) {
      pageParams.push(query.status);
      pageWhere.push(`p.status = $${pageParams.length}`);
    }
    pageParams.push(pageSize, (page - 1) * pageSize, this.config.COORDINATOR_TIME_ZONE);
    const [limit, offset, defaultZone] = [-2, -1, 0].map((i) => `$${pageParams.length + i}`);
    // The page first (the last-activity index, LIMIT), then each card's figures for its rows only.
    const rows = (await this.partnerships.query(
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
    )) as {
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
    }[];
    const pending = await this.pendingApprovalsOf(rows.map((r) => r.id));
    const now = Date.now();
    return {
      items: rows.map((r) => {
        const approvals = pending.get(r.id) ?? [];
        const awaited = new Set(approvals.flatMap(awaitedOrganisations));
        const enteredAt = new Date(r.stage_entered_at);
        return {
          id: r.id,
          title: r.title,
          stage: r.stage,
          status: r.status,
          coordinator: { name: r.coordinator_name, email: r.coordinator_email },
          organisations: r.organisations,
          stageEnteredAt: enteredAt.toISOString(),
          daysInStage: Math.max(0, Math.floor((now - enteredAt.getTime()) / DAY_MS)),
          openRequiredTasks: r.open_required,
          overdueTasks: r.overdue,
          pendingApprovals: approvals.length,
          // In the card's order of partners.
          awaitingOrganisationIds: r.organisations.map((o) => o.id).filter((id) => awaited.has(id)),
          lastActivityAt: new Date(r.last_activity_at).toISOString(),
        };
      }),
      page,
      pageSize,
      total,
      countsByStage,
      countsByStatus,
    };
  }

  /** Pending approval requests of these partnerships, by partnership, oldest first. */
  private async pendingApprovalsOf(ids: string[]): Promise<Map<string, OrganisationApproval[][]>> {
    const byPartnership = new Map<string, OrganisationApproval[][]>();
    if (ids.length === 0) return byPartnership;
    const rows = await this.approvals.pendingOf(ids);
    for (const row of rows) {
      byPartnership.set(row.partnership_id, [
        ...(byPartnership.get(row.partnership_id) ?? []),
        row.organisations,
      ]);
    }
    return byPartnership;
  }

  async timeline(id: string, query: TimelineQuery): Promise<TimelinePageView> {
    await this.requireRow(id);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const [rows, total] = await this.events.findAndCount({
      where: { partnershipId: id },
      order: { sequence: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items: rows.map(toEntry), page, pageSize, total };
  }

  async eventsAfter(id: string, after: number, limit = 500): Promise<TimelineEntryView[]> {
    const rows = await this.events
      .createQueryBuilder('e')
      .where('e.partnership_id = :id AND e.sequence > :after', { id, after })
      .orderBy('e.sequence', 'ASC')
      .limit(limit)
      .getMany();
    return rows.map(toEntry);
  }
}

function toEntry(e: PartnershipEventEntity): TimelineEntryView {
  return {
    sequence: e.sequence,
    type: e.type as TimelineEventType,
    actor: e.actor,
    occurredAt: e.occurredAt.toISOString(),
    payload: e.payload,
  };
}

/** The organisations a pending request still waits for: those not yet satisfied under their rule. */
function awaitedOrganisations(organisations: OrganisationApproval[]): string[] {
  return organisations.filter((o) => !organisationApproved(o)).map((o) => o.organisationId);
}
