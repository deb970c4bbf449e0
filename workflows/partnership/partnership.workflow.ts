import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { DEFAULT_FOLLOW_UP_POLICY, dueOffsetsOf, tasksFromTemplate } from '../../libs/domain';
import {
  awaitRecordedUpdate,
  decideApprovalUpdate,
  delegateApprovalUpdate,
  getFollowUpsQuery,
  getLiveStateQuery,
  getPartnershipQuery,
  calendarEventNotedSignal,
  changePartnershipUpdate,
  moveTemplateUpdate,
  notificationFailedSignal,
  PartnershipWorkflowResult,
  PartnershipWorkflowArgs,
  PartnershipWorkflowInput,
  PartnershipWorkflowState,
  reopenPartnershipUpdate,
  addCommentUpdate,
  reportTaskUpdate,
  requestApprovalUpdate,
  reviseApprovalUpdate,
  setFollowUpPolicyUpdate,
  setWorkingCalendarsUpdate,
  shareKnowledgeUpdate,
  withdrawApprovalUpdate,
} from './partnership.contract';
import { activities, localActivities } from './activities';
import * as approvals from './approval-handlers';
import { changePartnership, checkChange, PARTNERSHIP_CHANGES_PATCH } from './change-handlers';
import { BEFORE_FOLLOW_UPS } from './before-follow-ups';
import { DUE_DATES_PATCH, setDueDatesOnEntry } from './due-date-handlers';
import { checkTemplateMove, moveTemplate } from './template-handlers';
import { idempotencyKeyReused, inTime } from './failures';
import * as followUps from './follow-up-handlers';
import { checkKnowledge, shareKnowledge } from './knowledge-handlers';
import { checkReport, COORDINATOR_ACTIONS, reportTask } from './lifecycle-handlers';
import { PartnershipRun } from './partnership-run';
import { checkReopen, reopen, REOPEN_CLOSED_PATCH, REOPEN_WINDOW_MS } from './reopen-handlers';
import { addComment, checkComment } from './comment-handlers';
import { project, record } from './projector';
import { liveState, searchAttributes, view } from './views';
import { WITH_FOLLOW_UPS } from './with-follow-ups';

/** Introduced after release: partnerships started before it keep scheduling regular activities. */
export const LOCAL_ACTIVITIES_PATCH = 'record-and-project-as-local-activities';

/**
 * Follow-ups (reminders, escalations, coordinator e-mails) and a separate e-mail loop. Runs that
 * started before it keep their old commands (before-follow-ups.ts).
 */
export const FOLLOW_UPS_PATCH = 'follow-ups';

/**
 * Knowledge sharing (topics, contributions, the gate that may ask for them). Runs that started
 * before it do not take the update until they continue as new.
 */
export const KNOWLEDGE_SHARING_PATCH = 'knowledge-sharing';

/**
 * Gates and templates: a stage's gate may need every partner's consent (the template says so),
 * a send-back clears the consent of the stages it leaves and enters, and a template's approval
 * tasks are completed by the partners' approval only. Runs that started before it keep the old
 * rules until they continue as new.
 */
export const GATE_CONSENT_PATCH = 'gate-consent';

const DEFAULT_MAX_HISTORY_LENGTH = 10_000;

function withoutPartnersAnswer<T extends { answeredBy?: 'partners' }>(task: T): T {
  const copy = { ...task };
  delete copy.answeredBy;
  return copy;
}

