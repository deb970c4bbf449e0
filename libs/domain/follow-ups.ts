/**
 * Follow-ups: what the system chases on its own — approvers who have not answered, tasks past
 * their due date, stages where nothing happens — and when.
 *
 * Pure and deterministic (runs inside the partnership workflow). The workflow asks `planFollowUps`
 * for every next follow-up, sends those due now and sleeps until the earliest of the rest; any
 * change (a decision, a new policy, a snooze, a moved deadline) simply plans again.
 */
import { ApprovalRequest, Approver, awaitedApprovers } from './approvals';
import type { Task } from './lifecycle';
import { isStage, PartnershipStatus, Stage } from './partnership';
import {
  DEFAULT_REMINDER_POLICY,
  FollowUpProgress,
  MAX_FOLLOW_UP_WORKING_MINUTES,
  MAX_REMINDERS,
  MIN_REPEAT_MINUTES,
  nextFollowUp,
  overdueFrom,
  ReminderPolicy,
  reminderPolicyProblems,
  workingDays,
} from './reminders';
import { FollowUpOf, isLanguage, Language, LANGUAGES } from './vocabulary';
import { DEFAULT_WORKING_HOURS, isValidTimeZone, WorkingHours } from './working-hours';
import type { WorkingCalendar } from './working-calendar';

/** A partnership's follow-up settings. Durations are the recipient's working time. */
export interface FollowUpPolicy {
  /** Reminders to approvers who have not answered, then escalation to the coordinator. */
  approvals: ReminderPolicy;
  /** Reminders to the assignee of an open task past its due date. */
  overdueTasks: { enabled: boolean; repeatEveryWorkingMinutes: number; maxReminders: number };
  /** Reminders to the coordinator when a stage has had no activity for a while. */
  stalledStage: { enabled: boolean; afterWorkingDays: number; maxReminders: number };
  /**
   * The coordinator's zone and language, for their reminders and e-mails, and where they work
   * (ISO 3166-1 alpha-2 country and free-text region), whose public holidays their stalled-stage
   * reminders skip; without a country their weekly hours alone count.
   */
  coordinator: { timeZone: string; language: Language; country?: string; region?: string };
  /** E-mails in the recipient's language followed by an English copy. */
  bilingualEmails: boolean;
}

export const DEFAULT_FOLLOW_UP_POLICY: FollowUpPolicy = Object.freeze({
  approvals: DEFAULT_REMINDER_POLICY,
  overdueTasks: Object.freeze({
    enabled: true,
    repeatEveryWorkingMinutes: workingDays(1, DEFAULT_WORKING_HOURS),
    maxReminders: 3,
  }),
  stalledStage: Object.freeze({ enabled: true, afterWorkingDays: 10, maxReminders: 3 }),
  coordinator: Object.freeze({ timeZone: 'UTC', language: 'en' as const }),
  bilingualEmails: false,
}) as FollowUpPolicy;

/** As organisations' regions: "Valencian Community", "ES-VC", "Sichuan". */
export const MAX_REGION_LENGTH = 200;

/** A change to a policy: any part may be left out. */
export interface FollowUpPolicyPatch {
  approvals?: Partial<ReminderPolicy>;
  overdueTasks?: Partial<FollowUpPolicy['overdueTasks']>;
  stalledStage?: Partial<FollowUpPolicy['stalledStage']>;
  coordinator?: Partial<FollowUpPolicy['coordinator']>;
  bilingualEmails?: boolean;
}

export function mergeFollowUpPolicy(
  base: FollowUpPolicy,
  patch: FollowUpPolicyPatch,
): FollowUpPolicy {
  return {
    approvals: { ...base.approvals, ...patch.approvals },
    overdueTasks: { ...base.overdueTasks, ...patch.overdueTasks },
    stalledStage: { ...base.stalledStage, ...patch.stalledStage },
    coordinator: { ...base.coordinator, ...patch.coordinator },
    bilingualEmails: patch.bilingualEmails ?? base.bilingualEmails,
  };
}

