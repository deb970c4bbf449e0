import { WorkflowFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type {
  WeeklyDigestActivities,
  WeeklyDigestInput,
  WeeklyDigestRequest,
} from '@workflows/digest/weekly-digest.contract';
import { weeklyDigestWorkflow } from '@workflows/digest/weekly-digest.workflow';
import { useTimeSkipping } from '../support/time-skipping';

const QUARTER = 15 * 60_000;

/**
 * The weekly digest's run on the time-skipping server, its activity mocked: the run covers the
 * quarter hour it was started for and hands it to the activity once; a retried activity is the
 * same request (the outbox, not the workflow, keeps a digest from going out twice).
 */
describe('weeklyDigestWorkflow (time-skipping)', () => {
  const { env, bundle } = useTimeSkipping();

  async function run(input: WeeklyDigestInput | undefined, failures = 0) {
    const calls: { request: WeeklyDigestRequest; at: number }[] = [];
    const activities: WeeklyDigestActivities = {
      async sendWeeklyDigests(request) {
        calls.push({ request, at: await env().currentTimeMs() });
        if (calls.length <= failures) throw new Error('database unavailable');
        return { slot: request.slot, due: 2, sent: 2 };
      },
    };
    const taskQueue = `weekly-digest-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env().nativeConnection,
      taskQueue,
      workflowBundle: bundle(),
      activities,
    });
    const result = await worker.runUntil(
      env().client.workflow.execute(weeklyDigestWorkflow, {
        workflowId: `weekly-digest-${randomUUID()}`,
        taskQueue,
        args: input ? [input] : [],
      }),
    );
    return { result, calls };
  }

  it('covers the quarter hour an instant given by hand falls in', async () => {
    const { result, calls } = await run({ at: '2026-12-07T03:42:10.500Z' });
    expect(calls.map((c) => c.request)).toEqual([{ slot: '2026-12-07T03:30:00.000Z' }]);
    expect(result).toEqual({ slot: '2026-12-07T03:30:00.000Z', due: 2, sent: 2 });
  });

  it('without an instant, covers the quarter hour of its own clock', async () => {
    const { calls } = await run(undefined);
    const slot = Date.parse(calls[0].request.slot);
    expect(slot % QUARTER).toBe(0);
    expect(calls[0].at - slot).toBeGreaterThanOrEqual(0);
    expect(calls[0].at - slot).toBeLessThan(QUARTER);
  });

  it('retries a failed activity with the same slot', async () => {
    const { result, calls } = await run({ at: '2026-12-07T09:00:00Z' }, 2);
    expect(calls.map((c) => c.request.slot)).toEqual([
      '2026-12-07T09:00:00.000Z',
      '2026-12-07T09:00:00.000Z',
      '2026-12-07T09:00:00.000Z',
    ]);
    expect(result.sent).toBe(2);
  });

  it('fails the run (not its task, for ever) for an instant that is not one', async () => {
    const failed = run({ at: 'next Monday' });
    await expect(failed).rejects.toBeInstanceOf(WorkflowFailedError);
    await expect(failed).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/at must be an ISO 8601 instant/) },
    });
  });
});