function initialState(
  input: PartnershipWorkflowInput,
  gateConsent: boolean,
  dueDates: boolean,
): PartnershipWorkflowState {
  return {
    partnershipId: input.partnershipId,
    title: input.title,
    stage: 'introduction',
    status: 'active',
    coordinator: input.coordinator,
    organisationIds: input.organisations.map((o) => o.id),
    requestHash: input.requestHash,
    recorded: false,
    // Sequence 1 is the partnership.created event; an action taken before it is recorded numbers after it.
    lastSequence: 1,
    projectedSequence: 0,
    // A run without the gate-consent patch keeps every task the coordinator's to complete, as the
    // code before it did: a template's partners-only tasks are so only under the patch.
    tasks: tasksFromTemplate(input.template?.tasks ?? []).map((t) =>
      gateConsent ? t : withoutPartnersAnswer(t),
    ),
    contactIds: input.contactIds ?? [],
    templateKey: input.template?.key ?? 'default',
    templateVersion: input.template?.version ?? 1,
    maxHistoryLength: input.maxHistoryLength ?? DEFAULT_MAX_HISTORY_LENGTH,
    generation: 0,
    followUpPolicy: input.followUpPolicy ?? DEFAULT_FOLLOW_UP_POLICY,
    contactProfiles: Object.fromEntries(
      input.organisations.flatMap((o) =>
        o.contacts.map((c) => [
          c.id,
          {
            timeZone: c.timeZone,
            workingHours: c.workingHours,
            // Whose calendar applies; only runs given calendars say it (older states stay as they were).
            ...(input.calendars ? { organisationId: o.id } : {}),
          },
        ]),
      ),
    ),
    lastActivityAt: input.requestedAt,
    ...(input.calendars ? { calendars: input.calendars } : {}),
    ...(dueDates ? { dueOffsets: dueOffsetsOf(input.template?.tasks ?? []) } : {}),
    ...(input.coordinatorCalendar ? { coordinatorCalendar: input.coordinatorCalendar } : {}),
    ...(gateConsent
      ? {
          // Gate requests are stamped with workflow time: never later than the first of them,
          // whatever the API's clock said (the earlier of the two ISO instants).
          stageEnteredAt: [input.requestedAt, new Date().toISOString()].sort()[0],
          ...(input.template?.gates ? { gateRules: input.template.gates } : {}),
        }
      : {}),
  };
}

/**
 * One workflow per partnership, alive for the partnership's whole life. It owns the process state
 * (stage, status, tasks, gate, approvals, follow-ups); PostgreSQL holds a projection that only its
 * activities write. Handlers decide through the pure rule book and answer once their events are
 * projected; the projector below writes them in order; the run continues as new when long.
 */
