import type { SearchAttributeUpdatePair } from '@temporalio/common';
import {
  currentGateConsent,
  decide,
  gateBlockers,
  isTerminalStatus,
  PlannedFollowUp,
} from '../../libs/domain';
import {
  PartnershipLiveState,
  PartnershipSearchAttributes,
  PartnershipWorkflowSummary,
  PartnershipWorkflowState,
  PlannedFollowUpView,
} from './partnership.contract';

/** What the partnership query and the create call answer. */
export function view(state: PartnershipWorkflowState): PartnershipWorkflowSummary {
  return {
    id: state.partnershipId,
    title: state.title,
    stage: state.stage,
    status: state.status,
    recorded: state.recorded,
  };
}

/** What the live-state query and every coordinator update answer. */
export function liveState(state: PartnershipWorkflowState): PartnershipLiveState {
  const blockers = isTerminalStatus(state.status) ? [] : gateBlockers(lifecycleOf(state));
  return {
    ...view(state),
    tasks: state.tasks,
    gate: {
      open: blockers.length === 0 && !isTerminalStatus(state.status),
      blockers,
      consent: currentGateConsent(lifecycleOf(state)),
    },
    lastSequence: state.lastSequence,
    templateVersion: state.templateVersion,
    followUpPolicy: state.followUpPolicy,
  };
}

/** The lifecycle rule book's view of the state (approvals included: they hold the gate). */
export function lifecycleOf(state: PartnershipWorkflowState): Parameters<typeof decide>[0] {
  return {
    stage: state.stage,
    status: state.status,
    tasks: state.tasks,
    contactIds: state.contactIds,
    approvals: state.approvals ?? [],
    knowledge: state.knowledge,
    organisationIds: state.organisationIds,
    gateRules: state.gateRules,
    stageEnteredAt: state.stageEnteredAt,
  };
}

export function searchAttributes(state: PartnershipWorkflowState): SearchAttributeUpdatePair[] {
  return [
    { key: PartnershipSearchAttributes.id, value: state.partnershipId },
    { key: PartnershipSearchAttributes.stage, value: state.stage },
    { key: PartnershipSearchAttributes.status, value: state.status },
    { key: PartnershipSearchAttributes.coordinator, value: state.coordinator.email },
    { key: PartnershipSearchAttributes.organisations, value: state.organisationIds },
  ];
}

/** A planned follow-up as the follow-ups query shows it; internal restarts are not shown. */
export function plannedView(item: PlannedFollowUp): PlannedFollowUpView | undefined {
  if (item.kind === 'stall-restart') return undefined;
  if (item.kind === 'task-overdue') {
    const { taskId, contactId, dueDate, reminderNumber } = item;
    return {
      kind: item.kind,
      at: item.at.toISOString(),
      taskId,
      contactId,
      dueDate,
      reminderNumber,
    };
  }
  return { ...item, at: item.at.toISOString() } as PlannedFollowUpView;
}
