import type { TimelineEvent } from '../../libs/domain';
import type { PartnershipWorkflowInput } from './partnership.contract';
import { PartnershipRun } from './partnership-run';

/** Writes the partnership and its first event to the read model (once: keyed by its id). */
export async function record(run: PartnershipRun, input: PartnershipWorkflowInput): Promise<void> {
  const { state } = run;
  const created: TimelineEvent = {
    sequence: 1,
    type: 'partnership.created',
    actor: input.actor,
    occurredAt: input.requestedAt,
    payload: {
      title: input.title,
      organisationIds: state.organisationIds,
      areas: input.areas,
      coordinator: input.coordinator,
      templateVersion: state.templateVersion,
    },
  };
  await run.store.recordPartnership(input, created);
  state.projectedSequence = 1;
  state.recorded = true;
}

/**
 * Writes every decided event to the read model in order, in one batch, with the state after it:
 * the partnership row, its tasks, and the approval requests that changed (only those).
 */
export async function project(run: PartnershipRun): Promise<void> {
  const { state } = run;
  const batch = run.pending.splice(0, run.pending.length);
  const last = batch[batch.length - 1];
  const approvals = run.takeChangedApprovals();
  // Taken now: a change made while this projection runs goes with the next one.
  const details = run.detailsChanged
    ? {
        title: state.title,
        ...(state.areas ? { areas: state.areas } : {}),
        coordinator: { name: state.coordinator.name, email: state.coordinator.email },
        organisationIds: state.organisationIds,
        ...(state.inactiveContactIds ? { inactiveContactIds: state.inactiveContactIds } : {}),
        contactIds: state.contactIds,
      }
    : undefined;
  const contacts = run.changedContacts.splice(0, run.changedContacts.length);
  const addedOrganisations = run.addedOrganisations.splice(0, run.addedOrganisations.length);
  const addedContacts = run.addedContacts.splice(0, run.addedContacts.length);
  run.detailsChanged = false;
  const template = run.movedTemplate;
  run.movedTemplate = undefined;
  await run.store.projectChanges(
    {
      partnershipId: state.partnershipId,
      stage: state.stage,
      status: state.status,
      sequence: last.sequence,
      occurredAt: last.occurredAt,
      tasks: state.tasks,
      approvals,
      ...(state.stageEnteredAt ? { stageEnteredAt: state.stageEnteredAt } : {}),
      ...(details ? { details } : {}),
      ...(contacts.length > 0 ? { contacts } : {}),
      ...(template ? { template } : {}),
      ...(addedOrganisations.length > 0 ? { addedOrganisations } : {}),
      ...(addedContacts.length > 0 ? { addedContacts } : {}),
      ...run.mode.projectionExtras(run),
    },
    batch,
  );
  state.projectedSequence = last.sequence;
  // PostgreSQL has them now: closed requests and document text leave the workflow's state.
  run.compactApprovals();
}