export async function partnershipWorkflow(
  args: PartnershipWorkflowArgs,
): Promise<PartnershipWorkflowResult> {
  // Decided once, at the start of each run, so every later call takes the same path on replay.
  const store = patched(LOCAL_ACTIVITIES_PATCH) ? localActivities : activities;
  const mode = patched(FOLLOW_UPS_PATCH) ? WITH_FOLLOW_UPS : BEFORE_FOLLOW_UPS;
  const knowledgeSharing = patched(KNOWLEDGE_SHARING_PATCH);
  const gateConsent = patched(GATE_CONSENT_PATCH);
  const partnershipChanges = patched(PARTNERSHIP_CHANGES_PATCH);
  const dueDates = patched(DUE_DATES_PATCH);
  const reopenClosed = patched(REOPEN_CLOSED_PATCH);
  const run = new PartnershipRun(
    args.kind === 'new' ? initialState(args.input, gateConsent, dueDates) : args.state,
    store,
    mode,
  );
  run.gateConsent = gateConsent;
  run.awaitingReopen = args.kind === 'reopened';
  const { state } = run;
  // The rule book compares a change of areas with the current ones.
  if (partnershipChanges && args.kind === 'new' && !state.areas) state.areas = args.input.areas;

  // Handlers first, before any await: a message delivered in the first activation must find them.
  setHandler(getPartnershipQuery, () => view(state));
  setHandler(getLiveStateQuery, () => liveState(state));
  setHandler(awaitRecordedUpdate, () => condition(() => state.recorded).then(() => view(state)), {
    validator: (a) =>
      inTime(run, () => {
        if (a.requestHash !== state.requestHash) throw idempotencyKeyReused();
      }),
  });
  for (const register of COORDINATOR_ACTIONS) register(run);
  setHandler(reportTaskUpdate, (a) => reportTask(run, a), {
    validator: (a) => inTime(run, () => checkReport(run, a)),
  });
  setHandler(requestApprovalUpdate, (a) => approvals.request(run, a), {
    validator: (a) => inTime(run, () => approvals.checkRequest(run, a)),
  });
  setHandler(decideApprovalUpdate, (a) => approvals.decideRequest(run, a), {
    validator: (a) => inTime(run, () => approvals.checkDecision(run, a)),
  });
  setHandler(withdrawApprovalUpdate, (a) => approvals.withdraw(run, a), {
    validator: (a) => inTime(run, () => approvals.checkWithdrawal(run, a)),
  });
  setHandler(delegateApprovalUpdate, (a) => approvals.delegate(run, a), {
    validator: (a) => inTime(run, () => approvals.checkDelegation(run, a)),
  });
  setHandler(reviseApprovalUpdate, (a) => approvals.revise(run, a), {
    validator: (a) => inTime(run, () => approvals.checkRevision(run, a)),
  });
  setHandler(setFollowUpPolicyUpdate, (a) => followUps.setPolicy(run, a), {
    validator: (a) => inTime(run, () => followUps.checkPolicy(run, a)),
  });
  setHandler(setWorkingCalendarsUpdate, (a) => followUps.setCalendars(run, a), {
    validator: (a) => inTime(run, () => followUps.checkCalendars(run, a)),
  });
  if (knowledgeSharing) {
    setHandler(shareKnowledgeUpdate, (a) => shareKnowledge(run, a), {
      validator: (a) => inTime(run, () => checkKnowledge(run, a)),
    });
  }
  if (partnershipChanges) {
    setHandler(changePartnershipUpdate, (a) => changePartnership(run, a), {
      validator: (a) => inTime(run, () => checkChange(run, a)),
    });
    setHandler(moveTemplateUpdate, (a) => moveTemplate(run, a), {
      validator: (a) => inTime(run, () => checkTemplateMove(run, a)),
    });
  }
  if (reopenClosed) {
    setHandler(reopenPartnershipUpdate, (a) => reopen(run, a), {
      validator: (a) => inTime(run, () => checkReopen(run, a)),
    });
  }
  // Every run takes comments: a new update adds no command to a history that never had one.
  setHandler(addCommentUpdate, (a) => addComment(run, a), {
    validator: (a) => inTime(run, () => checkComment(run, a)),
  });
  setHandler(getFollowUpsQuery, () => ({
    policy: run.policy(),
    enabled: mode.followUps,
    lastActivityAt: state.lastActivityAt ?? null,
    planned: mode.planned(run),
  }));
  setHandler(notificationFailedSignal, (a) => followUps.notificationFailed(run, a));
  setHandler(calendarEventNotedSignal, (a) => followUps.calendarEventNoted(run, a));

  // A continued run picks up the deadlines of requests still pending.
  for (const request of run.approvals()) approvals.watchDeadline(run, request.id);
  upsertSearchAttributes(searchAttributes(state));
  if (args.kind === 'new' && !state.recorded) {
    await record(run, args.input);
    // The first stage's template tasks take their due dates from the day it starts.
    const due = setDueDatesOnEntry(
      run,
      state.stage,
      state.stageEnteredAt ?? args.input.requestedAt,
    );
    if (due.length > 0) run.emit({ kind: 'system' }, due);
  }
  // What a run that ends closed returns: its state, from which a reopen starts the next run.
  const result = (): PartnershipWorkflowResult =>
    reopenClosed && state.status === 'closed'
      ? { ...view(state), carried: run.continuedState() }
      : view(state);
  if (args.kind === 'reopened') {
    // Started with its reopen (update-with-start): the handler sets the status in the first
    // activation. A refused or lost reopen leaves the partnership closed: end again, open no loop.
    if (!(await condition(() => !run.ended, REOPEN_WINDOW_MS))) return result();
  }
  mode.startLoops(run);

  const shouldContinueAsNew = (): boolean =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= state.maxHistoryLength;

  // The projector: writes decided events to the read model in order, batching what piled up.
  for (;;) {
    await condition(
      () =>
        run.pending.length > 0 || mode.projectorHasMail(run) || run.ended || shouldContinueAsNew(),
    );
    if (run.pending.length > 0) {
      await project(run);
      continue;
    }
    if (mode.projectorHasMail(run)) {
      await mode.sendFromProjector(run);
      continue;
    }
    // From here new updates are refused (the sender retries against the next run), so that
    // the drain ends even under a steady stream of them.
    if (!run.ended) run.continuing = true;
    // Let in-flight updates finish: none is lost at the end or across continue-as-new.
    await condition(allHandlersFinished);
    if (!(await mode.drained(run))) continue;
    if (run.ended) return result();
    return continueAsNew<typeof partnershipWorkflow>({
      kind: 'continued',
      state: run.continuedState(),
    });
  }
}
