import { upsertSearchAttributes } from '@temporalio/workflow';
import { decideReopen } from '../../libs/domain';
import type { PartnershipLiveState, ReopenPartnershipArgs } from './partnership.contract';
import { lateFailure, rejectionFailure, runChangeFailure } from './failures';
import type { PartnershipRun } from './partnership-run';
import { liveState, searchAttributes } from './views';

/**
 * Reopening a closed partnership. A run that ends because the partnership was closed returns its
 * state (`carried`); a reopen starts a new run from it (`kind: 'reopened'`) with the update, so a
 * closed partnership keeps no run open. Runs that started before it return no state: their
 * partnerships cannot be reopened.
 */
export const REOPEN_CLOSED_PATCH = 'reopen-closed';

/**
 * How long a reopened run waits for its reopen after it starts: a refused (or lost) reopen
 * leaves the run closed, and it ends again with the same state instead of staying open.
 */
export const REOPEN_WINDOW_MS = 60_000;

/**
 * The validator: the rule book alone. Only the run started to reopen takes it; a run that closed
 * the partnership and is about to end says so as a run change, so the sender tries again and
 * starts the new run.
 */
export function checkReopen(run: PartnershipRun, arg: ReopenPartnershipArgs): void {
  if (arg.notAfter !== undefined && Date.now() > arg.notAfter) {
    throw lateFailure('reopen', arg.notAfter);
  }
  const decision = decideReopen(run.state, arg);
  if (!decision.ok) throw rejectionFailure(decision);
  if (!run.awaitingReopen) throw runChangeFailure('is ending as it was closed');
}

/**
 * The handler: sets the status back in the same activation as the decision (a second reopen is
 * then validated against an active partnership and refused), records who reopened it and why,
 * and answers once that is in the read model. The entry function then runs the loops as in any
 * live run: the follow-ups are planned again from now.
 */
export async function reopen(
  run: PartnershipRun,
  arg: ReopenPartnershipArgs,
): Promise<PartnershipLiveState> {
  const decision = decideReopen(run.state, arg);
  if (!decision.ok) throw rejectionFailure(decision);
  if (!run.awaitingReopen) throw new Error('reopen outside a reopened run');
  run.awaitingReopen = false;
  run.state.status = decision.status;
  const sequence = run.emit(arg.actor, decision.events);
  upsertSearchAttributes(searchAttributes(run.state));
  await run.awaitProjected(sequence);
  return liveState(run.state);
}
