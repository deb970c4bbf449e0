import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { ApplicationFailure } from '@temporalio/common';
import {
  closeApproval,
  contactsOfOrganisation,
  decideChange,
  DEFAULT_WORKING_HOURS,
  delegateApproval,
  handOverPlan,
  releaseApprover,
  type PartnerChange,
  type PartnerContactInput,
  givenContactChanges,
  normalisedAreas,
  type ChangeablePartnership,
  type ChangeDecision,
  type ContactChanges,
} from '../../libs/domain';
import type { ChangePartnershipArgs, PartnershipLiveState } from './partnership.contract';
import type { EventDraft, PartnershipRun } from './partnership-run';
import { liveState, searchAttributes } from './views';

/**
 * Changes to a partnership's own details (rename, areas, coordinator, a contact, an organisation
 * leaving): runs that started before it do not take the update until they continue as new.
 */
export const PARTNERSHIP_CHANGES_PATCH = 'partnership-changes';

/**
 * Partners joining and leaving (an organisation added, a contact added, deactivated or
 * reactivated): marked in history where a run takes the first such change.
 */
export const PARTNER_CHANGES_PATCH = 'partner-changes';

function changeable(run: PartnershipRun): ChangeablePartnership {
  const { state } = run;
  return {
    status: state.status,
    title: state.title,
    ...(state.areas ? { areas: state.areas } : {}),
    coordinator: state.coordinator,
    organisationIds: state.organisationIds,
    contactIds: state.contactIds,
    contactProfiles: state.contactProfiles ?? {},
    inactiveContactIds: state.inactiveContactIds ?? [],
    approvals: run.approvals().filter((r) => r.status === 'pending'),
  };
}

function changeFailure(decision: ChangeDecision): ApplicationFailure {
  if (decision.ok) throw new Error('not a refusal');
  return ApplicationFailure.create({
    type: decision.code,
    message: decision.message,
    nonRetryable: true,
    details: [
      decision.problems.length > 0
        ? { problems: decision.problems.map((p) => p.messages).flat(), errors: decision.problems }
        : { blockers: [] },
    ],
  });
}

/** The validator: the rule book alone, so a refused change leaves no trace in history. */
export function checkChange(run: PartnershipRun, arg: ChangePartnershipArgs): void {
  const decision = decideChange(changeable(run), arg.change);
  if (!decision.ok) throw changeFailure(decision);
}

/**
 * The handler: applies the change in the same activation as its decision (a concurrent update is
 * validated against the new state), records it with its actor, and answers once it is in the
 * read model. A contact's new zone or hours re-plan their pending follow-ups at once (the plan
 * version moves with every event).
 */
export async function changePartnership(
  run: PartnershipRun,
  arg: ChangePartnershipArgs,
): Promise<PartnershipLiveState> {
  const decision = decideChange(changeable(run), arg.change);
  if (!decision.ok) throw changeFailure(decision);
  const { state } = run;
  const { change } = arg;
  const comment = arg.comment?.trim() ? { comment: arg.comment.trim() } : {};
  const drafts: EventDraft[] = decision.events.map((e) => ({
    ...e,
    payload: { ...e.payload, ...comment },
  }));
  let searchable = false;
  switch (change.kind) {
    case 'details':
      if (change.title !== undefined) state.title = change.title.trim();
      if (change.areas !== undefined) state.areas = normalisedAreas(change.areas);
      if (change.coordinator !== undefined) {
        state.coordinator = {
          ...state.coordinator,
          name: change.coordinator.name.trim(),
          email: change.coordinator.email.trim().toLowerCase(),
        };
        searchable = true;
      }
      break;
    case 'updateContact':
      applyContact(run, change.contactId, givenContactChanges(change), change.replanOnly);
      break;
    case 'removeOrganisation':
      drafts.push(...removeOrganisation(run, change.organisationId, change.contactIds ?? []));
      searchable = true;
      break;
    default:
      patched(PARTNER_CHANGES_PATCH);
      drafts.push(...applyPartnerChange(run, change));
      searchable = change.kind === 'addOrganisation';
      break;
  }
  run.detailsChanged = true;
  const sequence = run.emit(arg.actor, drafts);
  if (change.kind === 'deactivateContact' && change.delegateTo) {
    // The delegate is asked by e-mail, with their own link, once the hand-over is recorded.
    for (const draft of drafts.filter((d) => d.type === 'approval.delegated')) {
      run.queueRequestEmails(sequence, draft.payload.approvalId as string, [change.delegateTo]);
    }
  }
  if (searchable) upsertSearchAttributes(searchAttributes(state));
  await run.awaitProjected(sequence);
  return liveState(state);
}

