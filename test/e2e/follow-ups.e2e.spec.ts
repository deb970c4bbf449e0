import { Client } from '@temporalio/client';
import { Pool } from 'pg';
import { calendarSnapshot } from '@libs/calendars';
import { nextFollowUp, ReminderPolicy, WorkingCalendar, WorkingHours } from '@libs/domain';
import { foundingCaseRequest } from '../support/fixtures';
import { approvalToken, awaitMessages } from '../support/mailpit';
import { http, RunningApi } from '../support/stack';
import { usePlatform } from '../support/use-platform';
import { waitUntilQuiet } from '../support/state-snapshot';

type Json = Record<string, any>;

interface Planned {
  kind: string;
  at: string;
  approvalId?: string;
  contactId?: string;
  reminderNumber?: number;
}

const DAY_MS = 24 * 3600 * 1000;
const MADRID_HOURS: WorkingHours = { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] };
const SHANGHAI_HOURS: WorkingHours = { start: '08:30', end: '17:30', days: [1, 2, 3, 4, 5] };

/** The ISO weekday and minute of the day of an instant on the wall clock of `timeZone`. */
function wallClock(iso: string, timeZone: string): { weekday: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string): string => parts.find((p) => p.type === type)!.value;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(part('weekday')) + 1;
  return { weekday, minute: Number(part('hour')) * 60 + Number(part('minute')) };
}

function expectInWorkingHours(iso: string, timeZone: string, hours: WorkingHours): void {
  const { weekday, minute } = wallClock(iso, timeZone);
  const [sh, sm] = hours.start.split(':').map(Number);
  const [eh, em] = hours.end.split(':').map(Number);
  const inside = hours.days.includes(weekday) && minute >= sh * 60 + sm && minute < eh * 60 + em;
  if (!inside) {
    throw new Error(`${iso} is outside ${hours.start}–${hours.end} in ${timeZone}`);
  }
}

/**
 * Follow-ups over HTTP with everything real. Reminders are days away, so the tests check what the
 * workflow plans (GET …/follow-ups) against the pure rules in libs/domain instead of waiting; the
 * sending itself is covered by the workflow tests on the time-skipping server.
 */
