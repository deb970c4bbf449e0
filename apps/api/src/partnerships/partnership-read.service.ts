import { Injectable } from '@nestjs/common';
import { AppConfig, followUpDefaults } from '@libs/config';
import {
  ApprovalsRepository,
  ClosureRow,
  OrganisationEntity,
  OrganisationsRepository,
  PartnershipEntity,
  PartnershipEventEntity,
  PartnershipsRepository,
  TemplatesRepository,
} from '@libs/db';
import {
  currentGateConsent,
  gateBlockers,
  isTerminalStatus,
  isUuid,
  KNOWLEDGE_STAGE,
  knowledgeFromEvents,
  KnowledgeRecord,
  organisationApproved,
  PARTNERSHIP_STATUSES,
  STAGES,
  Task,
} from '@libs/domain';
import type {
  ApprovalRequest,
  FollowUpPolicy,
  GateRules,
  OrganisationApproval,
  PartnershipStatus,
  Stage,
  TemplateTaskTitles,
  TemplateTitles,
  TimelineEventType,
} from '@libs/domain';
import { ListPartnershipsQuery, matchesStatusFilter, TimelineQuery } from './lifecycle.dto';
import {
  PartnershipPageView,
  PartnershipView,
  TimelineEntryView,
  TimelinePageView,
} from './partnership.dto';
import {
  groupTasksByStage,
  notFound,
  toApprovalRequest,
  toOrganisationView,
} from './partnership-views';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Reads of the projection that the partnership workflows keep. */
@Injectable()
export class PartnershipReadService {
  constructor(
    private readonly partnerships: PartnershipsRepository,
    private readonly approvals: ApprovalsRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly templates: TemplatesRepository,
    private readonly config: AppConfig,
  ) {}

  /** The partnership's organisations as their working calendars are built: with their closures. */
  async calendarSources(
    row: PartnershipEntity,
  ): Promise<(OrganisationEntity & { closures: ClosureRow[] })[]> {
    const organisations = row.organisations ?? [];
    const closures = await this.organisations.closuresOf(organisations.map((o) => o.id));
    return organisations.map((o) => ({ ...o, closures: closures.get(o.id) ?? [] }));
  }

  /**
   * The partnership's follow-up policy as the workflow last projected it, or the configured
   * defaults where the row has none yet (see PartnershipFollowUpsService.currentPolicy).
   */
  policyOf(row: PartnershipEntity): FollowUpPolicy {
    return row.followUpPolicy ?? followUpDefaults(this.config);
  }

  async find(id: string): Promise<PartnershipEntity | null> {
    if (!isUuid(id)) return null;
    return this.partnerships.findWithPartners(id);
  }

  /** The partnership row alone (no partners, contacts or tasks): for checks on a hot path. */
  async requireRow(id: string): Promise<PartnershipEntity> {
    const row = isUuid(id) ? await this.partnerships.findRow(id) : null;
    if (!row) throw notFound(id);
    return row;
  }

  async require(id: string): Promise<PartnershipEntity> {
    const row = await this.find(id);
    if (!row) throw notFound(id);
    return row;
  }

  /**
   * The partnership's tasks in order; each template task with its titles in every language, as
   * the template version the partnership keeps has them.
   */
  async tasksOf(id: string): Promise<(Task & { titles?: TemplateTitles })[]> {
    const [rows, titles] = await Promise.all([
      this.partnerships.tasksOf(id),
      this.templates.titlesOfPartnership(id),
    ]);
    return rows.map((r) => ({
      id: r.id,
      stage: r.stage,
      title: r.title,
      required: r.required,
      kind: r.kind,
      ...(r.answeredBy ? { answeredBy: r.answeredBy } : {}),
      status: r.status,
      assigneeContactId: r.assigneeContactId,
      dueDate: r.dueDate,
      source: r.source,
      completedAt: r.completedAt ? r.completedAt.toISOString() : null,
      ...(r.source === 'template' && titles[r.id] ? { titles: titles[r.id] } : {}),
    }));
  }

  /** The titles of the template tasks of the version the partnership keeps, by task id. */
  templateTitlesOf(id: string): Promise<TemplateTaskTitles> {
    return this.templates.titlesOfPartnership(id);
  }

  /** Approval requests in the order they were made (the gate looks at the latest). */
  async approvalsOf(id: string): Promise<ApprovalRequest[]> {
    const rows = await this.approvals.ofPartnership(id);
    return rows.map(toApprovalRequest);
  }

  /** Whose consent each stage's gate needs, from the template version the partnership keeps. */
  gateRulesOf(row: PartnershipEntity): Promise<GateRules> {
    return this.templates.gateRules(row.templateKey, row.templateVersion);
  }

  /** The knowledge shared on the partnership, as its timeline records it. */
  async knowledgeOf(id: string): Promise<KnowledgeRecord> {
    const events = await this.partnerships.knowledgeEvents(id);
    return knowledgeFromEvents(
      events.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
    );
  }

  /** The detail view: partners, areas, tasks by stage and what the gate still needs. */
  async detail(row: PartnershipEntity): Promise<PartnershipView> {
    const tasks = await this.tasksOf(row.id);
    const approvals = await this.approvalsOf(row.id);
    const knowledge =
      row.stage === KNOWLEDGE_STAGE ? (await this.knowledgeOf(row.id)).knowledge : undefined;
    const organisationIds = (row.organisations ?? []).map((o) => o.id);
    const gateState = {
      stage: row.stage,
      tasks,
      approvals,
      knowledge,
      organisationIds,
      gateRules: await this.gateRulesOf(row),
      stageEnteredAt: row.gateConsentSince?.toISOString(),
    };
    const blockers = isTerminalStatus(row.status) ? [] : gateBlockers(gateState);
    const tasksByStage = groupTasksByStage(tasks);
    return {
      id: row.id,
      title: row.title,
      stage: row.stage,
      status: row.status,
      coordinator: { name: row.coordinatorName, email: row.coordinatorEmail },
      areas: row.areas,
      organisations: (row.organisations ?? []).map((o) =>
        toOrganisationView(o, o.contacts ?? [], row.contactIds ?? []),
      ),
      tasksByStage,
      gate: {
        open: blockers.length === 0 && !isTerminalStatus(row.status),
        blockers,
        consent: currentGateConsent(gateState),
      },
      templateKey: row.templateKey,
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
  /** The ids of every partnership the board lists under `query`, in its order (an export's). */
  boardIds(query: ListPartnershipsQuery, memberUserId?: string): Promise<string[]> {
    return this.partnerships.boardIds({
      memberUserId,
      q: query.q,
      stage: query.stage,
      status: query.status,
    });
  }

  async list(
    query: ListPartnershipsQuery,
    memberUserId?: string,
    options: { counts?: boolean; ids?: string[] } = {},
  ): Promise<PartnershipPageView> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { counts, rows } = await this.partnerships.board({
      counts: options.counts,
      ...(options.ids ? { ids: options.ids } : {}),
      memberUserId,
      q: query.q,
      stage: query.stage,
      status: query.status,
      page,
      pageSize,
      defaultZone: this.config.COORDINATOR_TIME_ZONE,
    });
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
    const [rows, total] = await this.partnerships.timelinePage(id, (page - 1) * pageSize, pageSize);
    return { items: rows.map(toEntry), page, pageSize, total };
  }

  async eventsAfter(id: string, after: number, limit = 500): Promise<TimelineEntryView[]> {
    const rows = await this.partnerships.eventsAfter(id, after, limit);
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
