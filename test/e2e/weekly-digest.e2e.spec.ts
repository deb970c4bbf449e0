import { ScheduleOverlapPolicy } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { digestDue, digestSlotStart, parseDigestTime } from '@libs/domain';
import {
  SCHEDULED_START_TIME,
  WEEKLY_DIGEST_SCHEDULE_ID,
  WEEKLY_DIGEST_WORKFLOW_TYPE,
  type WeeklyDigestResult,
} from '@workflows/digest/weekly-digest.contract';
import { PARTNERSHIP_TASK_QUEUE } from '@workflows/partnership/partnership.contract';
import { ensureWeeklyDigestSchedule } from '../../apps/worker/src/weekly-digest-schedule';
import { openGate, requestApproval } from '../support/consent';
import { foundingCaseRequest } from '../support/fixtures';
import { messagesTo } from '../support/mailpit';
import { http, login, Platform, waitFor } from '../support/stack';
import { usePlatform } from '../support/use-platform';

type Json = Record<string, any>;
const DAY_MS = 86_400_000;
const QUARTER_MS = 15 * 60_000;
const PASSWORD = 'a long coordinator passphrase';

/**
 * The weekly digest end to end: the worker puts its Schedule in Temporal, and a run of it
 * (triggered here for the slot of the coming Monday 09:00 in India and Sri Lanka, +05:30) e-mails
 * each coordinator due then exactly once, with what advanced, what waits on the partners and what
 * is overdue in the partnerships they are members of. Everything real.
 */
