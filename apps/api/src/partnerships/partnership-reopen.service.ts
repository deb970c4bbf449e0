import { Injectable } from '@nestjs/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { createHash, randomUUID } from 'node:crypto';
import { AppConfig } from '@libs/config';
import { DomainError, ErrorCode, EventActor } from '@libs/domain';
import { TemporalClient } from '@libs/temporal';
import {
  getPartnershipQuery,
  partnershipWorkflowId,
  PartnershipWorkflowResult,
  reopenPartnershipUpdate,
} from '@workflows/partnership/partnership.contract';
import { ReopenDto } from './lifecycle.dto';
import { PartnershipView } from './partnership.dto';
import { PartnershipReadService } from './partnership-read.service';
import {
  notAnsweredInTime,
  PartnershipUpdatesService,
  timedOut,
} from './partnership-updates.service';

function notClosed(): DomainError {
  return new DomainError(
    ErrorCode.PARTNERSHIP_NOT_CLOSED,
    'Only a closed partnership can be reopened',
    { blockers: [] },
  );
}

/**
 * An admin reopens a closed partnership. A closed partnership has no running workflow: the run
 * that closed it returned its state (`carried`). The reopen is one update-with-start: it starts a
 * new run from that state and sends it the reopen, which the run's validator decides (so two
 * reopens at once record one). Without `carried` (closed by a run from before reopening existed)
 * the partnership cannot be reopened.
 */
@Injectable()
export class PartnershipReopenService {
  constructor(
    private readonly updates: PartnershipUpdatesService,
    private readonly read: PartnershipReadService,
    private readonly temporal: TemporalClient,
    private readonly config: AppConfig,
  ) {}

  async reopen(
    by: EventActor,
    id: string,
    body: ReopenDto,
    idempotencyKey?: string,
  ): Promise<PartnershipView> {
    if (!body.reason?.trim()) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid request: reason', {
        errors: [{ field: 'reason', messages: ['reason is required to reopen'] }],
      });
    }
    const row = await this.read.requireRow(id);
    if (row.status === 'agreed') {
      throw new DomainError(
        ErrorCode.PARTNERSHIP_AGREED,
        'The partnership is agreed; it cannot be reopened',
        { blockers: [] },
      );
    }
    // The same key gives the same update id: Temporal answers a retry the first reopen's result.
    const updateId = idempotencyKey
      ? `reopen-${createHash('sha256').update(`${id}\n${idempotencyKey}`).digest('hex')}`
      : `reopen-${randomUUID()}`;
    if (row.status !== 'closed') {
      if (idempotencyKey) return this.retried(by, id, body, updateId);
      throw notClosed();
    }
    let carried: NonNullable<PartnershipWorkflowResult['carried']>;
    try {
      carried = await this.carriedState(id);
    } catch (err) {
      // Reopened meanwhile (the read model had not caught up): under a key, perhaps by this
      // very request's first try, which the retry path answers.
      const reopenedMeanwhile =
        err instanceof DomainError && err.code === ErrorCode.PARTNERSHIP_NOT_CLOSED;
      if (idempotencyKey && reopenedMeanwhile) return this.retried(by, id, body, updateId);
      throw err;
    }
    await this.updates.executeWithStart(
      id,
      reopenPartnershipUpdate,
      (deadline) => ({ actor: by, reason: body.reason.trim(), notAfter: deadline }),
      [{ kind: 'reopened', state: carried }],
      updateId,
      { blockers: [] },
    );
    return this.read.detail(await this.read.require(id));
  }

  /**
   * A reopen with an Idempotency-Key of a partnership no longer closed: the retry of one that
   * reopened it (the running run answers that reopen's result for the same update id), or
   * refused by its validator as not closed. A run without the reopen handler (from before it)
   * refuses the update: not closed either.
   */
  private async retried(
    by: EventActor,
    id: string,
    body: ReopenDto,
    updateId: string,
  ): Promise<PartnershipView> {
    try {
      await this.updates.execute(
        id,
        reopenPartnershipUpdate,
        { actor: by, reason: body.reason.trim() },
        { blockers: [] },
        { updateId },
      );
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw notClosed();
      throw err;
    }
    return this.read.detail(await this.read.require(id));
  }

  /** The state the run that closed the partnership returned, waiting (bounded) while it ends. */
  private async carriedState(
    id: string,
  ): Promise<NonNullable<PartnershipWorkflowResult['carried']>> {
    const latest = await this.updates.latestRun(id);
    const status = latest?.status;
    if (!latest || (status !== 'RUNNING' && status !== 'COMPLETED')) {
      throw new DomainError(
        ErrorCode.PARTNERSHIP_WORKFLOW_ENDED,
        `The partnership’s workflow has ended (${status ?? 'not found'}); it cannot be reopened until an operator restores it`,
        { workflowStatus: status ?? null },
      );
    }
    if (status === 'RUNNING') {
      // A running run that has not closed the partnership: nothing to reopen. One that has is
      // about to end: its result follows.
      const live = await this.updates.query(id, getPartnershipQuery);
      if (live.status !== 'closed') throw notClosed();
    }
    let result: PartnershipWorkflowResult;
    try {
      // A run that closed the partnership ends once its last events and e-mails are out. That
      // run's own result: a reopen at the same moment may start the next run, whose result
      // (followed by default) would never come.
      result = await this.temporal.withDeadline(
        Date.now() + this.config.TEMPORAL_CALL_TIMEOUT_MS,
        () =>
          this.temporal.workflow
            .getHandle(partnershipWorkflowId(id), latest.runId, { followRuns: false })
            .result() as Promise<PartnershipWorkflowResult>,
      );
    } catch (err) {
      if (timedOut(err)) throw notAnsweredInTime(this.config.TEMPORAL_CALL_TIMEOUT_MS);
      throw err;
    }
    if (result.status !== 'closed') throw notClosed();
    if (!result.carried) {
      throw new DomainError(
        ErrorCode.PARTNERSHIP_REOPEN_UNSUPPORTED,
        'This partnership was closed by a workflow run from before reopening existed; it cannot be reopened',
      );
    }
    return result.carried;
  }
}