describe('follow-ups: policy, planned reminders, snooze and deadline (end to end)', () => {
  let api: RunningApi;
  let pool: Pool;
  let client: Client;

  // Two defaults from the environment, to see that the configuration reaches new partnerships.
  usePlatform((platform) => ({ api, pool, client } = platform), {
    REMINDER_REPEAT_WORKING_MINUTES: '480',
    COORDINATOR_LANGUAGE: 'es',
  });

  const url = (path: string): string => `${api.url}/api/v1${path}`;
  const inDays = (days: number): string => new Date(Date.now() + days * DAY_MS).toISOString();

  /** Each partner organisation's working calendar, as the API gave it to the workflow. */
  const calendars: Record<string, WorkingCalendar> = {};

  async function create(request: Json = foundingCaseRequest()): Promise<Json> {
    const res = await http('POST', url('/partnerships'), request);
    expect(res.status).toBe(201);
    for (const o of res.body.organisations as Json[]) {
      calendars[o.id] = calendarSnapshot({ country: o.country, region: o.region }, new Date());
    }
    return res.body;
  }

  async function askGate(id: string, extra: Json = {}): Promise<Json> {
    const res = await http('POST', url(`/partnerships/${id}/approvals`), {
      subject: { kind: 'gate' },
      deadline: inDays(30),
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function plan(id: string): Promise<Json> {
    const res = await http('GET', url(`/partnerships/${id}/follow-ups`));
    expect(res.status).toBe(200);
    return res.body;
  }

  /** The planned reminders of one request, by approver. */
  async function remindersOf(id: string, approvalId: string): Promise<Record<string, string>> {
    const planned = (await plan(id)).planned as Planned[];
    const mine = planned.filter((p) => p.approvalId === approvalId);
    for (const p of mine) {
      expect(p).toMatchObject({ kind: 'approval-reminder', reminderNumber: 1 });
    }
    const byContact = Object.fromEntries(mine.map((p) => [p.contactId!, p.at]));
    expect(Object.keys(byContact)).toHaveLength(mine.length); // one per approver
    return byContact;
  }

  /** What the domain's rules say the first reminder of `contactId` is. */
  function expectedFirst(
    approval: Json,
    contactId: string,
    policy: ReminderPolicy,
    notBefore?: string,
  ): string {
    const organisation = (approval.organisations as Json[]).find((o) =>
      (o.approvers as Json[]).some((a) => a.contactId === contactId && !a.delegated),
    )!;
    const approver = (organisation.approvers as Json[]).find(
      (a) => a.contactId === contactId && !a.delegated,
    )!;
    const next = nextFollowUp({
      since: new Date(approval.requestedAt),
      policy,
      timeZone: approver.timeZone,
      hours: approver.workingHours,
      progress: { sent: 0, lastAt: null },
      notBefore: notBefore ? new Date(notBefore) : null,
      now: new Date(approval.requestedAt),
      // The approver's organisation's holidays count (docs/calendars.md).
      calendar: calendars[organisation.organisationId],
    });
    expect(next?.kind).toBe('reminder');
    return next!.at.toISOString();
  }

  /** Everything a refused change must leave as it was. */
  async function snapshot(id: string, approvalId?: string): Promise<unknown> {
    await waitUntilQuiet(pool, client, [id]);
    const history = await client.workflow.getHandle(`partnership-${id}`).fetchHistory();
    const events = await pool.query(
      'SELECT count(*)::int AS n FROM partnership_events WHERE partnership_id = $1',
      [id],
    );
    const row = await pool.query(
      'SELECT follow_up_policy, last_sequence FROM partnerships WHERE id = $1',
      [id],
    );
    return {
      historyLength: history.events?.length,
      events: events.rows[0].n,
      row: row.rows[0],
      plan: await plan(id),
      approval: approvalId ? (await http('GET', url(`/approvals/${approvalId}`))).body : null,
    };
  }

  function expectProblem(res: { status: number; body: Json; headers: Headers }, code: string) {
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe(code);
  }

  function fieldsOf(body: Json): string[] {
    return ((body.errors ?? []) as { field: string }[]).map((e) => e.field);
  }

  it('starts a partnership with the configured defaults and the changes its create request asks for', async () => {
    const request = {
      ...foundingCaseRequest(),
      followUpPolicy: {
        approvals: { maxReminders: 2 },
        stalledStage: { enabled: false },
        coordinator: { timeZone: 'Europe/Madrid' },
      },
    };
    const key = `follow-ups-${Date.now()}`;
    const created = await http('POST', url('/partnerships'), request, { 'Idempotency-Key': key });
    expect(created.status).toBe(201);
    const expected = {
      // maxReminders from the request; the repeat interval from REMINDER_REPEAT_WORKING_MINUTES.
      approvals: {
        firstAfterWorkingMinutes: 1080,
        repeatEveryWorkingMinutes: 480,
        maxReminders: 2,
        escalate: true,
      },
      overdueTasks: { enabled: true, repeatEveryWorkingMinutes: 540, maxReminders: 3 },
      stalledStage: { enabled: false, afterWorkingDays: 10, maxReminders: 3 },
      // The zone from the request; the language from COORDINATOR_LANGUAGE.
      coordinator: { timeZone: 'Europe/Madrid', language: 'es' },
      bilingualEmails: false,
    };
    expect(created.body.followUpPolicy).toEqual(expected);
    const id = created.body.id as string;
    expect((await http('GET', url(`/partnerships/${id}`))).body.followUpPolicy).toEqual(expected);
    expect(await plan(id)).toMatchObject({ policy: expected, enabled: true, planned: [] });

    // The policy is part of the request the Idempotency-Key stands for.
    const again = await http('POST', url('/partnerships'), request, { 'Idempotency-Key': key });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(id);
    const other = await http(
      'POST',
      url('/partnerships'),
      { ...request, followUpPolicy: { approvals: { maxReminders: 3 } } },
      { 'Idempotency-Key': key },
    );
    expect(other.status).toBe(422);
    expectProblem(other, 'IDEMPOTENCY_KEY_REUSED');

    // Once the workflow writes a change, the projection holds the same policy.
    const changed = await http('PATCH', url(`/partnerships/${id}/follow-up-policy`), {
      bilingualEmails: true,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ ...expected, bilingualEmails: true });
    const row = await pool.query('SELECT follow_up_policy FROM partnerships WHERE id = $1', [id]);
    expect(row.rows[0].follow_up_policy).toEqual({ ...expected, bilingualEmails: true });
  });

  it('refuses an invalid follow-up policy at create with 400 naming the field, and starts nothing', async () => {
    const base = foundingCaseRequest();
    const request = {
      ...base,
      followUpPolicy: { approvals: { maxReminders: 50 }, coordinator: { timeZone: 'Mars/Base' } },
    };
    const res = await http('POST', url('/partnerships'), request);
    expect(res.status).toBe(400);
    expectProblem(res, 'VALIDATION_FAILED');
    expect(fieldsOf(res.body)).toEqual(
      expect.arrayContaining([
        'followUpPolicy.approvals.maxReminders',
        'followUpPolicy.coordinator.timeZone',
      ]),
    );
    const unknown = await http('POST', url('/partnerships'), {
      ...request,
      followUpPolicy: { approvals: { sometimes: true } },
    });
    expect(unknown.status).toBe(400);
    expect(fieldsOf(unknown.body)).toContain('followUpPolicy.approvals.sometimes');
    const rows = await pool.query('SELECT count(*)::int AS n FROM partnerships WHERE title = $1', [
      base.title,
    ]);
    expect(rows.rows[0].n).toBe(0);
    // No workflow of this request's coordinator (each request has its own e-mail).
    const started = await client.workflow.count(
      `PartnershipCoordinator = '${String(base.coordinator.email)}'`,
    );
    expect(started.count).toBe(0);
  });

  it('plans one reminder per approver in their own working hours, and re-plans at once on every change', async () => {
    const request = foundingCaseRequest();
    const partnership = await create(request);
    const id = partnership.id as string;
    const policy = partnership.followUpPolicy.approvals as ReminderPolicy;
    const contactIn = (country: string): Json =>
      (partnership.organisations as Json[]).find((o) => o.country === country)!.contacts[0];
    const raquel = contactIn('ES');
    const li = contactIn('CN');
    expect(raquel).toMatchObject({ timeZone: 'Europe/Madrid', workingHours: MADRID_HOURS });
    expect(li).toMatchObject({ timeZone: 'Asia/Shanghai', workingHours: SHANGHAI_HOURS });

    const approval = await askGate(id);
    const approvalId = approval.id as string;
    expect(approval).toMatchObject({
      followUps: true,
      reminderPolicy: null,
      snoozedUntil: null,
      escalatedAt: null,
    });
    // Each approver carries the zone and hours of their contact record, and no reminder yet.
    for (const contact of [raquel, li]) {
      const approver = (approval.organisations as Json[])
        .flatMap((o) => o.approvers as Json[])
        .find((a) => a.contactId === contact.id);
      expect(approver).toMatchObject({
        timeZone: contact.timeZone,
        workingHours: contact.workingHours,
        reminders: { sent: 0, lastAt: null },
      });
    }

    // One reminder per approver, when the rules say, inside that approver's working hours.
    const first = await remindersOf(id, approvalId);
    expect(Object.keys(first).sort()).toEqual([raquel.id, li.id].sort());
    expect(first[raquel.id]).toBe(expectedFirst(approval, raquel.id, policy));
    expect(first[li.id]).toBe(expectedFirst(approval, li.id, policy));
    expectInWorkingHours(first[raquel.id], 'Europe/Madrid', MADRID_HOURS);
    expectInWorkingHours(first[li.id], 'Asia/Shanghai', SHANGHAI_HOURS);
    // Two working days: never sooner than two calendar days after the request.
    for (const at of Object.values(first)) {
      expect(Date.parse(at) - Date.parse(approval.requestedAt)).toBeGreaterThanOrEqual(2 * DAY_MS);
    }
    expect((await plan(id)).planned.some((p: Planned) => p.kind === 'approval-escalation')).toBe(
      false,
    );

    // A shorter first interval moves both reminders earlier at once.
    const sooner = await http('PATCH', url(`/partnerships/${id}/follow-up-policy`), {
      approvals: { firstAfterWorkingMinutes: 60 },
    });
    expect(sooner.status).toBe(200);
    const soonerPolicy = { ...policy, firstAfterWorkingMinutes: 60 };
    expect(sooner.body.approvals).toEqual(soonerPolicy);
    const moved = await remindersOf(id, approvalId);
    for (const contact of [raquel, li]) {
      expect(moved[contact.id]).toBe(expectedFirst(approval, contact.id, soonerPolicy));
      expect(Date.parse(moved[contact.id])).toBeLessThan(Date.parse(first[contact.id]));
    }
    expectInWorkingHours(moved[raquel.id], 'Europe/Madrid', MADRID_HOURS);
    expectInWorkingHours(moved[li.id], 'Asia/Shanghai', SHANGHAI_HOURS);
    expect((await http('GET', url(`/partnerships/${id}`))).body.followUpPolicy.approvals).toEqual(
      soonerPolicy,
    );

    // A snooze: nothing before it, and then the first working instant of each approver.
    const until = inDays(5);
    const snoozed = await http('PATCH', url(`/approvals/${approvalId}`), { snoozedUntil: until });
    expect(snoozed.status).toBe(200);
    expect(snoozed.body.snoozedUntil).toBe(until);
    const afterSnooze = await remindersOf(id, approvalId);
    for (const contact of [raquel, li]) {
      expect(Date.parse(afterSnooze[contact.id])).toBeGreaterThanOrEqual(Date.parse(until));
      expect(afterSnooze[contact.id]).toBe(
        expectedFirst(approval, contact.id, soonerPolicy, until),
      );
    }
    expectInWorkingHours(afterSnooze[raquel.id], 'Europe/Madrid', MADRID_HOURS);
    expectInWorkingHours(afterSnooze[li.id], 'Asia/Shanghai', SHANGHAI_HOURS);

    // Ending the snooze brings them back.
    const woken = await http('PATCH', url(`/approvals/${approvalId}`), { snoozedUntil: null });
    expect(woken.status).toBe(200);
    expect(woken.body.snoozedUntil).toBeNull();
    expect(await remindersOf(id, approvalId)).toEqual(moved);

    // The request's own policy wins over the partnership's; null follows the partnership again.
    const own: ReminderPolicy = {
      firstAfterWorkingMinutes: 600,
      repeatEveryWorkingMinutes: 540,
      maxReminders: 1,
      escalate: false,
    };
    const withOwn = await http('PATCH', url(`/approvals/${approvalId}`), { reminderPolicy: own });
    expect(withOwn.status).toBe(200);
    expect(withOwn.body.reminderPolicy).toEqual(own);
    const ownPlan = await remindersOf(id, approvalId);
    expect(ownPlan[raquel.id]).toBe(expectedFirst(approval, raquel.id, own));
    expect(ownPlan[li.id]).toBe(expectedFirst(approval, li.id, own));
    const followAgain = await http('PATCH', url(`/approvals/${approvalId}`), {
      reminderPolicy: null,
    });
    expect(followAgain.status).toBe(200);
    expect(followAgain.body.reminderPolicy).toBeNull();
    expect(await remindersOf(id, approvalId)).toEqual(moved);

    // Raquel approves through the link in her e-mail: her reminder leaves the plan, Li's stays.
    const [mail] = await awaitMessages(request.organisations[0].contacts[0].email, 1);
    const decided = await fetch(`${api.url}/a/${approvalToken(mail)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ decision: 'approve' }).toString(),
    });
    expect(decided.status).toBe(200);
    const afterDecision = await remindersOf(id, approvalId);
    expect(afterDecision).toEqual({ [li.id]: moved[li.id] });

    // A deadline before Li's reminder: the request expires first, so no reminder is planned.
    const deadline = new Date(Date.parse(moved[li.id]) - 60_000).toISOString();
    expect(Date.parse(deadline)).toBeGreaterThan(Date.now());
    const earlier = await http('PATCH', url(`/approvals/${approvalId}`), { deadline });
    expect(earlier.status).toBe(200);
    expect(earlier.body).toMatchObject({ deadline, status: 'pending', awaiting: [li.id] });
    expect(await remindersOf(id, approvalId)).toEqual({});
    const planned = (await plan(id)).planned as Planned[];
    expect(planned.filter((p) => p.approvalId === approvalId)).toEqual([]);

    // Each change is on the timeline.
    const timeline = await http('GET', url(`/partnerships/${id}/timeline?pageSize=100`));
    const types = (timeline.body.items as { type: string }[]).map((e) => e.type);
    expect(types.filter((t) => t === 'reminder_policy.changed')).toHaveLength(1);
    expect(types.filter((t) => t === 'approval.snoozed')).toHaveLength(2);
    expect(types.filter((t) => t === 'approval.revised')).toHaveLength(3);

    // A closed request cannot be revised.
    expect((await http('POST', url(`/approvals/${approvalId}/withdraw`), {})).status).toBe(200);
    const before = await snapshot(id, approvalId);
    const closed = await http('PATCH', url(`/approvals/${approvalId}`), {
      snoozedUntil: inDays(1),
    });
    expect(closed.status).toBe(409);
    expectProblem(closed, 'APPROVAL_CLOSED');
    expect(closed.body.recorded).toEqual({ status: 'withdrawn' });
    expect(await snapshot(id, approvalId)).toEqual(before);
  });

  it('takes approvers’ zones and hours from their contact records (organisations linked by id)', async () => {
    // The workflow of a partnership that links existing organisations knows nothing of their
    // contacts: the zones and hours come with the request, from the contacts table.
    const first = await create();
    const linked = await create({
      title: `Second partnership ${Date.now()}`,
      coordinator: { name: 'Ana', email: 'ana@iurc.example' },
      organisations: (first.organisations as Json[]).map((o) => ({ id: o.id })),
    });
    const approval = await askGate(linked.id);
    const approvers = (approval.organisations as Json[]).flatMap((o) => o.approvers as Json[]);
    const li = (first.organisations as Json[]).find((o) => o.country === 'CN')!.contacts[0];
    expect(approvers.find((a) => a.contactId === li.id)).toMatchObject({
      timeZone: 'Asia/Shanghai',
      workingHours: SHANGHAI_HOURS,
    });
    const reminders = await remindersOf(linked.id, approval.id);
    const policy = linked.followUpPolicy.approvals as ReminderPolicy;
    expect(reminders[li.id]).toBe(expectedFirst(approval, li.id, policy));
    expectInWorkingHours(reminders[li.id], 'Asia/Shanghai', SHANGHAI_HOURS);
  });

  it('plans a delegate’s reminders in the delegate’s own time zone and hours', async () => {
    const request = foundingCaseRequest();
    const canaryHours: WorkingHours = { start: '10:00', end: '14:00', days: [1, 2, 3, 4] };
    request.organisations[0].contacts.push({
      name: 'Marta Ruiz',
      email: `marta+${Date.now()}@ivace.example`,
      language: 'es',
      timeZone: 'Atlantic/Canary',
      workingHours: canaryHours,
    });
    const partnership = await create(request);
    const id = partnership.id as string;
    const ivace = (partnership.organisations as Json[]).find((o) => o.country === 'ES')!;
    const eiri = (partnership.organisations as Json[]).find((o) => o.country === 'CN')!;
    const raquel = (ivace.contacts as Json[]).find((c) => c.timeZone === 'Europe/Madrid')!;
    const marta = (ivace.contacts as Json[]).find((c) => c.timeZone === 'Atlantic/Canary')!;
    const approval = await askGate(id, {
      organisations: [
        { organisationId: ivace.id, rule: { kind: 'any' }, approverContactIds: [raquel.id] },
        {
          organisationId: eiri.id,
          rule: { kind: 'any' },
          approverContactIds: [eiri.contacts[0].id],
        },
      ],
    });
    const delegated = await http('POST', url(`/approvals/${approval.id}/delegate`), {
      fromContactId: raquel.id,
      toContactId: marta.id,
    });
    expect(delegated.status).toBe(200);
    const approver = (delegated.body.organisations as Json[])
      .flatMap((o) => o.approvers as Json[])
      .find((a) => a.contactId === marta.id);
    expect(approver).toMatchObject({
      delegatedFrom: raquel.id,
      timeZone: 'Atlantic/Canary',
      workingHours: canaryHours,
      reminders: { sent: 0, lastAt: null },
    });
    const reminders = await remindersOf(id, approval.id);
    expect(Object.keys(reminders).sort()).toEqual([marta.id, eiri.contacts[0].id].sort());
    const policy = partnership.followUpPolicy.approvals as ReminderPolicy;
    // Counted from the request today; counting from the delegation would be as right. Either
    // way it is the rules' instant in Marta's zone and hours, not Raquel's.
    const timeline = await http('GET', url(`/partnerships/${id}/timeline?pageSize=100`));
    const delegatedAt = (timeline.body.items as Json[]).find(
      (e) => e.type === 'approval.delegated',
    )!.occurredAt as string;
    expect([
      expectedFirst(delegated.body, marta.id, policy),
      expectedFirst({ ...delegated.body, requestedAt: delegatedAt }, marta.id, policy),
    ]).toContain(reminders[marta.id]);
    expectInWorkingHours(reminders[marta.id], 'Atlantic/Canary', canaryHours);
    expect(reminders[marta.id]).not.toBe(
      expectedFirst(approval, raquel.id, policy), // Raquel's zone and hours would give another time
    );
  });

  it('refuses bad changes with 400 problem+json and changes nothing', async () => {
    const partnership = await create();
    const id = partnership.id as string;
    const approval = await askGate(id);
    const approvalId = approval.id as string;
    const before = await snapshot(id, approvalId);

    const policyCases: [unknown, string][] = [
      [{ approvals: { maxReminders: 0 } }, 'approvals.maxReminders'],
      [{ approvals: { maxReminders: 21 } }, 'approvals.maxReminders'],
      [{ approvals: { maxReminders: null } }, 'approvals.maxReminders'],
      [{ approvals: { firstAfterWorkingMinutes: 1.5 } }, 'approvals.firstAfterWorkingMinutes'],
      [{ approvals: { repeatEveryWorkingMinutes: 10 } }, 'approvals.repeatEveryWorkingMinutes'],
      [{ approvals: { escalate: 'yes' } }, 'approvals.escalate'],
      [{ overdueTasks: { maxReminders: -1 } }, 'overdueTasks.maxReminders'],
      [{ stalledStage: { afterWorkingDays: 400 } }, 'stalledStage.afterWorkingDays'],
      [{ coordinator: { timeZone: 'Mars/Olympus_Mons' } }, 'coordinator.timeZone'],
      [{ coordinator: { language: 'fr' } }, 'coordinator.language'],
      [{ approvals: 3 }, 'approvals'],
      [{ approvals: { sometimes: true } }, 'approvals.sometimes'],
      [{ colour: 'blue' }, 'colour'],
      [{}, '(body)'],
      [{ approvals: {} }, '(body)'],
    ];
    for (const [body, field] of policyCases) {
      const res = await http('PATCH', url(`/partnerships/${id}/follow-up-policy`), body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expectProblem(res, 'VALIDATION_FAILED');
      expect({ body, fields: fieldsOf(res.body) }).toEqual({
        body,
        fields: expect.arrayContaining([field]),
      });
    }

    const policy: ReminderPolicy = {
      firstAfterWorkingMinutes: 600,
      repeatEveryWorkingMinutes: 540,
      maxReminders: 2,
      escalate: true,
    };
    const approvalCases: [unknown, string, string][] = [
      // Refused by the workflow's validator: outside history.
      [{ snoozedUntil: inDays(31) }, 'INVALID_APPROVAL_REQUEST', 'snoozedUntil'],
      [{ snoozedUntil: '2020-01-01T00:00:00Z' }, 'INVALID_APPROVAL_REQUEST', 'snoozedUntil'],
      [{ deadline: '2020-01-01T00:00:00Z' }, 'INVALID_APPROVAL_REQUEST', 'deadline'],
      [
        { deadline: inDays(3), snoozedUntil: inDays(4) },
        'INVALID_APPROVAL_REQUEST',
        'snoozedUntil',
      ],
      [{}, 'INVALID_APPROVAL_REQUEST', '(body)'],
      // Refused by the API's validation.
      [
        { reminderPolicy: { firstAfterWorkingMinutes: 60 } },
        'VALIDATION_FAILED',
        'reminderPolicy.maxReminders',
      ],
      [
        { reminderPolicy: { ...policy, maxReminders: 0 } },
        'VALIDATION_FAILED',
        'reminderPolicy.maxReminders',
      ],
      [{ reminderPolicy: { ...policy, extra: 1 } }, 'VALIDATION_FAILED', 'reminderPolicy.extra'],
      [{ deadline: 'next Tuesday' }, 'VALIDATION_FAILED', 'deadline'],
      [{ deadline: null }, 'VALIDATION_FAILED', 'deadline'],
      [{ snoozedUntil: 'soon' }, 'VALIDATION_FAILED', 'snoozedUntil'],
      [{ status: 'approved' }, 'VALIDATION_FAILED', 'status'],
    ];
    for (const [body, code, field] of approvalCases) {
      const res = await http('PATCH', url(`/approvals/${approvalId}`), body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({
        body,
        status: 400,
        code,
      });
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect({ body, fields: fieldsOf(res.body) }).toEqual({
        body,
        fields: expect.arrayContaining([field]),
      });
    }

    // A new request with an invalid policy of its own is refused too.
    const badRequest = await http('POST', url(`/partnerships/${id}/approvals`), {
      subject: { kind: 'document', title: 'Proposal' },
      deadline: inDays(10),
      reminderPolicy: { ...policy, firstAfterWorkingMinutes: 0 },
    });
    expect(badRequest.status).toBe(400);
    expect(fieldsOf(badRequest.body)).toContain('reminderPolicy.firstAfterWorkingMinutes');

    expect(await snapshot(id, approvalId)).toEqual(before);
    const approvals = await http('GET', url(`/partnerships/${id}/approvals`));
    expect(approvals.body.items).toHaveLength(1);
  });

  it('answers 404 for what does not exist and 409 once the partnership is closed', async () => {
    const unknown = '6f1c2b8e-0000-4000-8000-000000000000';
    for (const [method, path, body] of [
      ['GET', `/partnerships/${unknown}/follow-ups`, undefined],
      ['GET', '/partnerships/not-a-uuid/follow-ups', undefined],
      ['PATCH', `/partnerships/${unknown}/follow-up-policy`, { bilingualEmails: true }],
    ] as const) {
      const res = await http(method, url(path), body);
      expect(res.status).toBe(404);
      expectProblem(res, 'PARTNERSHIP_NOT_FOUND');
    }
    const noApproval = await http('PATCH', url(`/approvals/${unknown}`), { deadline: inDays(3) });
    expect(noApproval.status).toBe(404);
    expectProblem(noApproval, 'APPROVAL_NOT_FOUND');

    const partnership = await create();
    const id = partnership.id as string;
    const closed = await http('POST', url(`/partnerships/${id}/close`), { reason: 'No funding' });
    expect(closed.status).toBe(200);
    const refused = await http('PATCH', url(`/partnerships/${id}/follow-up-policy`), {
      bilingualEmails: true,
    });
    expect(refused.status).toBe(409);
    expectProblem(refused, 'PARTNERSHIP_CLOSED');
    expect(await plan(id)).toMatchObject({ planned: [], policy: partnership.followUpPolicy });
  });

  it('describes the follow-up routes and bodies in the OpenAPI document', async () => {
    const doc = (await http('GET', `${api.url}/api/docs-json`)).body;
    expect(doc.paths['/api/v1/partnerships/{id}/follow-ups'].get).toBeDefined();
    expect(doc.paths['/api/v1/partnerships/{id}/follow-up-policy'].patch).toBeDefined();
    expect(doc.paths['/api/v1/approvals/{approvalId}'].patch).toBeDefined();
    const schemas = doc.components.schemas;
    expect(schemas.CreatePartnershipDto.properties.followUpPolicy).toBeDefined();
    expect(schemas.CreateApprovalDto.properties.reminderPolicy).toBeDefined();
    expect(Object.keys(schemas.ReviseApprovalDto.properties).sort()).toEqual([
      'deadline',
      'reminderPolicy',
      'snoozedUntil',
    ]);
    expect(Object.keys(schemas.FollowUpPolicyPatchDto.properties).sort()).toEqual([
      'approvals',
      'bilingualEmails',
      'coordinator',
      'overdueTasks',
      'stalledStage',
    ]);
    expect(schemas.ReminderPolicyDto.required.sort()).toEqual([
      'escalate',
      'firstAfterWorkingMinutes',
      'maxReminders',
      'repeatEveryWorkingMinutes',
    ]);
    expect(schemas.PartnershipView.properties.followUpPolicy).toBeDefined();
    expect(schemas.ApprovalRequestView.properties.snoozedUntil).toBeDefined();
  });
});
