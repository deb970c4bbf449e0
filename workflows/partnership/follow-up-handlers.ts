import { patched } from '@temporalio/workflow';
import {
  followUpPolicyProblems,
  FollowUpPolicy,
  mergeFollowUpPolicy,
  PlannedFollowUp,
  planFollowUps,
  WorkingCalendar,
  workingCalendarsProblems,
} from '../../libs/domain';
import type {
  CalendarEventNotedArgs,
  NotificationFailedArgs,
  PlannedFollowUpView,
  SetFollowUpPolicyArgs,
  SetWorkingCalendarsArgs,
} from './partnership.contract';
import { endedFailure, invalid } from './failures';
import { PartnershipRun } from './partnership-run';
import { plannedView } from './views';

/** Failed-notification keys remembered to record each failure once. */
const MAX_FAILED_NOTIFICATION_KEYS = 500;

export function checkPolicy(run: PartnershipRun, arg: SetFollowUpPolicyArgs): void {
  const ended = endedFailure(run.state.status);
  if (ended) throw ended;
  const problems = followUpPolicyProblems(mergeFollowUpPolicy(run.policy(), arg.patch));
  if (problems.length > 0) throw invalid('VALIDATION_FAILED', problems, 'followUpPolicy');
  if (arg.coordinatorCalendar) checkCoordinatorCalendar(arg.coordinatorCalendar);
}

function checkCoordinatorCalendar(calendar: WorkingCalendar): void {
  const problems = workingCalendarsProblems({ coordinator: calendar }, ['coordinator']);
  if (problems.length > 0) throw invalid('VALIDATION_FAILED', problems, 'calendars');
}

export async function setPolicy(
  run: PartnershipRun,
  arg: SetFollowUpPolicyArgs,
): Promise<FollowUpPolicy> {
  const next = mergeFollowUpPolicy(run.policy(), arg.patch);
  run.state.followUpPolicy = next;
  if (arg.coordinatorCalendar) run.state.coordinatorCalendar = arg.coordinatorCalendar;
  const sequence = run.emit(arg.actor, [
    { type: 'reminder_policy.changed', payload: { policy: next } },
  ]);
  await run.awaitProjected(sequence);
  return next;
}

/** A notification the worker could not deliver goes on the timeline, once per key. */
export function notificationFailed(run: PartnershipRun, arg: NotificationFailedArgs): void {
  const seen = run.state.failedNotifications ?? [];
  if (seen.includes(arg.key)) return;
  run.state.failedNotifications = [...seen, arg.key].slice(-MAX_FAILED_NOTIFICATION_KEYS);
  run.emit({ kind: 'system' }, [{ type: 'notification.failed', payload: { ...arg } }]);
}

/**
 * Events of the partnership: runs from before this patch never saw the signal; from it on, each
 * change (by its key) becomes one `calendar_event.<change>` entry.
 */
export const CALENDAR_EVENTS_TIMELINE_PATCH = 'calendar-events-timeline';

export function calendarEventNoted(run: PartnershipRun, arg: CalendarEventNotedArgs): void {
  if (!patched(CALENDAR_EVENTS_TIMELINE_PATCH)) return;
  const seen = run.state.notedCalendarEvents ?? [];
  if (seen.includes(arg.key)) return;
  run.state.notedCalendarEvents = [...seen, arg.key].slice(-MAX_FAILED_NOTIFICATION_KEYS);
  const { actor, change, ...rest } = arg;
  // The key is the workflow's bookkeeping, not the timeline's.
  const payload: Record<string, unknown> = { ...rest };
  delete payload.key;
  run.emit(actor, [{ type: `calendar_event.${change}`, payload }]);
}

/** What the follow-up rule book plans from. */
export function followUpWorld(run: PartnershipRun, now: Date): Parameters<typeof planFollowUps>[0] {
  const { state } = run;
  return {
    now,
    status: state.status,
    stage: state.stage,
    policy: run.policy(),
    approvals: run.approvals(),
    tasks: state.tasks,
    profiles: state.contactProfiles ?? {},
    taskProgress: state.taskFollowUps ?? {},
    stall: state.stall ?? null,
    lastActivityAt: state.lastActivityAt ?? now.toISOString(),
    ...(state.calendars ? { calendars: state.calendars } : {}),
    ...(state.coordinatorCalendar ? { coordinatorCalendar: state.coordinatorCalendar } : {}),
  };
}

