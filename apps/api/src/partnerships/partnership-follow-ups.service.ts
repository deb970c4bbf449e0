import { Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { coordinatorCalendarSnapshot } from '@libs/calendars';
import { PartnershipEntity } from '@libs/db';
import {
  DomainError,
  ErrorCode,
  EventActor,
  FollowUpPolicy,
  isTerminalStatus,
  isUuid,
  mergeFollowUpPolicy,
} from '@libs/domain';
import { TemporalClient } from '@libs/temporal';
import {
  FollowUpsView,
  getFollowUpsQuery,
  partnershipWorkflowId,
  setFollowUpPolicyUpdate,
} from '@workflows/partnership/partnership.contract';
import { problemFields } from '../platform/problem-fields';
import { FollowUpPolicyPatchDto, toFollowUpPolicyPatch } from './follow-up-policy.dto';
import { PartnershipReadService } from './partnership-read.service';
import { endedRefusal, PartnershipUpdatesService } from './partnership-updates.service';
import { notFound } from './partnership-views';

/** How long a read waits for the workflow to answer a query. */
const QUERY_TIMEOUT_MS = 5_000;

/**
 * Follow-ups of a partnership: its policy (a workflow update whose validator checks the merged
 * policy) and the plan of what will be sent when (a workflow query: the plan is computed from the
 * live state, so it always matches what the workflow's timer will do).
 */
@Injectable()
export class PartnershipFollowUpsService {
  constructor(
    private readonly temporal: TemporalClient,
    private readonly read: PartnershipReadService,
    private readonly updates: PartnershipUpdatesService,
  ) {}

  async plan(id: string): Promise<FollowUpsView> {
    if (!isUuid(id)) throw notFound(id);
    const row = await this.read.find(id);
    // An ended workflow plans nothing; answer from the projection rather than replay its history.
    if (row && isTerminalStatus(row.status)) {
      return {
        policy: this.read.policyOf(row),
        enabled: row.followUpPolicy !== null,
        lastActivityAt: row.lastActivityAt.toISOString(),
        planned: [],
      };
    }
    try {
      return await this.query(id);
    } catch (err) {
      // No row and no workflow: unknown. (No row but a workflow: accepted, not yet recorded.)
      if (err instanceof WorkflowNotFoundError) throw notFound(id);
      throw unavailable(err);
    }
  }

  /**
   * The policy the workflow follows. The projection has it once the workflow wrote any change; a
   * partnership that has only just been created, or that started before follow-ups existed, has
   * none there, so the workflow is asked (and the configured defaults answer if it cannot).
   */
  async currentPolicy(row: PartnershipEntity): Promise<FollowUpPolicy> {
    if (row.followUpPolicy) return row.followUpPolicy;
    if (!isTerminalStatus(row.status)) {
      const live = await this.query(row.id).catch(() => undefined);
      if (live?.enabled) return live.policy;
    }
    return this.read.policyOf(row);
  }

  async setPolicy(
    actor: EventActor,
    id: string,
    dto: FollowUpPolicyPatchDto,
  ): Promise<FollowUpPolicy> {
    const patch = toFollowUpPolicyPatch(dto);
    if (Object.keys(patch).length === 0) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid request: nothing to change', {
        errors: [
          {
            field: '(body)',
            messages: [
              'give at least one of approvals, overdueTasks, stalledStage, coordinator, bilingualEmails',
            ],
          },
        ],
      });
    }
    const row = await this.read.requireRow(id);
    // A closed or agreed partnership's workflow has ended: answer from the projection.
    const ended = endedRefusal(row.status);
    if (ended) throw ended;
    // A change of where the coordinator works brings the calendar of that place with it.
    const place =
      patch.coordinator?.country !== undefined || patch.coordinator?.region !== undefined;
    const coordinatorCalendar = place
      ? coordinatorCalendarSnapshot(
          mergeFollowUpPolicy(await this.currentPolicy(row), patch).coordinator,
          new Date(),
        )
      : undefined;
    try {
      return await this.updates.execute(
        id,
        setFollowUpPolicyUpdate,
        { actor, patch, ...(coordinatorCalendar ? { coordinatorCalendar } : {}) },
        {
          blockers: [],
        },
      );
    } catch (err) {
      if (err instanceof DomainError && err.code === ErrorCode.VALIDATION_FAILED) {
        throw new DomainError(err.code, err.message, {
          errors: problemFields(err.details.problems, (head) => head),
        });
      }
      throw err;
    }
  }

  private async query(id: string): Promise<FollowUpsView> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), QUERY_TIMEOUT_MS);
    try {
      return await this.temporal.withAbortSignal(abort.signal, () =>
        this.temporal.workflow.getHandle(partnershipWorkflowId(id)).query(getFollowUpsQuery),
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

function unavailable(err: unknown): DomainError {
  return new DomainError(
    ErrorCode.DEPENDENCY_UNAVAILABLE,
    'The partnership’s workflow did not answer; try again shortly',
    { cause: err instanceof Error ? err.name : 'unknown' },
  );
}
