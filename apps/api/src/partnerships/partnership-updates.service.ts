import { Injectable } from '@nestjs/common';
import {
  isGrpcCancelledError,
  isGrpcDeadlineError,
  WorkflowExecutionStatusName,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowUpdateHandle,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  WithStartWorkflowOperation,
} from '@temporalio/client';
import {
  ApplicationFailure,
  type QueryDefinition,
  type UpdateDefinition,
} from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@libs/config';
import { DomainError, endedRejection, ErrorCode, PartnershipStatus } from '@libs/domain';
import { TemporalClient } from '@libs/temporal';
import {
  lateUpdateId,
  PARTNERSHIP_TASK_QUEUE,
  partnershipWorkflowId,
} from '@workflows/partnership/partnership.contract';
import type { partnershipWorkflow } from '@workflows/partnership/partnership.workflow';
import { PartnershipReadService } from './partnership-read.service';

/**
 * The server's failure type for an update it had accepted when the workflow run closed before
 * the update completed (the run returned, failed, was terminated or continued as new).
 */
const ACCEPTED_UPDATE_COMPLETED_WORKFLOW = 'AcceptedUpdateCompletedWorkflow';

/**
 * Whether the update failed because the partnership's workflow run is no longer there to take it:
 * the server answers NotFound for a closed (or unknown) workflow, which the client raises as
 * WorkflowNotFoundError, and fails an update it had accepted when the run closes under it.
 * Decided by error class and failure type, never by the message's words.
 */
export function workflowHasEnded(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  return (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === ACCEPTED_UPDATE_COMPLETED_WORKFLOW
  );
}

const CODES = new Set<string>(Object.values(ErrorCode));

/**
 * A workflow validator's refusal (an ApplicationFailure whose type is one of our error codes)
 * as the DomainError the problem filter answers; undefined for any other error. Its first
 * detail becomes the problem's extension members, over `defaults`.
 */
export function domainErrorOf(
  err: unknown,
  defaults: Record<string, unknown> = {},
): DomainError | undefined {
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) {
    return undefined;
  }
  const type = err.cause.type ?? '';
  if (!CODES.has(type)) return undefined;
  const details = (err.cause.details?.[0] ?? {}) as Record<string, unknown>;
  return new DomainError(type as ErrorCode, err.cause.message, { ...defaults, ...details });
}

/** The refusal of any change to an ended (closed or agreed) partnership; undefined while it runs. */
export function endedRefusal(status: PartnershipStatus): DomainError | undefined {
  const rejection = endedRejection(status);
  return rejection
    ? new DomainError(rejection.code as ErrorCode, rejection.message, {
        blockers: rejection.blockers,
      })
    : undefined;
}

/** Whether `err` is the client giving up at a deadline (or an abort), not an answer. */
export function timedOut(err: unknown): boolean {
  return (
    err instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
    isGrpcDeadlineError(err) ||
    isGrpcCancelledError(err)
  );
}

/** Seconds a client is told to wait (`Retry-After`) after the workflow did not answer in time. */
export const RETRY_AFTER_SECONDS = 5;

/** The refusal answered when the partnership's workflow did not answer within the deadline. */
export function notAnsweredInTime(timeoutMs: number): DomainError {
  return new DomainError(
    ErrorCode.DEPENDENCY_UNAVAILABLE,
    `The partnership’s workflow did not answer within ${timeoutMs} ms; nothing was changed, try again shortly`,
    { cause: 'timeout', retryAfterSeconds: RETRY_AFTER_SECONDS },
  );
}

/**
 * The refusal answered when the workflow took the change in time but has not finished it within
 * the longer deadline: it goes on and is recorded (a worker has it), the caller cannot know when.
 */
export function notFinishedInTime(timeoutMs: number): DomainError {
  return new DomainError(
    ErrorCode.DEPENDENCY_UNAVAILABLE,
    `The partnership’s workflow took the change but did not finish it within ${timeoutMs} ms; it will be recorded, look again shortly`,
    { cause: 'accepted', retryAfterSeconds: RETRY_AFTER_SECONDS },
  );
}

/** How long to wait before trying an update again while the workflow moves to a new run. */
const RUN_CHANGE_RETRY_MS = 200;

/** A refusal because the workflow is moving to a new run (continue-as-new): worth a retry. */
function movingToNewRun(err: unknown): boolean {
  if (!(err instanceof DomainError) || err.code !== ErrorCode.DEPENDENCY_UNAVAILABLE) return false;
  const cause = err.details.cause;
  return cause === 'continuing-as-new' || cause === 'continued-as-new';
}

