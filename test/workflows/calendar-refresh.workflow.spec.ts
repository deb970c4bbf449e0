import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import {
  CALENDAR_REFRESH_RETRIES,
  type CalendarRefreshActivities,
  type CalendarRefreshInput,
  type CalendarRefreshRequest,
} from '@workflows/calendars/calendar-refresh.contract';
import { calendarRefreshWorkflow } from '@workflows/calendars/calendar-refresh.workflow';
import { useTimeSkipping } from '../support/time-skipping';

const MINUTE = 60_000;
const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The daily calendar refresh on the time-skipping server, its activity mocked: a partnership not
 * reached is tried again after a pause, alone; one never reached is given up after the last try,
 * and the run says so.
 */
describe('calendarRefreshWorkflow (time-skipping)', () => {
  const { env, bundle } = useTimeSkipping();

  /** Runs the workflow over an activity that answers `answers` in turn, recording each request. */
  async function run(
    answers: ((r: CalendarRefreshRequest) => { updated: number; failed: string[] })[],
    input?: CalendarRefreshInput,
  ) {
    const calls: { request: CalendarRefreshRequest; at: number }[] = [];
    const activities: CalendarRefreshActivities = {
      async refreshOpenPartnershipCalendars(request) {
        // The test server's clock: it skips through the workflow's timers.
        calls.push({ request, at: await env().currentTimeMs() });
        const answer = answers[calls.length - 1];
        if (!answer) throw new Error(`unexpected call ${calls.length}`);
        return answer(request);
      },
    };
    const taskQueue = `calendar-refresh-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env().nativeConnection,
      taskQueue,
      workflowBundle: bundle(),
      activities,
    });
    const result = await worker.runUntil(
      env().client.workflow.execute(calendarRefreshWorkflow, {
        workflowId: `calendar-refresh-${randomUUID()}`,
        taskQueue,
        args: input ? [input] : [],
      }),
    );
    return { result, calls };
  }

  it('refreshes everything once when every partnership is reached', async () => {
    const { result, calls } = await run([() => ({ updated: 12, failed: [] })]);
    expect(result).toEqual({ updated: 12, failed: [], tries: 1 });
    // The run's day, from the workflow's clock (the test server's).
    expect(calls.map((c) => c.request)).toEqual([{ day: utcDay(calls[0].at) }]);
  });

  it('tries those not reached again after 15 minutes, only them, and adds up what each try updated', async () => {
    const { result, calls } = await run([
      () => ({ updated: 10, failed: ['p-1', 'p-2'] }),
      (r) => ({ updated: 1, failed: r.only!.filter((id) => id === 'p-2') }),
      () => ({ updated: 1, failed: [] }),
    ]);
    expect(result).toEqual({ updated: 12, failed: [], tries: 3 });
    // Every try is for the day the run began, even one that runs past midnight.
    const day = utcDay(calls[0].at);
    expect(calls.map((c) => c.request)).toEqual([
      { day },
      { day, only: ['p-1', 'p-2'] },
      { day, only: ['p-2'] },
    ]);
    // Durable timers between the tries, skipped through by the test server.
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(15 * MINUTE);
    expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(15 * MINUTE);
  });

  it('refreshes only the partnerships a run started by hand names', async () => {
    const { result, calls } = await run([() => ({ updated: 1, failed: [] })], { only: ['p-5'] });
    expect(result).toEqual({ updated: 1, failed: [], tries: 1 });
    expect(calls.map((c) => c.request)).toEqual([{ day: utcDay(calls[0].at), only: ['p-5'] }]);
  });

  it('gives up after the last retry and names the partnerships it never reached', async () => {
    const stuck = () => ({ updated: 0, failed: ['p-9'] });
    const { result, calls } = await run(
      Array.from({ length: CALENDAR_REFRESH_RETRIES + 1 }, () => stuck),
    );
    expect(result).toEqual({ updated: 0, failed: ['p-9'], tries: CALENDAR_REFRESH_RETRIES + 1 });
    expect(calls).toHaveLength(CALENDAR_REFRESH_RETRIES + 1);
  });
});
