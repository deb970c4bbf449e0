import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import {
  addWorkingDuration,
  ApprovalRequest,
  DEFAULT_FOLLOW_UP_POLICY,
  DEFAULT_REMINDER_POLICY,
  DEFAULT_WORKING_HOURS,
  EMPTY_CALENDAR,
  FollowUpPolicyPatch,
  mergeFollowUpPolicy,
  TimelineEvent,
  WorkingCalendar,
} from '@libs/domain';
import type {
  FollowUpEmail,
  ProjectionSnapshot,
} from '@workflows/partnership/partnership.activities.contract';
import {
  addTaskUpdate,
  awaitRecordedUpdate,
  closeUpdate,
  decideApprovalUpdate,
  getFollowUpsQuery,
  PartnershipWorkflowInput,
  pauseUpdate,
  PlannedFollowUpView,
  requestApprovalUpdate,
  resumeUpdate,
  reviseApprovalUpdate,
  setFollowUpPolicyUpdate,
  setWorkingCalendarsUpdate,
} from '@workflows/partnership/partnership.contract';
import { partnershipWorkflow } from '@workflows/partnership/partnership.workflow';
import { waitFor } from '../support/stack';
import { useTimeSkipping } from '../support/time-skipping';
import { partnershipActivities } from '../support/workers';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MADRID = 'Europe/Madrid';
const SHANGHAI = 'Asia/Shanghai';

/** Independent wall-clock reading: is `ms` inside 09:00–18:00 Monday–Friday in `zone`? */
function insideWorkingHours(ms: number, zone: string): boolean {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hourCycle: 'h23',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  const hhmm = `${get('hour')}:${get('minute')}`;
  return !['Sat', 'Sun'].includes(get('weekday')) && hhmm >= '09:00' && hhmm < '18:00';
}

/** The next Friday 17:30 UTC (18:30 in Madrid, 01:30 Saturday in Shanghai) after `ms`. */
function nextFridayEvening(ms: number): number {
  const d = new Date(ms);
  const daysAhead = (5 - d.getUTCDay() + 7) % 7 || 7;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + daysAhead, 17, 30);
}

interface Sent {
  email: FollowUpEmail;
}

/**
 * Follow-ups on the time-skipping test server: weeks of workflow time in seconds. Activities are
 * mocked (they record what would be sent); the workflow, its timers and its rules are real.
 */