/**
 * Sends coordinator and partner changes to a partnership's workflow, and turns every refusal into
 * a DomainError with a code: the validator's (by its failure type), an ended partnership's
 * (`PARTNERSHIP_CLOSED`, `PARTNERSHIP_AGREED`), and a workflow that ended under a partnership that
 * is neither (`PARTNERSHIP_WORKFLOW_ENDED`, or `DEPENDENCY_UNAVAILABLE` while it moves to a new
 * run). Every API service that sends updates goes through it.
 */
@Injectable()
export class PartnershipUpdatesService {
  constructor(
    private readonly temporal: TemporalClient,
    private readonly read: PartnershipReadService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Executes `update` and answers its result. `defaults` are extension members a validator's
   * refusal carries unless its details say otherwise (e.g. `{ blockers: [] }`).
   *
   * Bounded twice. Until the workflow accepts the update: `timeoutMs` (TEMPORAL_CALL_TIMEOUT_MS),
   * then DEPENDENCY_UNAVAILABLE with `cause: 'timeout'` (nothing changed) instead of waiting for
   * a worker that may be down. Temporal keeps an update it has admitted and would hand it to the
   * workflow when a worker comes back, long after this caller was told that nothing happened; the
   * update's id carries the deadline, and the workflow refuses an update that reaches it after
   * that (see `refuseLateUpdate` in workflows/). Once accepted, until it is done:
   * `completionTimeoutMs` (TEMPORAL_UPDATE_TIMEOUT_MS) from the start, then `cause: 'accepted'`
   * (it goes on and is recorded).
   */
  async execute<R, A>(
    partnershipId: string,
    update: UpdateDefinition<R, [A], string>,
    args: A,
    defaults: Record<string, unknown> = {},
    {
      timeoutMs = this.config.TEMPORAL_CALL_TIMEOUT_MS,
      completionTimeoutMs = this.config.TEMPORAL_UPDATE_TIMEOUT_MS,
      updateId,
    }: {
      timeoutMs?: number;
      completionTimeoutMs?: number;
      /** The caller's update id (a retry's, answered the first one's result); default: unique. */
      updateId?: string;
    } = {},
  ): Promise<R> {
    const started = Date.now();
    const deadline = started + timeoutMs;
    // A refusal because the run is moving to a new one is tried again against the next run,
    // within the same deadline; past it the caller gets the 503 with Retry-After.
    for (;;) {
      try {
        return await this.executeOnce(partnershipId, update, args, defaults, {
          started,
          deadline,
          timeoutMs,
          completionTimeoutMs,
          updateId,
        });
      } catch (err) {
        if (!movingToNewRun(err) || Date.now() + RUN_CHANGE_RETRY_MS >= deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, RUN_CHANGE_RETRY_MS));
      }
    }
  }

  private async executeOnce<R, A>(
    partnershipId: string,
    update: UpdateDefinition<R, [A], string>,
    args: A,
    defaults: Record<string, unknown>,
    {
      started,
      deadline,
      timeoutMs,
      completionTimeoutMs,
      updateId,
    }: {
      started: number;
      deadline: number;
      timeoutMs: number;
      completionTimeoutMs: number;
      updateId: string | undefined;
    },
  ): Promise<R> {
    return this.untilDone(
      () =>
        this.temporal.workflow.getHandle(partnershipWorkflowId(partnershipId)).startUpdate(update, {
          args: [args],
          updateId: updateId ?? lateUpdateId(randomUUID(), deadline),
          waitForStage: 'ACCEPTED',
        }),
      { started, deadline, timeoutMs, completionTimeoutMs },
      (err) => this.refusalOf(err, partnershipId, defaults),
    );
  }

  /**
   * Sends an update (`send`, answered once the workflow accepted it) within `deadline`, then
   * waits for its result until `completionTimeoutMs` after `started`. A deadline met is
   * DEPENDENCY_UNAVAILABLE (`timeout` before acceptance, `accepted` after); any other error is
   * what `refusal` makes of it.
   */
  private async untilDone<R>(
    send: () => Promise<WorkflowUpdateHandle<R>>,
    {
      started,
      deadline,
      timeoutMs,
      completionTimeoutMs,
    }: { started: number; deadline: number; timeoutMs: number; completionTimeoutMs: number },
    refusal: (err: unknown) => unknown,
  ): Promise<R> {
    let accepted = false;
    try {
      const handle = await this.temporal.withDeadline(deadline, send);
      accepted = true;
      return await this.temporal.withDeadline(started + completionTimeoutMs, () => handle.result());
    } catch (err) {
      if (timedOut(err)) {
        throw accepted ? notFinishedInTime(completionTimeoutMs) : notAnsweredInTime(timeoutMs);
      }
      throw await refusal(err);
    }
  }

