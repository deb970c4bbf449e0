import { ApplicationFailure, currentUpdateInfo } from '@temporalio/workflow';
import {
  ApprovalDecisionResult,
  ApprovalRejection,
  MAX_OPEN_APPROVAL_REQUESTS,
  Decision,
  endedRejection,
  PartnershipStatus,
  ReopenDecision,
} from '../../libs/domain';
import { PartnershipFailure, updateDeadlineOf } from './partnership.contract';

/**
 * The failures update validators and handlers throw: non-retryable application failures whose
 * type is the domain error code the API maps to a problem response.
 */

/**
 * An update validator's first check: an update that reaches the workflow after the deadline its
 * sender gave up at (the worker was down, or busy) is refused, so what the API answered (nothing
 * changed) stays true. Validators do not run on replay, so histories are unaffected.
 */
export function refuseLateUpdate(): void {
  const deadline = updateDeadlineOf(currentUpdateInfo()?.id ?? '');
  if (deadline === undefined || Date.now() <= deadline) return;
  throw lateFailure('update', deadline);
}

/** What an update (`what`) that arrived after the deadline its sender gave up at is refused with. */
export function lateFailure(what: string, deadline: number): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'DEPENDENCY_UNAVAILABLE',
    message: `The ${what} arrived after its deadline (${new Date(deadline).toISOString()}); its sender was told nothing changed`,
    nonRetryable: true,
    details: [{ cause: 'late' }],
  });
}

/**
 * Refuses an update while the run is draining to continue as new: a steady stream of updates (or
 * of the e-mails they queue) would otherwise keep the drain from ever finishing, and the run
 * would grow until Temporal refuses every update (2,000 per run). The sender retries; the next
 * run takes it. Validators do not run on replay, so histories are unaffected.
 */
export function refuseWhileContinuing(run: { continuing: boolean }): void {
  if (!run.continuing) return;
  throw runChangeFailure('is moving to a new run');
}

/** An update refused while the run changes (`doing`); the sender retries against the next run. */
export function runChangeFailure(doing: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'DEPENDENCY_UNAVAILABLE',
    message: `The partnership’s workflow ${doing}; try again in a moment`,
    nonRetryable: true,
    details: [{ cause: 'continuing-as-new', retryAfterSeconds: 1 }],
  });
}

/** `check` after `refuseLateUpdate` and `refuseWhileContinuing`: every update validator's body. */
export function inTime(run: { continuing: boolean }, check: () => void): void {
  refuseLateUpdate();
  refuseWhileContinuing(run);
  check();
}

export function invalid(
  type: 'VALIDATION_FAILED' | 'INVALID_APPROVAL_REQUEST',
  problems: string[],
  field: string,
): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message: problems.join('; '),
    nonRetryable: true,
    details: [{ problems, errors: [{ field, messages: problems }] }],
  });
}

/** An approval request that the rule book refuses as a whole (no field to point at). */
export function invalidRequest(problems: string[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'INVALID_APPROVAL_REQUEST',
    message: problems.join('; '),
    nonRetryable: true,
    details: [{ problems }],
  });
}

export function approvalFailure(result: ApprovalDecisionResult): ApplicationFailure {
  if (result.ok) throw new Error('not a rejection');
  return ApplicationFailure.create({
    type: result.rejection.code,
    message: result.rejection.message,
    nonRetryable: true,
    details: [{ recorded: result.rejection.recorded ?? null }],
  });
}

export function rejectionFailure(decision: Decision | ReopenDecision): ApplicationFailure {
  if (decision.ok) throw new Error('not a rejection');
  return ApplicationFailure.create({
    type: decision.rejection.code,
    message: decision.rejection.message,
    nonRetryable: true,
    details: [{ blockers: decision.rejection.blockers }],
  });
}

/** A new request refused: the partnership has as many open requests as it may have. */
export function tooManyOpenApprovals(rejection: ApprovalRejection): ApplicationFailure {
  return ApplicationFailure.create({
    type: rejection.code,
    message: rejection.message,
    nonRetryable: true,
    details: [{ limit: MAX_OPEN_APPROVAL_REQUESTS }],
  });
}

export function approvalNotFound(approvalId: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'APPROVAL_NOT_FOUND',
    message: `No approval request ${approvalId}`,
    nonRetryable: true,
  });
}

export function approvalClosed(status: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'APPROVAL_CLOSED',
    message: `The request is already ${status}`,
    nonRetryable: true,
    details: [{ recorded: { status } }],
  });
}

/** The rule book's refusal of any change to an ended partnership; undefined while it runs. */
export function endedFailure(status: PartnershipStatus): ApplicationFailure | undefined {
  const ended = endedRejection(status);
  return ended
    ? ApplicationFailure.create({
        type: ended.code,
        message: ended.message,
        nonRetryable: true,
        details: [{ blockers: ended.blockers }],
      })
    : undefined;
}

export function idempotencyKeyReused(): ApplicationFailure {
  return ApplicationFailure.create({
    type: PartnershipFailure.IDEMPOTENCY_KEY_REUSED,
    message: 'This Idempotency-Key was already used for a different request',
    nonRetryable: true,
  });
}