describe('partnership follow-ups (time-skipping)', () => {
  const { env, bundle } = useTimeSkipping();

  const actor = { kind: 'coordinator' as const, name: 'Ana', email: 'ana@iurc.example' };

  /** A partnership of IVACE (Madrid) and EIRI (Shanghai), one approver each. */
  async function withPartnership(
    patch: FollowUpPolicyPatch,
    body: (ctx: {
      handle: Awaited<ReturnType<TestWorkflowEnvironment['client']['workflow']['start']>>;
      sent: Sent[];
      projected: { snapshot: ProjectionSnapshot; events: TimelineEvent[] }[];
      ids: { es: string; cn: string; esContact: string; cnContact: string };
      approval: () => ApprovalRequest | undefined;
    }) => Promise<void>,
    extra: (ids: { es: string; cn: string }) => Partial<PartnershipWorkflowInput> = () => ({}),
  ): Promise<void> {
    const sent: Sent[] = [];
    const projected: { snapshot: ProjectionSnapshot; events: TimelineEvent[] }[] = [];
    const partnershipId = randomUUID();
    const ids = {
      es: randomUUID(),
      cn: randomUUID(),
      esContact: randomUUID(),
      cnContact: randomUUID(),
    };
    const contact = (id: string, zone: string, language: 'es' | 'zh') => ({
      id,
      name: id,
      email: `${id}@example.org`,
      role: null,
      language,
      timeZone: zone,
      workingHours: DEFAULT_WORKING_HOURS,
    });
    const org = (id: string, country: string, contacts: ReturnType<typeof contact>[]) => ({
      id,
      isNew: true,
      name: country,
      region: null,
      country,
      kind: 'agency' as const,
      contacts,
    });
    const input: PartnershipWorkflowInput = {
      partnershipId,
      title: 'Valencia – Chengdu',
      areas: ['Clean energy'],
      coordinator: { name: 'Ana', email: 'ana@iurc.example' },
      organisations: [
        org(ids.es, 'ES', [contact(ids.esContact, MADRID, 'es')]),
        org(ids.cn, 'CN', [contact(ids.cnContact, SHANGHAI, 'zh')]),
      ],
      requestHash: 'hash',
      requestedAt: new Date(await env().currentTimeMs()).toISOString(),
      actor,
      template: { key: 'default', version: 1, tasks: [] },
      contactIds: [ids.esContact, ids.cnContact],
      followUpPolicy: mergeFollowUpPolicy(DEFAULT_FOLLOW_UP_POLICY, patch),
      ...extra(ids),
    };
    const taskQueue = `follow-ups-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env().nativeConnection,
      taskQueue,
      workflowBundle: bundle(),
      activities: partnershipActivities({
        async projectChanges(snapshot, events) {
          projected.push({ snapshot, events });
        },
        async sendFollowUpEmail(email) {
          sent.push({ email });
          return { sent: true };
        },
      }),
    });
    await worker.runUntil(async () => {
      const handle = await env().client.workflow.start(partnershipWorkflow, {
        workflowId: `partnership-${partnershipId}`,
        taskQueue,
        args: [{ kind: 'new', input }],
      });
      await handle.executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'hash' }] });
      const approval = () => {
        for (let i = projected.length - 1; i >= 0; i--) {
          const found = projected[i].snapshot.approvals?.find((a) => a.subject.kind === 'gate');
          if (found) return found;
        }
        return undefined;
      };
      try {
        await body({ handle, sent, projected, ids, approval });
      } catch (err) {
        // A failed test must not leave timers behind for the next one's skipped time.
        await handle.terminate('test failed').catch(() => undefined);
        throw err;
      }
      await handle.executeUpdate(closeUpdate, { args: [{ actor, reason: 'test done' }] });
      await handle.result();
      const history = (await handle.fetchHistory()).events ?? [];
      expect(history.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
    });
  }

  /** Moves workflow time to `ms` (the server fires every timer due on the way). */
  async function skipTo(ms: number): Promise<void> {
    const now = await env().currentTimeMs();
    if (ms > now) await env().sleep(ms - now);
  }

  /**
   * The follow-up e-mails the workflow has asked for, once it is idle (no workflow task and no
   * activity pending): what a timer that fired during a skip made it do is in by then, so "nothing
   * was sent" is checked after the fact rather than before the activity had a chance to run.
   */
  async function followUpEmailsWhenIdle(
    handle: Parameters<Parameters<typeof withPartnership>[1]>[0]['handle'],
  ): Promise<number> {
    await waitFor(
      async () => {
        const { raw } = await handle.describe();
        return (raw.pendingActivities ?? []).length === 0 && !raw.pendingWorkflowTask;
      },
      { what: 'the workflow to be idle' },
    );
    const events = (await handle.fetchHistory()).events ?? [];
    return events.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendFollowUpEmail',
    ).length;
  }

  async function requestGate(
    handle: Parameters<Parameters<typeof withPartnership>[1]>[0]['handle'],
    ids: { es: string; cn: string; esContact: string; cnContact: string },
    deadline: number,
  ): Promise<string> {
    const approvalId = randomUUID();
    await handle.executeUpdate(requestApprovalUpdate, {
      args: [
        {
          actor,
          approvalId,
          subject: { kind: 'gate', stage: 'introduction', title: 'Leave introduction' },
          deadline: new Date(deadline).toISOString(),
          organisations: [
            { organisationId: ids.es, rule: { kind: 'all' }, approverContactIds: [ids.esContact] },
            { organisationId: ids.cn, rule: { kind: 'all' }, approverContactIds: [ids.cnContact] },
          ],
          contactsByOrganisation: { [ids.es]: [ids.esContact], [ids.cn]: [ids.cnContact] },
          approverProfiles: {
            [ids.esContact]: { timeZone: MADRID, workingHours: DEFAULT_WORKING_HOURS },
            [ids.cnContact]: { timeZone: SHANGHAI, workingHours: DEFAULT_WORKING_HOURS },
          },
        },
      ],
    });
    return approvalId;
  }

  it('plans a pending reminder again when the holiday data changes: the new off day is skipped, and nothing is sent on it', async () => {
    await skipTo(nextFridayEvening(await env().currentTimeMs()));
    await withPartnership(
      { stalledStage: { enabled: false } },
      async ({ handle, sent, ids }) => {
        const requestedAt = await env().currentTimeMs();
        await requestGate(handle, ids, requestedAt + 30 * DAY);
        const reminderTo = (planned: PlannedFollowUpView[], contactId: string) =>
          planned.find(
            (p) =>
              p.kind === 'approval-reminder' && p.contactId === contactId && p.reminderNumber === 1,
          )?.at;
        const before = (await handle.query(getFollowUpsQuery)).planned;
        const first = (zone: string, calendar?: WorkingCalendar) =>
          addWorkingDuration(
            new Date(requestedAt),
            DEFAULT_REMINDER_POLICY.firstAfterWorkingMinutes,
            zone,
            DEFAULT_WORKING_HOURS,
            calendar,
          ).toISOString();
        expect(reminderTo(before, ids.esContact)).toBe(first(MADRID));

        // The data now says the day of the Spanish reminder is a holiday in Spain.
        const holiday = new Intl.DateTimeFormat('en-CA', { timeZone: MADRID }).format(
          new Date(first(MADRID)),
        );
        const spain: WorkingCalendar = {
          offDays: [{ date: holiday, name: 'Festivo', kind: 'public_holiday' }],
          workingDays: [],
        };
        // A calendar for an organisation the partnership does not have is refused, changing nothing.
        const refused = await handle
          .executeUpdate(setWorkingCalendarsUpdate, { args: [{ calendars: { other: spain } }] })
          .catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
        expect(((refused as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe(
          'VALIDATION_FAILED',
        );

        const after = await handle.executeUpdate(setWorkingCalendarsUpdate, {
          args: [{ calendars: { [ids.es]: spain } }],
        });
        const moved = first(MADRID, spain);
        expect(Date.parse(moved) - Date.parse(first(MADRID))).toBeGreaterThanOrEqual(DAY);
        expect(reminderTo(after, ids.esContact)).toBe(moved);
        expect(reminderTo(after, ids.cnContact)).toBe(first(SHANGHAI));
        expect(reminderTo((await handle.query(getFollowUpsQuery)).planned, ids.esContact)).toBe(
          moved,
        );

        // Past the old instant: the Chinese reminder went, the Spanish one waits for its new day.
        const toSpain = () =>
          sent.filter(
            (x) => x.email.kind === 'approval-reminder' && x.email.contactId === ids.esContact,
          );
        await skipTo(Date.parse(first(MADRID)) + HOUR);
        await followUpEmailsWhenIdle(handle);
        expect(toSpain()).toEqual([]);
        await skipTo(Date.parse(moved) + MINUTE);
        await waitFor(() => toSpain().length === 1, {
          timeoutMs: 10_000,
          what: 'the moved reminder',
        });
      },
      (ids) => ({ calendars: { [ids.es]: EMPTY_CALENDAR, [ids.cn]: EMPTY_CALENDAR } }),
    );
  });

  it('skips a calendar that comes late: an older revision, or a coordinator’s calendar for a place the policy has left', async () => {
    await skipTo(nextFridayEvening(await env().currentTimeMs()));
    await withPartnership(
      {
        stalledStage: { afterWorkingDays: 2 },
        coordinator: { timeZone: MADRID, country: 'ES', region: '' },
      },
      async ({ handle, ids }) => {
        const requestedAt = await env().currentTimeMs();
        await requestGate(handle, ids, requestedAt + 30 * DAY);
        const stallOf = (planned: PlannedFollowUpView[]) =>
          planned.find((p) => p.kind === 'stage-stalled')?.at;
        const reminderTo = (planned: PlannedFollowUpView[]) =>
          planned.find((p) => p.kind === 'approval-reminder' && p.contactId === ids.esContact)?.at;
        const before = reminderTo((await handle.query(getFollowUpsQuery)).planned)!;
        const dayOf = (at: string) =>
          new Intl.DateTimeFormat('en-CA', { timeZone: MADRID }).format(new Date(at));
        const closed = (date: string): WorkingCalendar => ({
          offDays: [{ date, name: 'Cierre', kind: 'closure' }],
          workingDays: [],
        });
        // Revision 2 closes the reminder's day: the reminder moves.
        const newer = await handle.executeUpdate(setWorkingCalendarsUpdate, {
          args: [{ calendars: { [ids.es]: closed(dayOf(before)) }, revisions: { [ids.es]: 2 } }],
        });
        const moved = reminderTo(newer)!;
        expect(Date.parse(moved)).toBeGreaterThan(Date.parse(before));
        // Revision 1 arrives afterwards (a refresh that read the data earlier): skipped.
        const late = await handle.executeUpdate(setWorkingCalendarsUpdate, {
          args: [{ calendars: { [ids.es]: EMPTY_CALENDAR }, revisions: { [ids.es]: 1 } }],
        });
        expect(reminderTo(late)).toBe(moved);
        // The same revision again (a data-only refresh) still applies.
        const again = await handle.executeUpdate(setWorkingCalendarsUpdate, {
          args: [{ calendars: { [ids.es]: EMPTY_CALENDAR }, revisions: { [ids.es]: 2 } }],
        });
        expect(reminderTo(again)).toBe(before);
        // A coordinator's calendar built for a place the policy has left is not taken; one for
        // the place it says is.
        const stall = stallOf(again)!;
        const coordinatorIn = (country: string) =>
          handle.executeUpdate(setWorkingCalendarsUpdate, {
            args: [
              {
                calendars: {},
                coordinator: closed(dayOf(stall)),
                coordinatorPlace: { country, region: '' },
              },
            ],
          });
        expect(stallOf(await coordinatorIn('CN'))).toBe(stall);
        expect(Date.parse(stallOf(await coordinatorIn('ES'))!)).toBeGreaterThan(Date.parse(stall));
      },
      (ids) => ({ calendars: { [ids.es]: EMPTY_CALENDAR, [ids.cn]: EMPTY_CALENDAR } }),
    );
  });

  it('sends the coordinator’s stalled-stage reminder after their holiday, in the calendar a policy change brings', async () => {
    await skipTo(nextFridayEvening(await env().currentTimeMs()));
    await withPartnership(
      { stalledStage: { afterWorkingDays: 1, maxReminders: 1 }, coordinator: { timeZone: MADRID } },
      async ({ handle, sent }) => {
        const stallAt = async () =>
          (await handle.query(getFollowUpsQuery)).planned.find((p) => p.kind === 'stage-stalled')
            ?.at;
        const before = (await stallAt())!;
        expect(before).toBeDefined();
        const holiday = new Intl.DateTimeFormat('en-CA', { timeZone: MADRID }).format(
          new Date(before),
        );
        const valencia: WorkingCalendar = {
          offDays: [{ date: holiday, name: 'Festivo', kind: 'regional_holiday' }],
          workingDays: [],
        };
        const place = { actor, patch: { coordinator: { country: 'ES', region: 'VC' } } };
        // A malformed calendar is refused with the policy change, changing nothing.
        const refused = await handle
          .executeUpdate(setFollowUpPolicyUpdate, {
            args: [
              {
                ...place,
                coordinatorCalendar: {
                  offDays: [{ date: 'soon', name: 'x', kind: 'public_holiday' }],
                  workingDays: [],
                },
              },
            ],
          })
          .catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
        expect(await stallAt()).toBe(before);

        const policy = await handle.executeUpdate(setFollowUpPolicyUpdate, {
          args: [{ ...place, coordinatorCalendar: valencia }],
        });
        expect(policy.coordinator).toMatchObject({ country: 'ES', region: 'VC' });
        const after = (await stallAt())!;
        expect(Date.parse(after) - Date.parse(before)).toBeGreaterThanOrEqual(DAY);
        const stalled = () => sent.filter((x) => x.email.kind === 'stage-stalled');
        await skipTo(Date.parse(before) + HOUR);
        await followUpEmailsWhenIdle(handle);
        expect(stalled()).toEqual([]);
        await skipTo(Date.parse(after) + MINUTE);
        await waitFor(() => stalled().length === 1, {
          timeoutMs: 10_000,
          what: 'the stalled-stage reminder after the holiday',
        });
      },
    );
  });

  it('reminds each approver at the policy’s times inside their working hours, then escalates once', async () => {
    await skipTo(nextFridayEvening(await env().currentTimeMs()));
    // No stalled-stage reminders in this test: only the approval's follow-ups.
    await withPartnership(
      { stalledStage: { enabled: false } },
      async ({ handle, sent, ids, approval }) => {
        const requestedAt = await env().currentTimeMs();
        await requestGate(handle, ids, requestedAt + 30 * DAY);

        // Planned, before any time passes: reminder 1 per approver, two working days later there.
        const plan = await handle.query(getFollowUpsQuery);
        const expectedFirst = (zone: string) =>
          addWorkingDuration(
            new Date(requestedAt),
            DEFAULT_REMINDER_POLICY.firstAfterWorkingMinutes,
            zone,
            DEFAULT_WORKING_HOURS,
          ).toISOString();
        expect(plan.planned).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              kind: 'approval-reminder',
              contactId: ids.esContact,
              reminderNumber: 1,
              at: expectedFirst(MADRID),
            }),
            expect.objectContaining({
              kind: 'approval-reminder',
              contactId: ids.cnContact,
              reminderNumber: 1,
              at: expectedFirst(SHANGHAI),
            }),
          ]),
        );

        await skipTo(requestedAt + 20 * DAY);
        await waitFor(() => sent.some((s) => s.email.kind === 'approval-escalation'), {
          timeoutMs: 10_000,
          what: 'the escalation',
        });

        // Three reminders each, then exactly one escalation to the coordinator; nothing else.
        const reminders = sent.filter((s) => s.email.kind === 'approval-reminder');
        const to = (contactId: string) =>
          reminders
            .map((s) => s.email)
            .filter((e) => e.kind === 'approval-reminder' && e.contactId === contactId)
            .map((e) => (e.kind === 'approval-reminder' ? e.reminderNumber : 0));
        expect(to(ids.esContact)).toEqual([1, 2, 3]);
        expect(to(ids.cnContact)).toEqual([1, 2, 3]);
        expect(sent.map((s) => s.email.kind).sort()).toEqual([
          'approval-escalation',
          ...Array(6).fill('approval-reminder'),
        ]);
        const escalation = sent.find((s) => s.email.kind === 'approval-escalation')!.email;
        expect(escalation).toMatchObject({
          coordinator: { email: 'ana@iurc.example' },
          awaiting: [ids.esContact, ids.cnContact],
        });

        // When: the last reminder each approver got, inside their working hours, a day apart.
        const request = approval()!;
        const approver = (id: string) =>
          request.organisations.flatMap((o) => o.approvers).find((a) => a.contactId === id)!;
        const madrid = approver(ids.esContact).reminders!;
        const shanghai = approver(ids.cnContact).reminders!;
        expect(madrid.sent).toBe(3);
        expect(shanghai.sent).toBe(3);
        // Friday 18:30 in Madrid → Wed, Thu, Fri 09:00 there; Saturday 01:30 in Shanghai → likewise.
        const first = (zone: string) => Date.parse(expectedFirst(zone));
        expect(Date.parse(madrid.lastAt!)).toBe(first(MADRID) + 2 * DAY);
        expect(Date.parse(shanghai.lastAt!)).toBe(first(SHANGHAI) + 2 * DAY);
        expect(insideWorkingHours(Date.parse(madrid.lastAt!), MADRID)).toBe(true);
        expect(insideWorkingHours(Date.parse(shanghai.lastAt!), SHANGHAI)).toBe(true);
        // Escalation: one working day after Shanghai's third reminder (Monday 09:00 there).
        expect(Date.parse(request.escalatedAt!)).toBe(first(SHANGHAI) + 5 * DAY);
        expect((await handle.query(getFollowUpsQuery)).planned).toEqual([]);
      },
    );
  });

  it('re-plans at once when the policy changes, honours a snooze, and a decision stops everything', async () => {
    await skipTo(nextFridayEvening(await env().currentTimeMs()));
    await withPartnership(
      { stalledStage: { enabled: false } },
      async ({ handle, sent, projected, ids, approval }) => {
        const requestedAt = await env().currentTimeMs();
        const approvalId = await requestGate(handle, ids, requestedAt + 30 * DAY);
        const madridFirst = addWorkingDuration(
          new Date(requestedAt),
          DEFAULT_REMINDER_POLICY.firstAfterWorkingMinutes,
          MADRID,
          DEFAULT_WORKING_HOURS,
        ).getTime();

        // Just after both first reminders (Wednesday 09:30 in Madrid, 16:30 in Shanghai).
        await skipTo(madridFirst + 30 * MINUTE);
        await waitFor(() => sent.length === 2, { what: 'both first reminders' });

        // Every 2 working hours instead of every day: Shanghai's second is overdue → now;
        // Madrid's is two working hours after its first.
        await handle.executeUpdate(setFollowUpPolicyUpdate, {
          args: [{ actor, patch: { approvals: { repeatEveryWorkingMinutes: 120 } } }],
        });
        await waitFor(() => sent.length === 3, { what: 'Shanghai’s re-planned reminder' });
        expect(sent[2].email).toMatchObject({ contactId: ids.cnContact, reminderNumber: 2 });
        const planned = (await handle.query(getFollowUpsQuery)).planned;
        expect(planned).toContainEqual(
          expect.objectContaining({
            contactId: ids.esContact,
            reminderNumber: 2,
            at: new Date(madridFirst + 2 * HOUR).toISOString(),
          }),
        );

        // Snoozed until the next day 12:00 UTC: nothing before, then the next working instants.
        const snoozeUntil = madridFirst + DAY + 4 * HOUR;
        await handle.executeUpdate(reviseApprovalUpdate, {
          args: [{ actor, approvalId, snoozedUntil: new Date(snoozeUntil).toISOString() }],
        });
        await skipTo(snoozeUntil - MINUTE);
        expect(await followUpEmailsWhenIdle(handle)).toBe(3);
        expect(sent).toHaveLength(3);
        await skipTo(snoozeUntil + MINUTE);
        await waitFor(() => sent.length === 4, { what: 'the reminder after the snooze' });
        // Shanghai is past 18:00 at 12:00 UTC: its next goes out the following working morning.
        expect(sent[3].email).toMatchObject({ contactId: ids.esContact, reminderNumber: 2 });
        const shanghaiNext = (await handle.query(getFollowUpsQuery)).planned.find(
          (p) => p.kind === 'approval-reminder' && p.contactId === ids.cnContact,
        )!;
        expect(insideWorkingHours(Date.parse(shanghaiNext.at), SHANGHAI)).toBe(true);
        expect(Date.parse(shanghaiNext.at)).toBeGreaterThan(snoozeUntil);

        // Madrid approves: no more reminders to Madrid; Shanghai rejects: the request closes,
        // the coordinator hears of it, and nothing else is ever sent for it.
        await handle.executeUpdate(decideApprovalUpdate, {
          args: [{ actor, approvalId, contactId: ids.esContact, outcome: 'approved' }],
        });
        expect(
          (await handle.query(getFollowUpsQuery)).planned.filter(
            (p) => p.kind === 'approval-reminder' && p.contactId === ids.esContact,
          ),
        ).toEqual([]);
        await handle.executeUpdate(decideApprovalUpdate, {
          args: [
            {
              actor,
              approvalId,
              contactId: ids.cnContact,
              outcome: 'rejected',
              comment: 'Budget unclear',
            },
          ],
        });
        await waitFor(() => sent.length === 5, { what: 'the closing e-mail to the coordinator' });
        expect(sent[4].email).toMatchObject({ kind: 'approval-closed', status: 'rejected' });
        expect((await handle.query(getFollowUpsQuery)).planned).toEqual([]);
        await skipTo((await env().currentTimeMs()) + 25 * DAY);
        expect(await followUpEmailsWhenIdle(handle)).toBe(5);
        expect(sent).toHaveLength(5);
        expect(approval()?.status).toBe('rejected');
        const types = projected.flatMap((p) => p.events.map((e) => e.type));
        expect(types.filter((t) => t === 'reminder.sent')).toHaveLength(4);
        expect(types).toContain('reminder_policy.changed');
        expect(types).toContain('approval.snoozed');
        expect(types).not.toContain('approval.escalated');
      },
    );
  });

  it('reminds the assignee of an overdue task and the coordinator of a stalled stage', async () => {
    await skipTo(nextFridayEvening(await env().currentTimeMs()));
    await withPartnership({}, async ({ handle, sent, ids }) => {
      await handle.executeUpdate(setFollowUpPolicyUpdate, {
        args: [
          {
            actor,
            patch: {
              overdueTasks: { maxReminders: 2 },
              stalledStage: { afterWorkingDays: 3, maxReminders: 1 },
              coordinator: { timeZone: MADRID },
            },
          },
        ],
      });
      const start = await env().currentTimeMs(); // Friday 17:30 UTC
      const due = new Date(start + 3 * DAY).toISOString().slice(0, 10); // Monday
      await handle.executeUpdate(addTaskUpdate, {
        args: [
          {
            actor,
            title: 'Share the funding landscape',
            required: false,
            assigneeContactId: ids.cnContact,
            dueDate: due,
          },
        ],
      });
      await skipTo(start + 10 * DAY);
      await waitFor(() => sent.length >= 3, { what: 'overdue and stalled reminders' });
      const overdue = sent.filter((s) => s.email.kind === 'task-overdue').map((s) => s.email);
      expect(overdue).toEqual([
        expect.objectContaining({ contactId: ids.cnContact, dueDate: due, reminderNumber: 1 }),
        expect.objectContaining({ contactId: ids.cnContact, dueDate: due, reminderNumber: 2 }),
      ]);
      const stalled = sent.filter((s) => s.email.kind === 'stage-stalled').map((s) => s.email);
      expect(stalled).toEqual([
        expect.objectContaining({ stage: 'introduction', reminderNumber: 1 }),
      ]);
      expect(await followUpEmailsWhenIdle(handle)).toBe(3);
      expect(sent).toHaveLength(3);
    });
  });

  it('sends no reminder while the partnership is paused, and plans them again once it resumes', async () => {
    await skipTo(nextFridayEvening(await env().currentTimeMs()));
    await withPartnership({ stalledStage: { enabled: false } }, async ({ handle, sent, ids }) => {
      const requestedAt = await env().currentTimeMs();
      await requestGate(handle, ids, requestedAt + 30 * DAY);
      await handle.executeUpdate(pauseUpdate, { args: [{ actor, comment: 'Summer break' }] });
      expect((await handle.query(getFollowUpsQuery)).planned).toEqual([]);
      // Ten days: three working days' reminders and an escalation would all be due by now.
      await skipTo(requestedAt + 10 * DAY);
      expect(sent).toEqual([]);
      // Resumed: the approvers' reminders are planned again.
      await handle.executeUpdate(resumeUpdate, { args: [{ actor }] });
      const planned = (await handle.query(getFollowUpsQuery)).planned;
      expect(planned).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'approval-reminder', contactId: ids.esContact }),
          expect.objectContaining({ kind: 'approval-reminder', contactId: ids.cnContact }),
        ]),
      );
    });
  });

  it('sends no reminder after the deadline: the request expires and the coordinator hears once', async () => {
    await skipTo(nextFridayEvening(await env().currentTimeMs()));
    await withPartnership(
      { stalledStage: { enabled: false } },
      async ({ handle, sent, ids, approval }) => {
        const requestedAt = await env().currentTimeMs();
        const first = (zone: string) =>
          addWorkingDuration(
            new Date(requestedAt),
            DEFAULT_REMINDER_POLICY.firstAfterWorkingMinutes,
            zone,
            DEFAULT_WORKING_HOURS,
          ).getTime();
        // After both first reminders, before either second one (a working day later).
        const deadline = Math.max(first(MADRID), first(SHANGHAI)) + HOUR;
        await requestGate(handle, ids, deadline);
        // Both first reminders sent; none is planned at or past the deadline.
        await skipTo(deadline - 30 * MINUTE);
        await waitFor(() => sent.length === 2, { timeoutMs: 10_000, what: 'both first reminders' });
        expect(
          (await handle.query(getFollowUpsQuery)).planned.filter(
            (p) => p.kind === 'approval-reminder',
          ),
        ).toEqual([]);
        await skipTo(requestedAt + 25 * DAY);
        await waitFor(() => sent.some((s) => s.email.kind === 'approval-closed'), {
          timeoutMs: 10_000,
          what: 'the expiry e-mail to the coordinator',
        });
        await skipTo((await env().currentTimeMs()) + 10 * DAY);
        const reminders = sent.filter((s) => s.email.kind === 'approval-reminder');
        expect(reminders).toHaveLength(2);
        expect(reminders.map((s) => s.email)).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ contactId: ids.esContact, reminderNumber: 1 }),
            expect.objectContaining({ contactId: ids.cnContact, reminderNumber: 1 }),
          ]),
        );
        expect(sent.map((s) => s.email.kind).sort()).toEqual([
          'approval-closed',
          'approval-reminder',
          'approval-reminder',
        ]);
        expect(sent.find((s) => s.email.kind === 'approval-closed')!.email).toMatchObject({
          status: 'expired',
        });
        expect(approval()?.status).toBe('expired');
        expect((await handle.query(getFollowUpsQuery)).planned).toEqual([]);
      },
    );
  });
});