/** Problems with a policy, each naming its field; empty when valid. */
export function followUpPolicyProblems(p: FollowUpPolicy): string[] {
  const problems = reminderPolicyProblems(p.approvals).map((m) => `approvals.${m}`);
  const positiveInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;
  if (typeof p.overdueTasks.enabled !== 'boolean')
    problems.push('overdueTasks.enabled must be a boolean');
  if (
    !positiveInt(p.overdueTasks.repeatEveryWorkingMinutes) ||
    p.overdueTasks.repeatEveryWorkingMinutes < MIN_REPEAT_MINUTES ||
    p.overdueTasks.repeatEveryWorkingMinutes > MAX_FOLLOW_UP_WORKING_MINUTES
  )
    problems.push(
      `overdueTasks.repeatEveryWorkingMinutes must be an integer from ${MIN_REPEAT_MINUTES} to ${MAX_FOLLOW_UP_WORKING_MINUTES}`,
    );
  if (!positiveInt(p.overdueTasks.maxReminders) || p.overdueTasks.maxReminders > MAX_REMINDERS)
    problems.push(`overdueTasks.maxReminders must be an integer from 1 to ${MAX_REMINDERS}`);
  if (typeof p.stalledStage.enabled !== 'boolean')
    problems.push('stalledStage.enabled must be a boolean');
  if (!positiveInt(p.stalledStage.afterWorkingDays) || p.stalledStage.afterWorkingDays > 100)
    problems.push('stalledStage.afterWorkingDays must be an integer from 1 to 100');
  if (!positiveInt(p.stalledStage.maxReminders) || p.stalledStage.maxReminders > MAX_REMINDERS)
    problems.push(`stalledStage.maxReminders must be an integer from 1 to ${MAX_REMINDERS}`);
  if (typeof p.coordinator.timeZone !== 'string' || !isValidTimeZone(p.coordinator.timeZone))
    problems.push('coordinator.timeZone must be an IANA time-zone name');
  if (!isLanguage(p.coordinator.language))
    problems.push(`coordinator.language must be one of ${LANGUAGES.join(', ')}`);
  const { country, region } = p.coordinator;
  if (country !== undefined && (typeof country !== 'string' || !/^[A-Z]{2}$/.test(country)))
    problems.push('coordinator.country must be an ISO 3166-1 alpha-2 code, e.g. ES');
  if (region !== undefined && (typeof region !== 'string' || region.length > MAX_REGION_LENGTH))
    problems.push(`coordinator.region must be a text of at most ${MAX_REGION_LENGTH} characters`);
  if (typeof p.bilingualEmails !== 'boolean') problems.push('bilingualEmails must be a boolean');
  return problems;
}

export interface ContactProfile {
  timeZone: string;
  workingHours: WorkingHours;
  /** The contact's organisation, whose working calendar (in `FollowUpWorld.calendars`) applies. */
  organisationId?: string;
}

const FALLBACK_PROFILE: ContactProfile = { timeZone: 'UTC', workingHours: DEFAULT_WORKING_HOURS };

/** Overdue reminders of one task, for one due date and assignee (a change starts over). */
export interface TaskFollowUpProgress extends FollowUpProgress {
  key: string;
}

/** Stalled-stage reminders, counted from `since` (the last activity they were planned from). */
export interface StallProgress extends FollowUpProgress {
  since: string;
}

export interface FollowUpWorld {
  now: Date;
  status: PartnershipStatus;
  stage: Stage;
  policy: FollowUpPolicy;
  approvals: ApprovalRequest[];
  tasks: Task[];
  /** Partner contacts' zones and hours (task assignees). */
  profiles: Record<string, ContactProfile>;
  taskProgress: Record<string, TaskFollowUpProgress>;
  stall: StallProgress | null;
  /** The last time a person (not the system) did something on the partnership. */
  lastActivityAt: string;
  /**
   * Working calendars by organisation id, a snapshot: an approver follows their organisation's, a
   * task assignee the one of their profile's `organisationId`. Absent: weekly hours alone count.
   */
  calendars?: Record<string, WorkingCalendar>;
  /** The coordinator's working calendar, for stalled-stage reminders. */
  coordinatorCalendar?: WorkingCalendar;
}

/** A follow-up the rule book plans, and when; a task's carries its progress key. */
export type PlannedFollowUp = { at: Date } & (
  | FollowUpOf<'approval-reminder' | 'approval-escalation' | 'stage-stalled'>
  | (FollowUpOf<'task-overdue'> & { key: string })
  /** Someone acted since the stall clock started: restart it from then (nothing is sent). */
  | { kind: 'stall-restart'; since: string }
);

export function taskFollowUpKey(task: Pick<Task, 'dueDate' | 'assigneeContactId'>): string {
  return `${task.dueDate}|${task.assigneeContactId}`;
}

/** Every next follow-up, earliest first. Those with `at <= now` are due. */
export function planFollowUps(world: FollowUpWorld): PlannedFollowUp[] {
  if (world.status !== 'active') return [];
  const planned: PlannedFollowUp[] = [
    ...world.approvals.flatMap((a) => approvalFollowUps(a, world)),
    ...world.tasks.flatMap((t) => taskFollowUps(t, world)),
    ...stallFollowUps(world),
  ];
  return planned.sort((a, b) => a.at.getTime() - b.at.getTime());
}