export function checkCalendars(run: PartnershipRun, arg: SetWorkingCalendarsArgs): void {
  const ended = endedFailure(run.state.status);
  if (ended) throw ended;
  const problems = workingCalendarsProblems(arg.calendars, run.state.organisationIds);
  if (problems.length > 0) throw invalid('VALIDATION_FAILED', problems, 'calendars');
  if (arg.coordinator) checkCoordinatorCalendar(arg.coordinator);
}

/** Takes the new calendars and plans the pending follow-ups again in them. */
export function setCalendars(
  run: PartnershipRun,
  arg: SetWorkingCalendarsArgs,
): PlannedFollowUpView[] {
  const { state } = run;
  const known = state.calendarRevisions ?? {};
  // A snapshot built before the one the workflow has (a late update) is skipped.
  const fresh = Object.entries(arg.calendars).filter(
    ([id]) => arg.revisions?.[id] === undefined || arg.revisions[id] >= (known[id] ?? 0),
  );
  state.calendars = { ...state.calendars, ...Object.fromEntries(fresh) };
  if (arg.revisions) {
    const taken = fresh.filter(([id]) => arg.revisions?.[id] !== undefined);
    state.calendarRevisions = {
      ...known,
      ...Object.fromEntries(taken.map(([id]) => [id, arg.revisions![id]])),
    };
  }
  if (arg.coordinator && coordinatorStillThere(run, arg.coordinatorPlace)) {
    state.coordinatorCalendar = arg.coordinator;
  }
  run.planVersion += 1;
  return run.mode.planned(run);
}

/** Whether the policy still says the coordinator works at `place` (no place: the caller vouches). */
function coordinatorStillThere(
  run: PartnershipRun,
  place: SetWorkingCalendarsArgs['coordinatorPlace'],
): boolean {
  if (!place) return true;
  const { country, region } = run.policy().coordinator;
  return country === place.country && (region ?? '').trim() === place.region.trim();
}

/** The follow-ups planned from now, as the follow-ups query shows them. */
export function plannedFollowUps(run: PartnershipRun): PlannedFollowUpView[] {
  return planFollowUps(followUpWorld(run, new Date()))
    .map(plannedView)
    .filter((v): v is PlannedFollowUpView => v !== undefined);
}

/**
 * Applies one due follow-up: records progress at once, so it is never planned again. Progress
 * keeps the planned instant (not the moment the timer fired), so the schedule does not drift.
 */
export function applyFollowUp(run: PartnershipRun, item: PlannedFollowUp): void {
  const { state } = run;
  const at = item.at.toISOString();
  switch (item.kind) {
    case 'approval-reminder': {
      const request = run.findApproval(item.approvalId)!;
      run.replaceApproval({
        ...request,
        organisations: request.organisations.map((o) => ({
          ...o,
          approvers: o.approvers.map((a) =>
            a.contactId === item.contactId && !a.delegated
              ? { ...a, reminders: { sent: item.reminderNumber, lastAt: at } }
              : a,
          ),
        })),
      });
      run.planVersion += 1;
      run.queueEmail(state.lastSequence, {
        kind: 'approval-reminder',
        approvalId: item.approvalId,
        contactId: item.contactId,
        reminderNumber: item.reminderNumber,
      });
      return;
    }
    case 'approval-escalation': {
      const request = run.findApproval(item.approvalId)!;
      run.replaceApproval({ ...request, escalatedAt: at });
      const sequence = run.emit({ kind: 'system' }, [
        {
          type: 'approval.escalated',
          payload: {
            approvalId: item.approvalId,
            subject: request.subject,
            awaiting: item.awaiting,
          },
        },
      ]);
      run.queueEmail(sequence, {
        kind: 'approval-escalation',
        approvalId: item.approvalId,
        awaiting: item.awaiting,
      });
      return;
    }
    case 'task-overdue':
      state.taskFollowUps = {
        ...(state.taskFollowUps ?? {}),
        [item.taskId]: { key: item.key, sent: item.reminderNumber, lastAt: at },
      };
      run.planVersion += 1;
      run.queueEmail(state.lastSequence, {
        kind: 'task-overdue',
        taskId: item.taskId,
        contactId: item.contactId,
        dueDate: item.dueDate,
        reminderNumber: item.reminderNumber,
      });
      return;
    case 'stage-stalled':
      state.stall = { since: item.since, sent: item.reminderNumber, lastAt: at };
      run.planVersion += 1;
      run.queueEmail(state.lastSequence, {
        kind: 'stage-stalled',
        stage: item.stage,
        since: item.since,
        reminderNumber: item.reminderNumber,
      });
      return;
    case 'stall-restart':
      state.stall = { since: item.since, sent: 0, lastAt: null };
      run.planVersion += 1;
      return;
  }
}
