import { ScheduleOverlapPolicy } from '@temporalio/client';
import {
  CALENDAR_REFRESH_SCHEDULE_ID,
  CALENDAR_REFRESH_WORKFLOW_TYPE,
  type CalendarRefreshResult,
} from '@workflows/calendars/calendar-refresh.contract';
import { PARTNERSHIP_TASK_QUEUE } from '@workflows/partnership/partnership.contract';
import { ensureCalendarRefreshSchedule } from '../../apps/worker/src/calendar-refresh-schedule';
import { expectedFirstReminder, localDate } from '../support/first-reminder';
import { foundingCaseRequest } from '../support/fixtures';
import { http, Platform, waitFor } from '../support/stack';
import { acceptedUpdates } from '../support/state-snapshot';
import { usePlatform } from '../support/use-platform';

type Json = Record<string, any>;
const DAY_MS = 86_400_000;

/**
 * The daily calendar refresh end to end: the worker puts its Schedule in Temporal as configured,
 * and a run of it (triggered here, as the Schedule does each night) gives a running partnership
 * what changed since it last planned — here a closure day stored without a re-plan, as when a
 * partnership is created at the moment an admin closes its organisation. Everything real.
 */
describe('the daily calendar refresh (end to end)', () => {
  let platform: Platform;
  // Before usePlatform's own, which stops the platform (jest runs afterAll hooks in order).
  afterAll(async () => {
    // Nothing of it outlives the file: no run left waiting to retry, no Schedule to fire later.
    if (!platform) return;
    for await (const run of platform.client.workflow.list({
      query: `WorkflowType = '${CALENDAR_REFRESH_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`,
    })) {
      await platform.client.workflow.getHandle(run.workflowId, run.runId).terminate('test over');
    }
    await ensureCalendarRefreshSchedule(platform.client, 'off');
  });

  usePlatform((p) => (platform = p), {}, { CALENDAR_REFRESH_AT: '02:30' });
  const url = (path: string): string => `${platform.api.url}/api/v1${path}`;
  const schedule = () => platform.client.schedule.getHandle(CALENDAR_REFRESH_SCHEDULE_ID);

  /** The first reminder of Raquel for a request, once planned. */
  async function raquelsReminder(id: string, approvalId: string, contactId: string) {
    const res = await http('GET', url(`/partnerships/${id}/follow-ups`));
    expect(res.status).toBe(200);
    return (res.body.planned as Json[]).find(
      (p) =>
        p.approvalId === approvalId && p.kind === 'approval-reminder' && p.contactId === contactId,
    )?.at as string | undefined;
  }

  /** Triggers the Schedule and waits for the run it starts to end; its result. */
  async function runOnce(): Promise<CalendarRefreshResult> {
    const before = (await schedule().describe()).info.recentActions.length;
    await schedule().trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    const started = await waitFor(
      async () => {
        const actions = (await schedule().describe()).info.recentActions;
        return actions.length > before ? actions.at(-1) : undefined;
      },
      { what: 'the Schedule to start a run' },
    );
    const { workflowId, firstExecutionRunId } = started.action.workflow;
    return platform.client.workflow.getHandle(workflowId, firstExecutionRunId).result();
  }

  it('is in Temporal as the worker’s configuration says: every day at 02:30 UTC, one run at a time', async () => {
    // The worker sets it once it polls, and logs what it did.
    await waitFor(
      () =>
        /calendar refresh schedule (created|updated|unchanged) \(02:30 UTC\)/.test(
          platform.output.worker.join('\n'),
        ),
      { what: 'the worker to set the Schedule' },
    );
    const described = await schedule().describe();
    expect(described.spec.calendars).toHaveLength(1);
    expect(described.spec.calendars![0]).toMatchObject({
      hour: [{ start: 2, end: 2 }],
      minute: [{ start: 30, end: 30 }],
    });
    expect(described.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: CALENDAR_REFRESH_WORKFLOW_TYPE,
      taskQueue: PARTNERSHIP_TASK_QUEUE,
    });
    expect(described.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(described.policies.catchupWindow).toBe(DAY_MS);
    expect(described.state.paused).toBe(false);
  });

  it('a run gives a running partnership a closure stored without a re-plan; a second run that day applies nothing twice', async () => {
    const created = await http('POST', url('/partnerships'), foundingCaseRequest());
    expect(created.status).toBe(201);
    const partnership = created.body;
    const id = partnership.id as string;
    const es = (partnership.organisations as Json[]).find((o) => o.country === 'ES')!;
    const raquel = es.contacts[0].id as string;
    const asked = await http('POST', url(`/partnerships/${id}/approvals`), {
      subject: { kind: 'gate' },
      deadline: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    });
    expect(asked.status).toBe(201);
    const approval = asked.body;
    const before = await waitFor(() => raquelsReminder(id, approval.id, raquel));
    expect(before).toBe(expectedFirstReminder(partnership, approval, es, []));

    // The agency closes on that day, stored as the closures route stores it (a new calendar
    // revision) but with no re-plan: the partnership does not know yet.
    const day = localDate(before, 'Europe/Madrid');
    const closure = { date: day, name: 'Cierre de la agencia' };
    const me = (await http('GET', url('/me'))).body;
    await platform.pool.query(
      `INSERT INTO organisation_closures (organisation_id, date, name, updated_by) VALUES ($1, $2, $3, $4)`,
      [es.id, day, closure.name, me.id],
    );
    await platform.pool.query(
      'UPDATE organisations SET calendar_revision = calendar_revision + 1 WHERE id = $1',
      [es.id],
    );
    expect(await raquelsReminder(id, approval.id, raquel)).toBe(before);

    // The Schedule's runs refresh every partnership that has not ended: in this shared test
    // database, every earlier suite's too, some of whose workflows never answer (their workers
    // are gone for good), which a run tries again 15 minutes later. Its runs are told to refresh
    // this one only; the worker's own definition comes back below.
    await schedule().update((previous) => ({
      ...previous,
      action: { ...previous.action, args: [{ only: [id] }] },
    }));
    const first = await runOnce();
    expect(first).toEqual({ updated: 1, failed: [], tries: 1 });
    const after = await raquelsReminder(id, approval.id, raquel);
    expect(after).toBe(expectedFirstReminder(partnership, approval, es, [closure]));
    expect(after! > before).toBe(true);
    expect(localDate(after!, 'Europe/Madrid')).not.toBe(day);

    // Run again the same day: the update id names the day and the revisions, so nothing twice.
    const updates = () =>
      acceptedUpdates(platform.client, `partnership-${id}`, 'setWorkingCalendars');
    expect(await updates()).toBe(1);
    const second = await runOnce();
    expect(second).toEqual({ updated: 1, failed: [], tries: 1 });
    expect(await updates()).toBe(1);
    expect(await raquelsReminder(id, approval.id, raquel)).toBe(after);
    // The worker's definition again (no arguments: every partnership), as a start-up makes it.
    expect(await ensureCalendarRefreshSchedule(platform.client, '02:30')).toBe('updated');
    expect((await schedule().describe()).action).toMatchObject({ args: [] });
  });

  it('follows a change of configuration: another time corrects it, off deletes it, a time creates it again', async () => {
    const client = platform.client;
    expect(await ensureCalendarRefreshSchedule(client, '02:30')).toBe('unchanged');
    expect(await ensureCalendarRefreshSchedule(client, '04:15')).toBe('updated');
    expect((await schedule().describe()).spec.calendars![0]).toMatchObject({
      hour: [{ start: 4, end: 4 }],
      minute: [{ start: 15, end: 15 }],
    });
    expect(await ensureCalendarRefreshSchedule(client, '04:15')).toBe('unchanged');
    expect(await ensureCalendarRefreshSchedule(client, 'off')).toBe('deleted');
    expect(await ensureCalendarRefreshSchedule(client, 'off')).toBe('absent');
    await expect(schedule().describe()).rejects.toThrow(/not found/i);
    expect(await ensureCalendarRefreshSchedule(client, '02:30')).toBe('created');
    expect((await schedule().describe()).spec.calendars).toHaveLength(1);
  });
});
