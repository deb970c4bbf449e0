import type { OrganisationRule } from './approvals';
import { isStage, STAGES, type PartnershipStatus, type Stage } from './partnership';

/**
 * Insight: what a partnership's timeline says about time and turns (docs/analytics.md). One fold
 * over the timeline (`partnershipInsight`) is the definition; the API runs it over the events the
 * repository reads, for one partnership or for every one a user may see.
 */

/** A timeline event as far as the fold reads it (events in sequence order). */
export interface InsightEvent {
  type: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/** An approval request's organisations as the read model holds them: who answers, by which rule. */
export interface InsightApprovalOrganisation {
  organisationId: string;
  rule: OrganisationRule;
  approvers: { contactId: string; delegated: boolean }[];
}

/** What the timeline does not carry itself, from the read model. */
export interface InsightContext {
  /** Contact id → its organisation. */
  contactOrganisations: Readonly<Record<string, string>>;
  /** Approval request id → its organisations. */
  approvals: Readonly<Record<string, readonly InsightApprovalOrganisation[]>>;
  /**
   * Task id → its stage and current assignee. A task's first assignee is not on the timeline
   * (`task.added` has none): until its first `task.assigned`, a task never reassigned counts as
   * assigned to its current assignee, one reassigned since as unassigned.
   */
  tasks: Readonly<Record<string, { stage: Stage; assigneeContactId: string | null }>>;
}

/** How a stay in a stage ended. */
export type StayEnd = 'advanced' | 'sent_back' | 'closed';

/** One stay in a stage: from entering it to leaving it (`leftAt` null while in it). */
export interface StageStay {
  stage: Stage;
  enteredAt: string;
  leftAt: string | null;
  leftBy: StayEnd | null;
  /** Time in the stage without the paused time, up to `leftAt` or now. */
  ms: number;
}

/** How long one organisation took to answer one approval request. */
export interface ApprovalTurnaround {
  approvalId: string;
  organisationId: string;
  requestedAt: string;
  answeredAt: string;
  ms: number;
}

/** Whom a partnership waits on: nobody (paused or ended), the coordinator, or partners. */
export type WaitingOn = 'nobody' | 'coordinator' | 'partners';

export interface PartnershipInsight {
  stage: Stage;
  status: PartnershipStatus;
  stays: StageStay[];
  turnarounds: ApprovalTurnaround[];
  waitingOn: WaitingOn;
  /** The organisations waited on now (empty unless `waitingOn` is `partners`), sorted. */
  waitingOnOrganisationIds: string[];
  /** Since when the partnership waits on the same side(s) as now; null when on nobody. */
  waitingSince: string | null;
  /** Cumulative waiting time on the coordinator, and on each organisation (by id). */
  waitingMs: { coordinator: number; organisations: Record<string, number> };
  /** Time in the current stage (paused time not counted); null once agreed or closed. */
  currentStageMs: number | null;
}

interface PendingApproval {
  /** Organisations that have not answered yet → the contacts of each that approved. */
  awaited: Map<string, Set<string>>;
  requestedAt: string;
  organisations: readonly InsightApprovalOrganisation[];
}

interface TaskState {
  present: boolean;
  open: boolean;
  assignee: string | null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Approvals an organisation needs under its rule (approvers who handed over do not count). */
function approvalsNeeded(org: InsightApprovalOrganisation): number {
  const active = org.approvers.filter((a) => !a.delegated).length;
  switch (org.rule.kind) {
    case 'all':
      return Math.max(1, active);
    case 'any':
      return 1;
    case 'quorum':
      return org.rule.n;
    default: {
      const unknown: never = org.rule;
      throw new Error(`unknown rule ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Folds one partnership's timeline (in sequence order) up to `now`: its stays in each stage, each
 * organisation's answer time to each approval request, whom it waits on now and how long it has
 * waited on each side. The rules are in docs/analytics.md.
 */
export function partnershipInsight(
  events: readonly InsightEvent[],
  context: InsightContext,
  now: string,
): PartnershipInsight {
  const nowMs = Date.parse(now);
  let stage: Stage = 'introduction';
  let status: PartnershipStatus = 'active';
  let lastMs: number | null = null;
  const stays: StageStay[] = [];
  let stay: StageStay | null = null;
  const turnarounds: ApprovalTurnaround[] = [];
  const pending = new Map<string, PendingApproval>();
  const knowledgeAsked = new Set<string>();
  const reassigned = new Set(
    events.filter((e) => e.type === 'task.assigned').map((e) => text(e.payload.taskId)),
  );
  const added = new Set(
    events.filter((e) => e.type === 'task.added').map((e) => text(e.payload.taskId)),
  );
  const tasks = new Map<string, TaskState>();
  const initialAssignee = (taskId: string): string | null =>
    reassigned.has(taskId) ? null : (context.tasks[taskId]?.assigneeContactId ?? null);
  for (const taskId of Object.keys(context.tasks)) {
    // Template tasks are there from the start; tasks added later from their `task.added`.
    tasks.set(taskId, {
      present: !added.has(taskId),
      open: true,
      assignee: initialAssignee(taskId),
    });
  }
  const waitingMs = { coordinator: 0, organisations: {} as Record<string, number> };
  let sides = '';
  let sidesSince: number | null = null;

  const organisationOf = (contactId: string | null, approvalId?: string): string | null => {
    if (!contactId) return null;
    const request = approvalId ? pending.get(approvalId) : undefined;
    const org = request?.organisations.find((o) =>
      o.approvers.some((a) => a.contactId === contactId),
    );
    return org?.organisationId ?? context.contactOrganisations[contactId] ?? null;
  };

  const waitedOn = (): string[] | null => {
    if (status !== 'active') return null;
    const orgs = new Set<string>();
    for (const request of pending.values()) for (const org of request.awaited.keys()) orgs.add(org);
    for (const [taskId, task] of tasks) {
      if (!task.assignee || !task.present || !task.open) continue;
      if (context.tasks[taskId]?.stage !== stage) continue;
      const org = organisationOf(task.assignee);
      if (org) orgs.add(org);
    }
    for (const org of knowledgeAsked) orgs.add(org);
    return [...orgs].sort();
  };

  /** Whom it waits on since the last event (recomputed after each one). */
  let waiting: string[] | null = null;
  const advanceTo = (atMs: number): void => {
    if (lastMs === null) {
      lastMs = atMs;
      return;
    }
    const dt = atMs - lastMs;
    if (dt <= 0) return;
    const orgs = waiting;
    if (orgs) {
      if (orgs.length === 0) waitingMs.coordinator += dt;
      for (const org of orgs)
        waitingMs.organisations[org] = (waitingMs.organisations[org] ?? 0) + dt;
      if (stay) stay.ms += dt;
    }
    lastMs = atMs;
  };

  /** Notes when the side(s) waited on change, for `waitingSince`. */
  const noteSides = (atMs: number): void => {
    waiting = waitedOn();
    const orgs = waiting;
    const key = orgs === null ? '' : orgs.length === 0 ? 'coordinator' : orgs.join(',');
    if (key !== sides) {
      sides = key;
      sidesSince = key === '' ? null : atMs;
    }
  };

  const leave = (at: string, by: StayEnd): void => {
    if (!stay) return;
    stay.leftAt = at;
    stay.leftBy = by;
    stay = null;
  };
  const enter = (to: Stage, at: string): void => {
    stage = to;
    if (to === 'agreed') return;
    stay = { stage: to, enteredAt: at, leftAt: null, leftBy: null, ms: 0 };
    stays.push(stay);
  };

  for (const event of events) {
    const at = event.occurredAt;
    const atMs = Math.max(Date.parse(at), lastMs ?? -Infinity);
    advanceTo(atMs);
    const p = event.payload;
    switch (event.type) {
      case 'partnership.created':
        enter('introduction', at);
        break;
      case 'stage.advanced':
      case 'stage.sent_back': {
        const to = text(p.to);
        if (!to || !isStage(to)) break;
        leave(at, event.type === 'stage.advanced' ? 'advanced' : 'sent_back');
        enter(to, at);
        if (to === 'agreed') status = 'agreed';
        break;
      }
      case 'partnership.paused':
        status = 'paused';
        break;
      case 'partnership.resumed':
        status = 'active';
        break;
      case 'partnership.closed':
        status = 'closed';
        leave(at, 'closed');
        break;
      case 'partnership.reopened':
        // A new stay in the stage it was closed in (the close did not move the stage).
        status = 'active';
        enter(stage, at);
        break;
      case 'partnership.agreed':
        status = 'agreed';
        leave(at, 'advanced');
        break;
      case 'approval.requested': {
        const id = text(p.approvalId);
        const organisations = id ? context.approvals[id] : undefined;
        if (!id || !organisations) break;
        pending.set(id, {
          requestedAt: at,
          organisations,
          awaited: new Map(organisations.map((o) => [o.organisationId, new Set<string>()])),
        });
        break;
      }
      case 'approval.decided': {
        const id = text(p.approvalId);
        const request = id ? pending.get(id) : undefined;
        const contactId = text(p.contactId);
        const org = organisationOf(contactId, id ?? undefined);
        const approvals = org ? request?.awaited.get(org) : undefined;
        if (!id || !request || !org || !contactId || !approvals) break;
        if (p.outcome === 'approved') approvals.add(contactId);
        const rules = request.organisations.find((o) => o.organisationId === org);
        const answered =
          p.outcome === 'rejected' ||
          (rules !== undefined && approvals.size >= approvalsNeeded(rules));
        if (answered) {
          request.awaited.delete(org);
          turnarounds.push({
            approvalId: id,
            organisationId: org,
            requestedAt: request.requestedAt,
            answeredAt: at,
            ms: Date.parse(at) - Date.parse(request.requestedAt),
          });
        }
        break;
      }
      case 'approval.approved':
      case 'approval.rejected':
      case 'approval.withdrawn':
      case 'approval.expired': {
        const id = text(p.approvalId);
        if (id) pending.delete(id);
        break;
      }
      case 'task.added': {
        const taskId = text(p.taskId);
        if (!taskId) break;
        tasks.set(taskId, { present: true, open: true, assignee: initialAssignee(taskId) });
        break;
      }
      case 'task.assigned':
      case 'task.completed':
      case 'task.reopened': {
        const taskId = text(p.taskId);
        if (!taskId) break;
        const task = tasks.get(taskId) ?? { present: true, open: true, assignee: null };
        if (event.type === 'task.assigned') task.assignee = text(p.assigneeContactId);
        else task.open = event.type === 'task.reopened';
        tasks.set(taskId, task);
        break;
      }
      case 'knowledge.requested': {
        const asked = Array.isArray(p.contactIds) ? p.contactIds : [];
        for (const contactId of asked) {
          const org = organisationOf(text(contactId));
          if (org) knowledgeAsked.add(org);
        }
        break;
      }
      case 'knowledge.contributed': {
        const org = text(p.organisationId);
        if (org) knowledgeAsked.delete(org);
        break;
      }
      default:
        break;
    }
    noteSides(atMs);
  }
  advanceTo(Math.max(nowMs, lastMs ?? nowMs));

  // Set by noteSides, which TypeScript does not see run.
  const orgs = waiting as string[] | null;
  return {
    stage,
    status,
    stays,
    turnarounds,
    waitingOn: orgs === null ? 'nobody' : orgs.length === 0 ? 'coordinator' : 'partners',
    waitingOnOrganisationIds: orgs ?? [],
    waitingSince: sidesSince === null ? null : new Date(sidesSince).toISOString(),
    waitingMs,
    currentStageMs: stays.at(-1)?.leftAt === null ? (stays.at(-1)?.ms ?? null) : null,
  };
}

/**
 * A partnership's fold through its last event: the insight at that instant (`throughMs`, null for
 * no events), which `insightAt` carries to any later one. Between two events nothing the fold
 * reads changes, so the insight at `now` is the insight at the last event with the time since
 * added to the sides waited on and to the open stay. This is what the read model keeps per
 * partnership (docs/analytics.md), so a request folds only the timelines that moved.
 */
export interface FoldedInsight {
  insight: PartnershipInsight;
  throughMs: number | null;
}

/**
 * The version of `foldInsight`'s output that a kept fold records: raise it with any change to
 * the fold's rules or to `FoldedInsight`, so that folds kept before are folded again.
 */
export const INSIGHT_FOLD_VERSION = 1;

/** `partnershipInsight` through the last event, for `insightAt`. */
export function foldInsight(
  events: readonly InsightEvent[],
  context: InsightContext,
): FoldedInsight {
  let throughMs: number | null = null;
  for (const e of events) throughMs = Math.max(Date.parse(e.occurredAt), throughMs ?? -Infinity);
  const insight = partnershipInsight(
    events,
    context,
    new Date(throughMs ?? Date.now()).toISOString(),
  );
  return { insight, throughMs };
}

/** The insight of a `foldInsight` at `now`: as `partnershipInsight(events, context, now)`. */
export function insightAt(folded: FoldedInsight, now: string): PartnershipInsight {
  const { insight, throughMs } = folded;
  const dt = throughMs === null ? 0 : Math.max(0, Date.parse(now) - throughMs);
  if (dt === 0 || insight.waitingOn === 'nobody') return insight;
  const organisations = { ...insight.waitingMs.organisations };
  for (const org of insight.waitingOnOrganisationIds)
    organisations[org] = (organisations[org] ?? 0) + dt;
  const coordinator =
    insight.waitingMs.coordinator + (insight.waitingOn === 'coordinator' ? dt : 0);
  const last = insight.stays.at(-1);
  const open = last !== undefined && last.leftAt === null;
  const stays = open
    ? [...insight.stays.slice(0, -1), { ...last, ms: last.ms + dt }]
    : insight.stays;
  return {
    ...insight,
    stays,
    waitingMs: { coordinator, organisations },
    currentStageMs: open ? last.ms + dt : insight.currentStageMs,
  };
}

/**
 * The p-quantile (0 ≤ p ≤ 1) of `values` by linear interpolation between closest ranks, as
 * PostgreSQL's `percentile_cont`; null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** Median and p90 of ended stays in one stage, and how many are still open. */
export interface StageDuration {
  stage: Stage;
  /** Stays that ended by advancing or being sent back (a closing ends none counted). */
  endedStays: number;
  medianMs: number | null;
  p90Ms: number | null;
  openStays: number;
}

/** Stays counted in the figures: those that ended by a move to another stage. */
function endedByMove(stay: StageStay): boolean {
  return stay.leftBy === 'advanced' || stay.leftBy === 'sent_back';
}

/** Per stage but `agreed` (where a partnership has ended), over the partnerships' stays. */
export function stageDurations(insights: readonly PartnershipInsight[]): StageDuration[] {
  return STAGES.filter((s) => s !== 'agreed').map((stage) => {
    const stays = insights.flatMap((i) => i.stays.filter((s) => s.stage === stage));
    const ended = stays.filter(endedByMove).map((s) => s.ms);
    return {
      stage,
      endedStays: ended.length,
      medianMs: percentile(ended, 0.5),
      p90Ms: percentile(ended, 0.9),
      openStays: stays.filter((s) => s.leftAt === null).length,
    };
  });
}
