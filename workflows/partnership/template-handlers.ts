import { patched } from '@temporalio/workflow';
import { ApplicationFailure } from '@temporalio/common';
import {
  closeApproval,
  decideTemplateMove,
  dueOffsetsOf,
  type TemplateMoveDecision,
} from '../../libs/domain';
import { setDueDatesOnEntry } from './due-date-handlers';
import type { MoveTemplateArgs, PartnershipLiveState } from './partnership.contract';
import type { EventDraft, PartnershipRun } from './partnership-run';
import { liveState } from './views';

/**
 * Marks the histories of runs that moved to a newer template version. The update only exists in
 * runs with PARTNERSHIP_CHANGES_PATCH; the marker lets a later change of the move's behaviour
 * tell these histories apart.
 */
export const TEMPLATE_MOVE_PATCH = 'template-move';

function decide(run: PartnershipRun, arg: MoveTemplateArgs): TemplateMoveDecision {
  const { state } = run;
  return decideTemplateMove(
    {
      status: state.status,
      stage: state.stage,
      templateKey: state.templateKey,
      templateVersion: state.templateVersion,
      tasks: state.tasks,
      approvals: run.approvals(),
    },
    arg.template,
  );
}

function refusal(decision: TemplateMoveDecision): ApplicationFailure {
  if (decision.ok) throw new Error('not a refusal');
  return ApplicationFailure.create({
    type: decision.code,
    message: decision.message,
    nonRetryable: true,
    details: [{ blockers: [] }],
  });
}

/** The validator: the rule book alone, so a refused move leaves no trace in history. */
export function checkTemplateMove(run: PartnershipRun, arg: MoveTemplateArgs): void {
  const decision = decide(run, arg);
  if (!decision.ok) throw refusal(decision);
}

/**
 * The handler: the partnership's tasks and gate rules become the new version's (decided and
 * applied in one activation), the pending requests about dropped tasks are withdrawn, and one
 * event says what changed; it answers once the read model has it.
 */
export async function moveTemplate(
  run: PartnershipRun,
  arg: MoveTemplateArgs,
): Promise<PartnershipLiveState> {
  const decision = decide(run, arg);
  if (!decision.ok) throw refusal(decision);
  patched(TEMPLATE_MOVE_PATCH);
  const { state } = run;
  const from = state.templateVersion;
  const comment = arg.comment?.trim() ? { comment: arg.comment.trim() } : {};
  const drafts: EventDraft[] = [
    {
      type: 'partnership.template_changed',
      payload: {
        templateKey: state.templateKey,
        from,
        to: arg.template.version,
        added: decision.added,
        removed: decision.removed,
        changed: decision.changed,
        skipped: decision.skipped,
        ...comment,
      },
    },
  ];
  const now = new Date().toISOString();
  for (const id of decision.withdrawApprovalIds) {
    const request = run.findApproval(id);
    if (!request) continue;
    const closed = closeApproval(request, 'withdrawn', now);
    if (!closed.ok) continue;
    run.replaceApproval(closed.request);
    drafts.push({
      type: 'approval.withdrawn',
      payload: { approvalId: id, reason: 'task removed' },
    });
  }
  state.tasks = decision.tasks;
  if (decision.gates) state.gateRules = decision.gates;
  else delete state.gateRules;
  state.templateVersion = arg.template.version;
  if (state.dueOffsets) {
    // The new version's offsets; tasks of the current stage without a date take one from its entry.
    state.dueOffsets = dueOffsetsOf(arg.template.tasks);
    drafts.push(...setDueDatesOnEntry(run, state.stage, state.stageEnteredAt ?? now));
  }
  run.movedTemplate = {
    version: arg.template.version,
    removedTaskIds: [...(run.movedTemplate?.removedTaskIds ?? []), ...decision.removed],
  };
  const sequence = run.emit(arg.actor, drafts);
  await run.awaitProjected(sequence);
  return liveState(state);
}