describe('the weekly digest (end to end)', () => {
  let platform: Platform;
  // Before usePlatform's own, which stops the platform (jest runs afterAll hooks in order).
  afterAll(async () => {
    if (!platform) return;
    for await (const run of platform.client.workflow.list({
      query: `WorkflowType = '${WEEKLY_DIGEST_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`,
    })) {
      await platform.client.workflow.getHandle(run.workflowId, run.runId).terminate('test over');
    }
    await ensureWeeklyDigestSchedule(platform.client, 'off');
  });

  usePlatform((p) => (platform = p), {}, { DIGEST_AT: 'mon 09:00' });
  const v1 = (path: string): string => `${platform.api.url}/api/v1${path}`;
  const schedule = () => platform.client.schedule.getHandle(WEEKLY_DIGEST_SCHEDULE_ID);

  /** Triggers the Schedule and waits for the run it starts to end; its result. */
  async function runOnce(): Promise<WeeklyDigestResult> {
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

  /** A coordinator account, signed in. */
  async function coordinator(name: string): Promise<{ id: string; email: string; token: string }> {
    const email = `${name}-${randomUUID().slice(0, 8)}@digest.example`;
    const created = await http('POST', v1('/users'), {
      email,
      name,
      role: 'coordinator',
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    const token = (await login(platform.api.url, email, PASSWORD)).body.accessToken as string;
    return { id: created.body.id, email, token };
  }

  it('is in Temporal as the worker’s configuration says: every 15 minutes, no run skipped', async () => {
    await waitFor(
      () =>
        /weekly digest schedule (created|updated|unchanged) \(mon 09:00 in each coordinator's zone\)/.test(
          platform.output.worker.join('\n'),
        ),
      { what: 'the worker to set the Schedule' },
    );
    const described = await schedule().describe();
    // On the quarter hours (no offset), where every zone's 09:00 falls.
    expect(described.spec.intervals).toHaveLength(1);
    expect(described.spec.intervals![0].every).toBe(QUARTER_MS);
    expect(described.spec.intervals![0].offset ?? 0).toBe(0);
    expect(described.spec.calendars ?? []).toEqual([]);
    expect(described.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: WEEKLY_DIGEST_WORKFLOW_TYPE,
      taskQueue: PARTNERSHIP_TASK_QUEUE,
      args: [],
    });
    expect(described.policies.overlap).toBe(ScheduleOverlapPolicy.BUFFER_ALL);
    expect(described.state.paused).toBe(false);
  });

  it('e-mails each coordinator due once, in their language, with the numbers of their partnerships', async () => {
    // Priya (Kolkata) and Lucía (Colombo, Spanish) are due at the same instant; Marco (Madrid) is
    // not; Omar (Kolkata) turned the digest off.
    const [priya, lucia, marco, omar] = await Promise.all(
      ['priya', 'lucia', 'marco', 'omar'].map(coordinator),
    );
    const me = (user: { token: string }, body: Json) =>
      http('PATCH', v1('/me'), body, {}, { token: user.token });
    // A zone Intl does not know is refused and changes nothing.
    const refused = await me(priya, { timeZone: 'Mars/Olympus' });
    expect(refused.status).toBe(400);
    expect((await me(priya, { timeZone: 'Asia/Kolkata' })).body).toMatchObject({
      timeZone: 'Asia/Kolkata',
      weeklyDigest: true,
      language: null,
    });
    expect((await me(lucia, { language: 'es' })).body).toMatchObject({ language: 'es' });
    // An admin sets the others' zones on the users page; an unknown one there too is refused.
    const unknown = await http('PATCH', v1(`/users/${marco.id}`), { timeZone: 'Europe/Atlantis' });
    expect(unknown.status).toBe(400);
    expect((await http('GET', v1(`/users/${marco.id}`))).body.timeZone).toBeNull();
    for (const [user, timeZone] of [
      [lucia, 'Asia/Colombo'],
      [marco, 'Europe/Madrid'],
      [omar, 'Asia/Kolkata'],
    ] as const) {
      const set = await http('PATCH', v1(`/users/${user.id}`), { timeZone });
      expect(set.status).toBe(200);
      expect(set.body.timeZone).toBe(timeZone);
    }
    expect((await me(omar, { weeklyDigest: false })).body.weeklyDigest).toBe(false);

    // Priya's partnership, every other coordinator a member of it; Lucía's own, quiet.
    const created = await http(
      'POST',
      v1('/partnerships'),
      foundingCaseRequest(),
      {},
      {
        token: priya.token,
      },
    );
    expect(created.status).toBe(201);
    const p = created.body;
    for (const user of [lucia, marco, omar]) {
      const added = await http(
        'PUT',
        v1(`/partnerships/${p.id}/members/${user.id}`),
        { role: 'observer' },
        {},
        { token: priya.token },
      );
      expect(added.status).toBeLessThan(300);
    }
    const quiet = await http(
      'POST',
      v1('/partnerships'),
      foundingCaseRequest(),
      {},
      {
        token: lucia.token,
      },
    );
    expect(quiet.status).toBe(201);

    // It advances once; then a gate request waits on both organisations, a task on the
    // Chinese contact, and a task due two days ago is overdue.
    const orgs = p.organisations as Json[];
    await openGate(
      platform.api.url,
      p.id,
      orgs.map((o) => o.contacts[0].email as string),
    );
    expect((await http('POST', v1(`/partnerships/${p.id}/advance`), {})).status).toBe(200);
    await requestApproval(platform.api.url, p.id, { kind: 'gate' });
    const detail = (await http('GET', v1(`/partnerships/${p.id}`))).body;
    const stageTasks = detail.tasksByStage[detail.stage] as Json[];
    const cn = orgs.find((o) => o.country === 'CN')!;
    expect(
      (
        await http('PATCH', v1(`/partnerships/${p.id}/tasks/${stageTasks[0].id}`), {
          assigneeContactId: cn.contacts[0].id,
        })
      ).status,
    ).toBe(200);
    const due = new Date(Date.now() - 2 * DAY_MS).toISOString().slice(0, 10);
    const added = await http('POST', v1(`/partnerships/${p.id}/tasks`), {
      title: 'Send the digest survey',
      required: false,
      dueDate: due,
    });
    expect(added.status).toBe(201);

    // The numbers, from what the API shows: stage.advanced on the timeline; per organisation the
    // pending requests it has not approved and its contacts' open tasks; open tasks past due.
    const now = (await http('GET', v1(`/partnerships/${p.id}`))).body;
    const tasks = Object.values(now.tasksByStage as Record<string, Json[]>).flat();
    const timeline = (await http('GET', v1(`/partnerships/${p.id}/timeline?pageSize=100`))).body
      .items as Json[];
    const approvals = (await http('GET', v1(`/partnerships/${p.id}/approvals?pageSize=100`))).body
      .items as Json[];
    const pending = approvals.filter((a) => a.status === 'pending');
    const expected = {
      advanced: timeline.filter((e) => e.type === 'stage.advanced').length,
      waiting:
        pending.length * orgs.length +
        tasks.filter((t) => t.status === 'open' && t.assigneeContactId).length,
      overdue: tasks.filter((t) => t.status === 'open' && t.dueDate && t.dueDate <= due).length,
    };
    expect(expected).toEqual({ advanced: 1, waiting: 3, overdue: 1 });

    // The coming Monday 09:00 in +05:30: what the Schedule's run then would send, run now.
    const mondayNine = parseDigestTime('mon 09:00');
    let slot = digestSlotStart(Date.now()) + QUARTER_MS;
    while (!digestDue(slot, 'Asia/Kolkata', mondayNine)) slot += QUARTER_MS;
    const at = new Date(slot).toISOString();
    await schedule().update((previous) => ({
      ...previous,
      action: { ...previous.action, args: [{ at }] },
    }));
    const first = await runOnce();
    expect(first).toMatchObject({ slot: at, sent: 2 });

    const [toPriya] = await waitFor(async () => {
      const found = await messagesTo(priya.email);
      return found.length > 0 ? found : undefined;
    });
    const [toLucia] = await waitFor(async () => {
      const found = await messagesTo(lucia.email);
      return found.length > 0 ? found : undefined;
    });
    expect(toPriya.Subject).toBe(
      `Your week in Entente: ${expected.advanced} advanced, ${expected.waiting} waiting on partners, ${expected.overdue} overdue`,
    );
    expect(toLucia.Subject).toBe(
      `Su semana en Entente – avances: ${expected.advanced}; pendientes de los socios: ${expected.waiting}; vencidas: ${expected.overdue}`,
    );
    expect(toPriya.Text).toContain(`${p.title}: ${cn.name} – 1 approval pending, 1 open task`);
    expect(toPriya.Text).toContain(`Send the digest survey – ${p.title}`);
    expect(toPriya.Text).toContain(`http://entente.test/partnerships/${p.id}`);
    expect(toPriya.Text).toContain('(Asia/Kolkata)');
    expect(toLucia.Text).toContain('(Asia/Colombo)');

    // Again, as a retry or an overlapping run would: nothing goes out twice.
    const second = await runOnce();
    expect(second).toMatchObject({ slot: at, sent: 0 });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await messagesTo(priya.email)).toHaveLength(1);
    expect(await messagesTo(lucia.email)).toHaveLength(1);
    expect(await messagesTo(marco.email)).toHaveLength(0);
    expect(await messagesTo(omar.email)).toHaveLength(0);

    // The worker's definition again (no arguments), as a start-up makes it.
    expect(await ensureWeeklyDigestSchedule(platform.client, 'mon 09:00')).toBe('updated');
    expect((await schedule().describe()).action).toMatchObject({ args: [] });
    // Such a run covers the quarter hour Temporal meant it for (its scheduled time): now's.
    const triggeredAt = Date.now();
    const own = await runOnce();
    expect(Date.parse(own.slot)).toBe(digestSlotStart(Date.parse(own.slot)));
    expect(Math.abs(Date.parse(own.slot) - digestSlotStart(triggeredAt))).toBeLessThanOrEqual(
      QUARTER_MS,
    );
    const last = (await schedule().describe()).info.recentActions.at(-1)!.action.workflow;
    const run = await platform.client.workflow
      .getHandle(last.workflowId, last.firstExecutionRunId)
      .describe();
    const scheduled = run.typedSearchAttributes.get(SCHEDULED_START_TIME);
    expect(scheduled).toBeInstanceOf(Date);
    expect(own.slot).toBe(new Date(digestSlotStart(scheduled!.getTime())).toISOString());
  });

  it('follows a change of configuration: off deletes it, on creates it again', async () => {
    const client = platform.client;
    expect(await ensureWeeklyDigestSchedule(client, 'mon 09:00')).toBe('unchanged');
    expect(await ensureWeeklyDigestSchedule(client, 'off')).toBe('deleted');
    expect(await ensureWeeklyDigestSchedule(client, 'off')).toBe('absent');
    await expect(schedule().describe()).rejects.toThrow(/not found/i);
    expect(await ensureWeeklyDigestSchedule(client, 'mon 09:00')).toBe('created');
  });
});