/** A contact's new details: their profile, and their place in pending requests. */
function applyContact(
  run: PartnershipRun,
  contactId: string,
  changes: ContactChanges,
  replanOnly = false,
): void {
  const { state } = run;
  const profiles = state.contactProfiles ?? {};
  const before = profiles[contactId];
  if (changes.timeZone !== undefined || changes.workingHours !== undefined) {
    const profile = {
      ...(before ?? { timeZone: 'UTC', workingHours: DEFAULT_WORKING_HOURS }),
      ...(changes.timeZone !== undefined ? { timeZone: changes.timeZone } : {}),
      ...(changes.workingHours !== undefined ? { workingHours: changes.workingHours } : {}),
    };
    state.contactProfiles = { ...profiles, [contactId]: profile };
    // An approver's reminders go out inside the zone and hours they had when asked: the new
    // ones apply to the requests still pending.
    for (const request of run.approvals()) {
      if (request.status !== 'pending') continue;
      let touched = false;
      const organisations = request.organisations.map((o) => ({
        ...o,
        approvers: o.approvers.map((a) => {
          if (a.contactId !== contactId || a.decision !== null || a.delegated) return a;
          touched = true;
          return { ...a, timeZone: profile.timeZone, workingHours: profile.workingHours };
        }),
      }));
      if (touched) run.replaceApproval({ ...request, organisations });
    }
  }
  if (!replanOnly) run.changedContacts.push({ id: contactId, ...changes });
}

/**
 * An organisation leaves: its pending approvals are withdrawn (every pending request that asks
 * it), its contacts' open tasks lose their assignee, and its contacts leave the partnership.
 */
function removeOrganisation(
  run: PartnershipRun,
  organisationId: string,
  contactIds: string[],
): EventDraft[] {
  const { state } = run;
  const drafts: EventDraft[] = [];
  const now = new Date().toISOString();
  for (const request of run.approvals()) {
    if (!request.organisations.some((o) => o.organisationId === organisationId)) continue;
    const closed = closeApproval(request, 'withdrawn', now);
    if (!closed.ok) continue;
    run.replaceApproval(closed.request);
    drafts.push({
      type: 'approval.withdrawn',
      payload: { approvalId: request.id, reason: 'organisation removed' },
    });
  }
  const leaving = new Set([
    ...contactIds.filter(
      (id) => state.contactIds.includes(id) || (state.inactiveContactIds ?? []).includes(id),
    ),
    ...contactsOfOrganisation(state.contactProfiles ?? {}, organisationId),
    ...run
      .approvals()
      .flatMap((r) => r.organisations)
      .filter((o) => o.organisationId === organisationId)
      .flatMap((o) => o.approvers.map((a) => a.contactId)),
  ]);
  state.tasks = state.tasks.map((task) => {
    if (task.status === 'done' || !task.assigneeContactId || !leaving.has(task.assigneeContactId)) {
      return task;
    }
    drafts.push({ type: 'task.assigned', payload: { taskId: task.id, assigneeContactId: null } });
    return { ...task, assigneeContactId: null };
  });
  state.organisationIds = state.organisationIds.filter((id) => id !== organisationId);
  state.contactIds = state.contactIds.filter((id) => !leaving.has(id));
  if (state.inactiveContactIds) {
    state.inactiveContactIds = state.inactiveContactIds.filter((id) => !leaving.has(id));
  }
  return drafts;
}

