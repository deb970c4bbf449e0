import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import type { WorkflowExecutionStatusName } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { AppConfig } from '@libs/config';
import type { PartnershipEntity } from '@libs/db';
import { DomainError, ErrorCode, PartnershipStatus } from '@libs/domain';
import type { TemporalClient } from '@libs/temporal';
import { advanceUpdate, updateDeadlineOf } from '@workflows/partnership/partnership.contract';
import { statusOf } from '../platform/problem.filter';
import type { PartnershipReadService } from './partnership-read.service';
import { PartnershipUpdatesService, workflowHasEnded } from './partnership-updates.service';

const ID = '6f1c2b1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d';
const ARGS = { actor: { kind: 'coordinator' as const } };

/** What the server says of an update to a workflow that has completed (gRPC NotFound). */
const completed = () =>
  new WorkflowNotFoundError('workflow execution already completed', `partnership-${ID}`, undefined);
/** What it says when the run closed while the update it had accepted was still running. */
const closedUnderUpdate = () =>
  new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.create({
      type: 'AcceptedUpdateCompletedWorkflow',
      message: 'Workflow Update failed because the Workflow completed before the Update completed.',
      nonRetryable: true,
    }),
  );

function newTestService(options: {
  updateError: unknown;
  row?: PartnershipStatus | null;
  latestRun?: WorkflowExecutionStatusName | 'gone';
  /** What starting the update fails with (it is never accepted); unset: accepted at once. */
  startError?: unknown;
}) {
  const executeUpdate = jest.fn().mockRejectedValue(options.updateError);
  const describe = jest.fn(() =>
    options.latestRun === 'gone'
      ? Promise.reject(new WorkflowNotFoundError('not found', `partnership-${ID}`, undefined))
      : Promise.resolve({ status: { name: options.latestRun ?? 'COMPLETED' } }),
  );
  const temporal = {
    workflow: {
      getHandle: jest.fn(() => ({
        // Accepted at once; the outcome is what `executeUpdate` says.
        startUpdate: (def: unknown, opts: unknown) =>
          options.startError
            ? Promise.reject(options.startError)
            : Promise.resolve({ result: () => executeUpdate(def, opts) as Promise<unknown> }),
        describe,
      })),
    },
    withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn(),
  };
  const read = {
    find: jest.fn(() =>
      Promise.resolve(options.row ? ({ id: ID, status: options.row } as PartnershipEntity) : null),
    ),
  };
  const sut = new PartnershipUpdatesService(
    temporal as unknown as TemporalClient,
    read as unknown as PartnershipReadService,
    { TEMPORAL_CALL_TIMEOUT_MS: 10_000, TEMPORAL_UPDATE_TIMEOUT_MS: 60_000 } as AppConfig,
  );
  return { sut, mocks: { executeUpdate, describe, read } };
}

async function refusal(options: Parameters<typeof newTestService>[0]): Promise<unknown> {
  const { sut } = newTestService(options);
  return sut.execute(ID, advanceUpdate, ARGS, { blockers: [] }).then(
    () => {
      throw new Error('the update was not refused');
    },
    (err: unknown) => err,
  );
}

describe(workflowHasEnded.name, () => {
  it('knows the ended workflow by error class and failure type, not by words', () => {
    expect(workflowHasEnded(completed())).toBe(true);
    expect(workflowHasEnded(closedUnderUpdate())).toBe(true);
    // The same words in another error are no proof.
    expect(workflowHasEnded(new Error('workflow execution already completed'))).toBe(false);
    expect(
      workflowHasEnded(
        new WorkflowUpdateFailedError(
          'Workflow Update failed',
          ApplicationFailure.create({ type: 'GATE_TASKS_OPEN', message: 'already completed' }),
        ),
      ),
    ).toBe(false);
  });
});