function approvalFollowUps(request: ApprovalRequest, world: FollowUpWorld): PlannedFollowUp[] {
  if (!request.followUps || request.status !== 'pending') return [];
  const deadline = Date.parse(request.deadline);
  const policy = request.reminderPolicy ?? world.policy.approvals;
  const awaiting = awaitedApprovers(request);
  const out: PlannedFollowUp[] = [];
  let escalation: Date | undefined;
  for (const contactId of awaiting) {
    const isAsked = (a: Approver) => a.contactId === contactId && !a.delegated;
    const org = request.organisations.find((o) => o.approvers.some(isAsked));
    const approver = org?.approvers.find(isAsked);
    if (!org || !approver) continue;
    const next = nextFollowUp({
      since: new Date(approver.askedAt ?? request.requestedAt),
      policy,
      timeZone: approver.timeZone ?? FALLBACK_PROFILE.timeZone,
      hours: approver.workingHours ?? FALLBACK_PROFILE.workingHours,
      progress: approver.reminders ?? { sent: 0, lastAt: null },
      notBefore: request.snoozedUntil ? new Date(request.snoozedUntil) : null,
      now: world.now,
      calendar: world.calendars?.[org.organisationId],
    });
    // Past the deadline the request expires instead, and the coordinator hears of that.
    if (!next || next.at.getTime() >= deadline) continue;
    if (next.kind === 'reminder') {
      out.push({
        kind: 'approval-reminder',
        at: next.at,
        approvalId: request.id,
        contactId,
        reminderNumber: next.reminderNumber,
      });
    } else if (!request.escalatedAt && (!escalation || next.at < escalation)) {
      escalation = next.at;
    }
  }
  if (escalation) {
    out.push({ kind: 'approval-escalation', at: escalation, approvalId: request.id, awaiting });
  }
  return out;
}

function taskFollowUps(task: Task, world: FollowUpWorld): PlannedFollowUp[] {
  const policy = world.policy.overdueTasks;
  if (!policy.enabled || task.status !== 'open' || !task.dueDate || !task.assigneeContactId) {
    return [];
  }
  const profile = world.profiles[task.assigneeContactId] ?? FALLBACK_PROFILE;
  const key = taskFollowUpKey(task);
  const progress = world.taskProgress[task.id];
  const next = nextFollowUp({
    since: overdueFrom(task.dueDate, profile.timeZone),
    policy: {
      firstAfterWorkingMinutes: 0,
      repeatEveryWorkingMinutes: policy.repeatEveryWorkingMinutes,
      maxReminders: policy.maxReminders,
      escalate: false,
    },
    timeZone: profile.timeZone,
    hours: profile.workingHours,
    progress: progress?.key === key ? progress : { sent: 0, lastAt: null },
    now: world.now,
    calendar: profile.organisationId ? world.calendars?.[profile.organisationId] : undefined,
  });
  if (next?.kind !== 'reminder') return [];
  return [
    {
      kind: 'task-overdue',
      at: next.at,
      taskId: task.id,
      contactId: task.assigneeContactId,
      dueDate: task.dueDate,
      key,
      reminderNumber: next.reminderNumber,
    },
  ];
}

function stallFollowUps(world: FollowUpWorld): PlannedFollowUp[] {
  const policy = world.policy.stalledStage;
  if (!policy.enabled || !isStage(world.stage) || world.stage === 'agreed') return [];
  const stall = world.stall ?? { since: world.lastActivityAt, sent: 0, lastAt: null };
  const minutes = workingDays(policy.afterWorkingDays, DEFAULT_WORKING_HOURS);
  const next = nextFollowUp({
    since: new Date(stall.since),
    policy: {
      firstAfterWorkingMinutes: minutes,
      repeatEveryWorkingMinutes: minutes,
      maxReminders: policy.maxReminders,
      escalate: false,
    },
    timeZone: world.policy.coordinator.timeZone,
    hours: DEFAULT_WORKING_HOURS,
    progress: stall,
    now: world.now,
    calendar: world.coordinatorCalendar,
  });
  // The clock is not moved on every action (that would re-arm a timer each time): when it rings
  // after somebody acted, it restarts from that activity instead of reminding. After reminders
  // went out, an activity restarts it at once, so the count starts over.
  if (Date.parse(world.lastActivityAt) > Date.parse(stall.since)) {
    const at = stall.sent > 0 || !next ? world.now : next.at;
    return [{ kind: 'stall-restart', at, since: world.lastActivityAt }];
  }
  if (next?.kind !== 'reminder') return [];
  return [
    {
      kind: 'stage-stalled',
      at: next.at,
      stage: world.stage,
      since: stall.since,
      reminderNumber: next.reminderNumber,
    },
  ];
}