/** A contact's profile in the workflow: their zone and hours, and whose they are. */
function takeContact(run: PartnershipRun, organisationId: string, c: PartnerContactInput): void {
  const { state } = run;
  if (!state.contactIds.includes(c.id)) state.contactIds = [...state.contactIds, c.id];
  state.contactProfiles = {
    ...(state.contactProfiles ?? {}),
    [c.id]: { timeZone: c.timeZone, workingHours: c.workingHours, organisationId },
  };
}

/**
 * Who takes part changes (the rule book decided it is legal): an organisation or a contact
 * joins, or a contact stops or starts again taking part. Returns the events it adds to the one
 * the rule book decided (hand-overs of approvals and tasks).
 */
function applyPartnerChange(run: PartnershipRun, change: PartnerChange): EventDraft[] {
  const { state } = run;
  switch (change.kind) {
    case 'addOrganisation': {
      const { organisation } = change;
      state.organisationIds = [...state.organisationIds, organisation.id];
      for (const c of organisation.contacts) takeContact(run, organisation.id, c);
      // An organisation that left and comes back: its contacts all take part again.
      if (state.inactiveContactIds) {
        const joining = new Set(organisation.contacts.map((c) => c.id));
        state.inactiveContactIds = state.inactiveContactIds.filter((id) => !joining.has(id));
      }
      if (change.calendar) {
        state.calendars = { ...(state.calendars ?? {}), [organisation.id]: change.calendar };
      }
      run.addedOrganisations.push(organisation);
      return [];
    }
    case 'addContact':
      takeContact(run, change.organisationId, change.contact);
      if (state.inactiveContactIds) {
        state.inactiveContactIds = state.inactiveContactIds.filter(
          (id) => id !== change.contact.id,
        );
      }
      run.addedContacts.push({ organisationId: change.organisationId, ...change.contact });
      return [];
    case 'deactivateContact':
      return deactivateContact(run, change);
    case 'reactivateContact':
      state.inactiveContactIds = (state.inactiveContactIds ?? []).filter(
        (id) => id !== change.contactId,
      );
      state.contactIds = [...state.contactIds, change.contactId];
      return [];
  }
}

/**
 * A contact stops taking part: the colleague named takes over the approvals they still had to
 * answer (the rule book has checked each hand-over is legal) and their open tasks, which are
 * otherwise left unassigned; they are no valid approver or assignee any more.
 */
function deactivateContact(
  run: PartnershipRun,
  change: Extract<PartnerChange, { kind: 'deactivateContact' }>,
): EventDraft[] {
  const { state } = run;
  const { contactId, delegateTo } = change;
  const drafts: EventDraft[] = [];
  // The plan the rule book checked: each request to the colleague named, or released to the
  // organisation's other approvers.
  for (const { approvalId, how } of handOverPlan(run.approvals(), change)) {
    const request = run.findApproval(approvalId)!;
    if (how === 'release') {
      const released = releaseApprover(request, contactId);
      if (released.ok) run.replaceApproval(released.request);
      continue;
    }
    if (how !== 'delegate' || !delegateTo) continue; // refused by the rule book; never reached
    const args = {
      actor: { kind: 'system' as const },
      approvalId,
      fromContactId: contactId,
      toContactId: delegateTo,
      toOrganisationId: change.organisationId,
      ...(change.delegateProfile ? { toProfile: change.delegateProfile } : {}),
    };
    const result = delegateApproval(request, { ...args, ...run.mode.delegationExtras(run, args) });
    if (!result.ok) continue;
    run.replaceApproval(result.request);
    drafts.push({
      type: 'approval.delegated',
      payload: { approvalId, from: contactId, to: delegateTo },
    });
  }
  state.tasks = state.tasks.map((task) => {
    if (task.status === 'done' || task.assigneeContactId !== contactId) return task;
    const assigneeContactId = delegateTo ?? null;
    drafts.push({ type: 'task.assigned', payload: { taskId: task.id, assigneeContactId } });
    return { ...task, assigneeContactId };
  });
  state.contactIds = state.contactIds.filter((id) => id !== contactId);
  state.inactiveContactIds = [...(state.inactiveContactIds ?? []), contactId];
  return drafts;
}
