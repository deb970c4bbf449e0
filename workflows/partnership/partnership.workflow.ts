import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { isTerminalStatus, TimelineEvent } from '../../libs/domain';
import type { PartnershipActivities } from './partnership.activities.contract';
import {
  awaitRecordedUpdate,
  getPartnershipQuery,
  PartnershipFailure,
  PartnershipSearchAttributes,
  PartnershipView,
  PartnershipWorkflowArgs,
  PartnershipWorkflowInput,
  PartnershipWorkflowState,
} from './partnership.contract';

const activities = proxyActivities<PartnershipActivities>({
  // Short: a worker that dies mid-activity is noticed and the activity retried within this time.
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

function initialState(input: PartnershipWorkflowInput): PartnershipWorkflowState {
  return {
    partnershipId: input.partnershipId,
    title: input.title,
    stage: 'introduction',
    status: 'active',
    coordinator: input.coordinator,
    organisationIds: input.organisations.map((o) => o.id),
    requestHash: input.requestHash,
    recorded: false,
    lastSequence: 0,
  };
}

function view(state: PartnershipWorkflowState): PartnershipView {
  return {
    id: state.partnershipId,
    title: state.title,
    stage: state.stage,
    status: state.status,
    recorded: state.recorded,
  };
}

function searchAttributes(state: PartnershipWorkflowState): SearchAttributeUpdatePair[] {
  return [
    { key: PartnershipSearchAttributes.id, value: state.partnershipId },
    { key: PartnershipSearchAttributes.stage, value: state.stage },
    { key: PartnershipSearchAttributes.status, value: state.status },
    { key: PartnershipSearchAttributes.coordinator, value: state.coordinator.email },
    { key: PartnershipSearchAttributes.organisations, value: state.organisationIds },
  ];
}

/**
 * One workflow per partnership, alive for the partnership's whole life. It owns the process state;
 * the database holds a projection of it that only this workflow's activities write.
 */
export async function partnershipWorkflow(args: PartnershipWorkflowArgs): Promise<PartnershipView> {
  const state = args.kind === 'new' ? initialState(args.input) : args.state;

  // Handlers first, before any await: a message delivered in the first activation must find them.
  setHandler(getPartnershipQuery, () => view(state));
  setHandler(
    awaitRecordedUpdate,
    async () => {
      await condition(() => state.recorded);
      return view(state);
    },
    {
      validator: ({ requestHash }) => {
        if (requestHash !== state.requestHash) {
          throw ApplicationFailure.create({
            type: PartnershipFailure.IDEMPOTENCY_KEY_REUSED,
            message: 'This Idempotency-Key was already used for a different request',
            nonRetryable: true,
          });
        }
      },
    },
  );

  upsertSearchAttributes(searchAttributes(state));

  if (args.kind === 'new' && !state.recorded) {
    const created: TimelineEvent = {
      sequence: state.lastSequence + 1,
      type: 'partnership.created',
      actor: args.input.actor,
      occurredAt: args.input.requestedAt,
      payload: {
        title: args.input.title,
        organisationIds: state.organisationIds,
        areas: args.input.areas,
        coordinator: args.input.coordinator,
      },
    };
    await activities.recordPartnership(args.input, created);
    state.lastSequence = created.sequence;
    state.recorded = true;
  }

  await condition(() => isTerminalStatus(state.status) || workflowInfo().continueAsNewSuggested);
  if (isTerminalStatus(state.status)) return view(state);

  // Let in-flight updates finish so none is lost across the continue-as-new boundary.
  await condition(allHandlersFinished);
  return continueAsNew<typeof partnershipWorkflow>({ kind: 'continued', state });
}