  /**
   * Executes `update` with a start (update-with-start): on the partnership's running workflow if
   * it has one, else on a new run started with `startArgs`. Bounded and mapped like `execute`;
   * `updateId` is the caller's, so a retry with the same id is answered the first one's result.
   */
  async executeWithStart<R, A>(
    partnershipId: string,
    update: UpdateDefinition<R, [A], string>,
    args: (deadline: number) => A,
    startArgs: Parameters<typeof partnershipWorkflow>,
    updateId: string,
    defaults: Record<string, unknown> = {},
  ): Promise<R> {
    const timeoutMs = this.config.TEMPORAL_CALL_TIMEOUT_MS;
    const completionTimeoutMs = this.config.TEMPORAL_UPDATE_TIMEOUT_MS;
    const started = Date.now();
    const deadline = started + timeoutMs;
    return this.untilDone(
      () =>
        this.temporal.workflow.startUpdateWithStart(update, {
          args: [args(deadline)],
          updateId,
          waitForStage: 'ACCEPTED',
          startWorkflowOperation: new WithStartWorkflowOperation<typeof partnershipWorkflow>(
            'partnershipWorkflow',
            {
              workflowId: partnershipWorkflowId(partnershipId),
              taskQueue: PARTNERSHIP_TASK_QUEUE,
              args: startArgs,
              workflowIdConflictPolicy: 'USE_EXISTING',
            },
          ),
        }),
      { started, deadline, timeoutMs, completionTimeoutMs },
      (err) => domainErrorOf(err, defaults) ?? err,
    );
  }

  /** Runs `query` on the partnership's workflow, bounded like `execute`. */
  async query<R>(
    partnershipId: string,
    query: QueryDefinition<R, [], string>,
    { timeoutMs = this.config.TEMPORAL_CALL_TIMEOUT_MS }: { timeoutMs?: number } = {},
  ): Promise<R> {
    try {
      return await this.temporal.withDeadline(Date.now() + timeoutMs, () =>
        this.temporal.workflow.getHandle(partnershipWorkflowId(partnershipId)).query(query),
      );
    } catch (err) {
      if (timedOut(err)) throw notAnsweredInTime(timeoutMs);
      throw err;
    }
  }

  /** `err` as the refusal the API answers, or `err` itself when it is no refusal. */
  async refusalOf(
    err: unknown,
    partnershipId: string,
    defaults: Record<string, unknown> = {},
  ): Promise<unknown> {
    const refused = domainErrorOf(err, defaults);
    if (refused) return refused;
    if (!workflowHasEnded(err)) return err;
    // The workflow returns only once its last change reached the read model, so a closed or
    // agreed row is the usual reason (closed or agreed by a concurrent call, or before this one).
    const row = await this.read.find(partnershipId);
    const ended = row ? endedRefusal(row.status) : undefined;
    if (ended) return ended;
    const status = await this.latestRunStatus(partnershipId);
    if (status === 'RUNNING') {
      // The run closed under the update as it continued as new: the next run takes a retry.
      return new DomainError(
        ErrorCode.DEPENDENCY_UNAVAILABLE,
        'The partnership’s workflow was moving to a new run; try again',
        { cause: 'continued-as-new' },
      );
    }
    return new DomainError(
      ErrorCode.PARTNERSHIP_WORKFLOW_ENDED,
      `The partnership’s workflow has ended (${status ?? 'not found'}) although the partnership is ${row?.status ?? 'not recorded'}; nothing can change it until an operator restores the workflow`,
      { workflowStatus: status ?? null },
    );
  }

  /** The status of the workflow's latest run; undefined when Temporal no longer knows it. */
  async latestRunStatus(partnershipId: string): Promise<WorkflowExecutionStatusName | undefined> {
    return (await this.latestRun(partnershipId))?.status;
  }

  /** The latest run of the partnership's workflow: its status and run id. */
  async latestRun(
    partnershipId: string,
  ): Promise<{ status: WorkflowExecutionStatusName; runId: string } | undefined> {
    try {
      const description = await this.temporal.withDeadline(
        Date.now() + this.config.TEMPORAL_CALL_TIMEOUT_MS,
        () => this.temporal.workflow.getHandle(partnershipWorkflowId(partnershipId)).describe(),
      );
      return { status: description.status.name, runId: description.runId };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }
}
