import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig, followUpDefaults } from '../../../../libs/config';
import {
  ApprovalRequestEntity,
  PartnershipEntity,
  PartnershipEventEntity,
  PartnershipTaskEntity,
} from '../../../../libs/db';
import {
  DomainError,
  ErrorCode,
  gateBlockers,
  isTerminalStatus,
  isUuid,
  STAGES,
  Task,
} from '../../../../libs/domain';
import type {
  ApprovalRequest,
  FollowUpPolicy,
  PartnershipStatus,
  Stage,
  TimelineEventType,
} from '../../../../libs/domain';
import { ListPartnershipsQuery, TimelineQuery } from './lifecycle.dto';
import {
  PartnershipPageView,
  PartnershipView,
  TimelineEntryView,
  TimelinePageView,
} from './partnership.dto';

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
    @InjectRepository(ApprovalRequestEntity)
    private readonly approvals: Repository<ApprovalRequestEntity>,
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
    const rows = await this.approvals.find({
      where: { partnershipId: id },
      order: { requestedAt: 'ASC' },
    });
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
   * (everyone but admins); the counts per stage are limited the same way.
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
    if (query.status) {
      params.push(query.status);
      where.push(`p.status = $${params.length}`);
    }
    if (query.q) {
      params.push(`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(
        `(p.title ILIKE $${params.length} OR EXISTS (SELECT 1 FROM partnership_organisations po
           JOIN organisations o ON o.id = po.organisation_id
          WHERE po.partnership_id = p.id AND o.name ILIKE $${params.length}))`,
      );
    }
    const baseWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const counts = (await this.partnerships.query(
      `SELECT p.stage, count(*)::int AS n FROM partnerships p ${baseWhere} GROUP BY p.stage`,
      params,
    )) as { stage: Stage; n: number }[];
    const countsByStage = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
    for (const c of counts) countsByStage[c.stage] = c.n;

    const pageParams = [...params];
    const pageWhere = [...where];
    if (query.stage) {
      pageParams.push(query.stage);
      pageWhere.push(`p.stage = $${pageParams.length}`);
    }
    const whereSql = pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : '';
    const total = query.stage
      ? countsByStage[query.stage]
      : Object.values(countsByStage).reduce((a, b) => a + b, 0);
    pageParams.push(pageSize, (page - 1) * pageSize);
    const rows = (await this.partnerships.query(
      `SELECT p.id, p.title, p.stage, p.status, p.coordinator_name, p.coordinator_email, p.last_activity_at,
              COALESCE((SELECT json_agg(json_build_object('id', o.id, 'name', o.name, 'country', o.country) ORDER BY o.name)
                          FROM partnership_organisations po JOIN organisations o ON o.id = po.organisation_id
                         WHERE po.partnership_id = p.id), '[]') AS organisations,
              (SELECT count(*)::int FROM partnership_tasks t
                WHERE t.partnership_id = p.id AND t.stage = p.stage AND t.required AND t.status = 'open') AS open_required
         FROM partnerships p ${whereSql}
        ORDER BY p.last_activity_at DESC, p.id
        LIMIT $${pageParams.length - 1} OFFSET $${pageParams.length}`,
      pageParams,
    )) as {
      id: string;
      title: string;
      stage: Stage;
      status: PartnershipStatus;
      coordinator_name: string;
      coordinator_email: string;
      last_activity_at: Date;
      organisations: { id: string; name: string; country: string }[];
      open_required: number;
    }[];
    return {
      items: rows.map((r) => ({
        id: r.id,
        title: r.title,
        stage: r.stage,
        status: r.status,
        coordinator: { name: r.coordinator_name, email: r.coordinator_email },
        organisations: r.organisations,
        openRequiredTasks: r.open_required,
        lastActivityAt: new Date(r.last_activity_at).toISOString(),
      })),
      page,
      pageSize,
      total,
      countsByStage,
    };
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

/** Tasks per stage, in order, for every stage that has tasks (all but agreed). */
export function groupTasksByStage(tasks: Task[]): Record<Exclude<Stage, 'agreed'>, Task[]> {
  return Object.fromEntries(
    STAGES.filter((s) => s !== 'agreed').map((s) => [s, tasks.filter((t) => t.stage === s)]),
  ) as Record<Exclude<Stage, 'agreed'>, Task[]>;
}

/** An approval request as the read model holds it. */
export function toApprovalRequest(row: ApprovalRequestEntity): ApprovalRequest {
  return {
    id: row.id,
    subject: row.subject,
    status: row.status,
    requestedAt: row.requestedAt.toISOString(),
    deadline: row.deadline.toISOString(),
    requestedBy: row.requestedBy,
    organisations: row.organisations,
    closedAt: row.closedAt ? row.closedAt.toISOString() : null,
    followUps: row.followUps,
    reminderPolicy: row.reminderPolicy,
    snoozedUntil: row.snoozedUntil ? row.snoozedUntil.toISOString() : null,
    escalatedAt: row.escalatedAt ? row.escalatedAt.toISOString() : null,
  };
}

export function notFound(id: string): DomainError {
  return new DomainError(ErrorCode.PARTNERSHIP_NOT_FOUND, `No partnership ${id}`, {
    partnershipId: id,
  });
}
