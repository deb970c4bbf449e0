import type { AppConfig } from '@libs/config';
import type { PartnershipEntity } from '@libs/db';
import { DomainError, ErrorCode, type PartnershipStatus } from '@libs/domain';
import type { TemporalClient } from '@libs/temporal';
import { PartnershipReopenService } from './partnership-reopen.service';
import type { PartnershipReadService } from './partnership-read.service';
import type { PartnershipUpdatesService } from './partnership-updates.service';

const ID = '6f1c2b1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d';
const ADMIN = { kind: 'user' as const, name: 'Admin', email: 'admin@iurc.example' };
const CARRIED = { stage: 'introduction' };

/**
 * Two reopens at once: the read model still says closed to both, while Temporal already has the
 * run the first one started. What the second sees of Temporal is set per test.
 */
function service(temporalSees: {
  latest: { status: 'RUNNING' | 'COMPLETED'; runId: string };
  liveStatus?: PartnershipStatus;
}) {
  const result = jest.fn(() => Promise.resolve({ status: 'closed', carried: CARRIED }));
  const getHandle = jest.fn(() => ({ result }));
  const updates = {
    latestRun: jest.fn(() => Promise.resolve(temporalSees.latest)),
    query: jest.fn(() => Promise.resolve({ status: temporalSees.liveStatus ?? 'active' })),
    execute: jest.fn(() => Promise.resolve({})),
    executeWithStart: jest.fn(() => Promise.resolve({})),
  };
  const read = {
    requireRow: jest.fn(() => Promise.resolve({ id: ID, status: 'closed' } as PartnershipEntity)),
    require: jest.fn(() => Promise.resolve({ id: ID } as PartnershipEntity)),
    detail: jest.fn(() => Promise.resolve({ id: ID, status: 'active' })),
  };
  const reopen = new PartnershipReopenService(
    updates as unknown as PartnershipUpdatesService,
    read as unknown as PartnershipReadService,
    {
      workflow: { getHandle },
      withDeadline: (_: number, fn: () => unknown) => fn(),
    } as unknown as TemporalClient,
    { TEMPORAL_CALL_TIMEOUT_MS: 10_000 } as AppConfig,
  );
  return { reopen, updates, getHandle };
}

describe('PartnershipReopenService, two reopens at once', () => {
  it('reads the closing run’s own result by its run id, never the next run’s', async () => {
    const { reopen, updates, getHandle } = service({
      latest: { status: 'COMPLETED', runId: 'closing-run' },
    });
    await reopen.reopen(ADMIN, ID, { reason: 'Second' });
    expect(getHandle).toHaveBeenCalledWith(`partnership-${ID}`, 'closing-run', {
      followRuns: false,
    });
    expect(updates.executeWithStart).toHaveBeenCalledTimes(1);
  });

  it('answers the first reopen’s result under the same key when the other reopened it meanwhile', async () => {
    const { reopen, updates } = service({ latest: { status: 'RUNNING', runId: 'new-run' } });
    await expect(reopen.reopen(ADMIN, ID, { reason: 'Once' }, 'key-1')).resolves.toMatchObject({
      status: 'active',
    });
    // The same update id as the first: Temporal answers that reopen's result.
    expect(updates.execute).toHaveBeenCalledTimes(1);
    const [, , , , options] = updates.execute.mock.calls[0] as unknown as [
      string,
      unknown,
      unknown,
      unknown,
      { updateId: string },
    ];
    expect(options.updateId).toMatch(/^reopen-[0-9a-f]{64}$/);
    expect(updates.executeWithStart).not.toHaveBeenCalled();
  });

  it('refuses the other without a key: not closed any more', async () => {
    const { reopen, updates } = service({ latest: { status: 'RUNNING', runId: 'new-run' } });
    const refused = reopen.reopen(ADMIN, ID, { reason: 'Second' });
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    await expect(refused).rejects.toMatchObject({ code: ErrorCode.PARTNERSHIP_NOT_CLOSED });
    expect(updates.execute).not.toHaveBeenCalled();
  });
});