describe(PartnershipUpdatesService.name, () => {
  it('answers the validator’s refusal by its failure type, with the defaults', async () => {
    const err = await refusal({
      updateError: new WorkflowUpdateFailedError(
        'Workflow Update failed',
        ApplicationFailure.create({
          type: 'GATE_TASKS_OPEN',
          message: '2 required task(s) of introduction are not done',
          nonRetryable: true,
        }),
      ),
    });
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: ErrorCode.GATE_TASKS_OPEN, details: { blockers: [] } });
  });

  it.each([
    ['closed', ErrorCode.PARTNERSHIP_CLOSED],
    ['agreed', ErrorCode.PARTNERSHIP_AGREED],
  ] as const)('a workflow that ended because the partnership is %s: %s', async (status, code) => {
    for (const updateError of [completed(), closedUnderUpdate()]) {
      const err = await refusal({ updateError, row: status });
      expect(err).toMatchObject({ code, details: { blockers: [] } });
      expect(statusOf((err as DomainError).code)).toBe(409);
    }
  });

  it.each(['TERMINATED', 'FAILED', 'TIMED_OUT', 'gone'] as const)(
    'a workflow %s under an active partnership: 409 PARTNERSHIP_WORKFLOW_ENDED, not a 500',
    async (latestRun) => {
      for (const updateError of [completed(), closedUnderUpdate()]) {
        const err = await refusal({ updateError, row: 'active', latestRun });
        expect(err).toBeInstanceOf(DomainError);
        expect(err).toMatchObject({
          code: ErrorCode.PARTNERSHIP_WORKFLOW_ENDED,
          details: { workflowStatus: latestRun === 'gone' ? null : latestRun },
        });
        expect(statusOf((err as DomainError).code)).toBe(409);
      }
    },
  );

  it('a workflow that ended before recording the partnership: PARTNERSHIP_WORKFLOW_ENDED', async () => {
    const err = await refusal({ updateError: completed(), row: null, latestRun: 'TERMINATED' });
    expect(err).toMatchObject({ code: ErrorCode.PARTNERSHIP_WORKFLOW_ENDED });
  });

  it('a run that closed under the update as it continued as new: retry-able 503', async () => {
    const err = await refusal({
      updateError: closedUnderUpdate(),
      row: 'paused',
      latestRun: 'RUNNING',
    });
    expect(err).toMatchObject({ code: ErrorCode.DEPENDENCY_UNAVAILABLE });
    expect(statusOf((err as DomainError).code)).toBe(503);
  });

  it('passes any other error through unchanged, without asking the read model', async () => {
    const unexpected = new Error('connection reset');
    const { sut, mocks } = newTestService({ updateError: unexpected, row: 'active' });
    await expect(sut.execute(ID, advanceUpdate, ARGS)).rejects.toBe(unexpected);
    expect(mocks.read.find).not.toHaveBeenCalled();
    expect(mocks.describe).not.toHaveBeenCalled();
  });

  it('answers the update’s result when it succeeds', async () => {
    const { sut, mocks } = newTestService({ updateError: null });
    mocks.executeUpdate.mockResolvedValue({ id: ID });
    await expect(sut.execute(ID, advanceUpdate, ARGS)).resolves.toEqual({ id: ID });
    expect(mocks.executeUpdate).toHaveBeenCalledWith(advanceUpdate, {
      args: [ARGS],
      updateId: expect.stringMatching(/^[0-9a-f-]{36}@\d{13}$/),
      waitForStage: 'ACCEPTED',
    });
    const { updateId } = mocks.executeUpdate.mock.calls[0][1] as { updateId: string };
    const deadline = updateDeadlineOf(updateId)!;
    expect(deadline - Date.now()).toBeGreaterThan(0);
    expect(deadline - Date.now()).toBeLessThanOrEqual(10_000);
  });

  it('a change accepted but not finished in time: 503 cause accepted, not "nothing changed"', async () => {
    const err = await refusal({
      updateError: new WorkflowUpdateRPCTimeoutOrCancelledError('timeout', {
        cause: new Error('deadline exceeded'),
      }),
      row: 'active',
    });
    // The stand-in accepts every update at once, so a time-out here is one after acceptance.
    expect(err).toMatchObject({
      code: ErrorCode.DEPENDENCY_UNAVAILABLE,
      details: { cause: 'accepted', retryAfterSeconds: 5 },
    });
  });

  it('a client that gave up at the deadline: 503 with Retry-After, never the raw error', async () => {
    const err = await refusal({
      updateError: null,
      startError: new WorkflowUpdateRPCTimeoutOrCancelledError('timeout', {
        cause: new Error('deadline exceeded'),
      }),
      row: 'active',
    });
    expect(err).toMatchObject({
      code: ErrorCode.DEPENDENCY_UNAVAILABLE,
      details: { cause: 'timeout', retryAfterSeconds: 5 },
    });
  });
});
