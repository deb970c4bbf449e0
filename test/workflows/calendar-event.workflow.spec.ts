import { Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import {
  attendeeKey,
  CalendarEventAttendee,
  DEFAULT_WORKING_HOURS,
  eventReminderAt,
} from '@libs/domain';
import {
  answerCalendarEventUpdate,
  awaitCalendarEventRecordedUpdate,
  CalendarEventActivities,
  CalendarEventInput,
  CalendarEventMailKind,
  CalendarEventView,
  calendarEventWorkflowId,
  EditCalendarEventArgs,
  editCalendarEventUpdate,
} from '@workflows/calendar-events/calendar-event.contract';
import { calendarEventWorkflow } from '@workflows/calendar-events/calendar-event.workflow';
import { useTimeSkipping } from '../support/time-skipping';

const HOUR = 3_600_000;

/**
 * The event workflow on the time-skipping test server, its activities mocked: the invitations
 * and a change go out per SEQUENCE, each attendee's reminder fires on a durable timer at the
 * planned working moment (not for one who declined), and after the end the coordinator's
 * follow-up task is added once and the workflow ends.
 */
describe('calendarEventWorkflow on the time-skipping test server', () => {
  const { env, bundle } = useTimeSkipping();

  function attendee(
    kind: 'contact' | 'user',
    name: string,
    timeZone: string,
  ): CalendarEventAttendee {
    return {
      kind,
      id: randomUUID(),
      name,
      email: `${name.toLowerCase()}@example.org`,
      language: 'es',
      timeZone,
      workingHours: DEFAULT_WORKING_HOURS,
      answer: 'pending',
      answeredAt: null,
    };
  }

  it('an attendee edit invites the added, sends the removed a CANCEL of their own, keeps answers and reminds only those who attend', async () => {
    const now = await env().currentTimeMs();
    const start = new Date(Math.ceil((now + 10 * 24 * HOUR) / HOUR) * HOUR);
    const raquel = attendee('contact', 'Raquel', 'Europe/Madrid');
    const li = attendee('contact', 'Li', 'Asia/Shanghai');
    const ana = attendee('user', 'Ana', 'Europe/Madrid');
    // Pablo's organisation is closed on the day his reminder would otherwise fall: it moves back.
    const naive = eventReminderAt({
      start,
      now: new Date(now),
      timeZone: 'Europe/Madrid',
      workingHours: DEFAULT_WORKING_HOURS,
    })!;
    const closedOn = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid' }).format(naive);
    const pablo: CalendarEventAttendee = {
      ...attendee('contact', 'Pablo', 'Europe/Madrid'),
      calendar: {
        offDays: [{ date: closedOn, name: 'Cierre', kind: 'closure' }],
        workingDays: [],
      },
    };
    const pabloPlanned = eventReminderAt({
      start,
      now: new Date(now),
      timeZone: pablo.timeZone,
      workingHours: pablo.workingHours,
      calendar: pablo.calendar,
    })!;
    expect(pabloPlanned.getTime()).toBeLessThan(naive.getTime() - 12 * HOUR);
    const input: CalendarEventInput = {
      eventId: randomUUID(),
      partnershipId: randomUUID(),
      partnershipTitle: 'Valencia – Chengdu',
      details: {
        kind: 'seminar',
        title: 'Funding seminar',
        start: start.toISOString(),
        end: new Date(start.getTime() + HOUR).toISOString(),
        onlineUrl: null,
        place: 'IVACE, València',
        taskId: null,
      },
      organiser: { userId: ana.id, name: 'Ana', email: ana.email, language: 'es' },
      attendees: [li, raquel, { ...ana, answer: 'accepted' }],
      requestHash: 'hash-attendees',
      requestedAt: new Date(now).toISOString(),
      actor: { kind: 'user', id: ana.id, name: 'Ana' },
    };
    const mails: {
      kind: CalendarEventMailKind;
      to: string;
      sequence: number;
      at: number;
      named: string[];
      recipient?: string;
    }[] = [];
    const activities: CalendarEventActivities = {
      async recordCalendarEvent() {},
      async sendCalendarEventEmail({ event, attendeeKey: to, kind, attendee: gone }) {
        mails.push({
          kind,
          to,
          sequence: event.sequence,
          at: Context.current().info.scheduledTimestampMs,
          named: event.attendees.map((a) => a.name),
          recipient: gone?.name,
        });
        return { sent: true };
      },
      async addCalendarEventFollowUpTask() {
        return 'follow-up-task-2';
      },
    };
    const taskQueue = `calendar-event-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env().nativeConnection,
      taskQueue,
      workflowBundle: bundle(),
      activities,
    });
    const by = { kind: 'user' as const, id: ana.id, name: 'Ana' };
    const edit = (args: Partial<EditCalendarEventArgs>): EditCalendarEventArgs => ({
      actor: by,
      details: {},
      at: input.requestedAt,
      ...args,
    });

    const result = await worker.runUntil(async () => {
      const handle = await env().client.workflow.start(calendarEventWorkflow, {
        workflowId: calendarEventWorkflowId(input.eventId),
        taskQueue,
        args: [input],
      });
      await handle.executeUpdate(awaitCalendarEventRecordedUpdate, {
        args: [{ requestHash: input.requestHash }],
      });
      await handle.executeUpdate(answerCalendarEventUpdate, {
        args: [
          {
            attendeeKey: attendeeKey(raquel),
            answer: 'accepted',
            actor: { kind: 'contact', id: raquel.id, name: 'Raquel' },
            at: input.requestedAt,
          },
        ],
      });
      // Li off, Pablo on; Raquel's copy (another answer) is not what the workflow keeps.
      const swap = edit({ attendees: [pablo, { ...raquel, answer: 'pending' }, ana] });
      const swapped = await handle.executeUpdate(editCalendarEventUpdate, { args: [swap] });
      expect(swapped.sequence).toBe(1);
      expect(swapped.attendees.map((a) => [a.name, a.answer, a.reminderAt])).toEqual([
        ['Pablo', 'pending', pabloPlanned.toISOString()],
        ['Raquel', 'accepted', naive.toISOString()],
        ['Ana', 'accepted', naive.toISOString()],
      ]);
      // The same edit again, and bad ones: refused before history, nothing changes.
      const refusal = (args: EditCalendarEventArgs) =>
        handle.executeUpdate(editCalendarEventUpdate, { args: [args] });
      await expect(refusal(swap)).rejects.toMatchObject({ cause: { type: 'NOTHING_TO_CHANGE' } });
      await expect(refusal(edit({ attendees: [ana] }))).rejects.toMatchObject({
        cause: { type: 'VALIDATION_FAILED' },
      });
      await expect(refusal(edit({ attendees: [raquel, raquel, ana] }))).rejects.toMatchObject({
        cause: { type: 'VALIDATION_FAILED' },
      });
      await expect(refusal(edit({ attendees: [raquel, pablo] }))).rejects.toMatchObject({
        cause: { type: 'VALIDATION_FAILED' },
      });
      const removedAnswers = await handle
        .executeUpdate(answerCalendarEventUpdate, {
          args: [
            {
              attendeeKey: attendeeKey(li),
              answer: 'accepted',
              actor: { kind: 'contact', id: li.id, name: 'Li' },
              at: input.requestedAt,
            },
          ],
        })
        .catch((err: unknown) => err);
      expect(removedAnswers).toMatchObject({ cause: { type: 'NOT_AN_ATTENDEE' } });
      // A change of the details: everyone who attends now gets the update.
      const retitled = await handle.executeUpdate(editCalendarEventUpdate, {
        args: [edit({ details: { title: 'Funding seminar (agenda)' } })],
      });
      expect(retitled.sequence).toBe(2);
      return handle.result();
    });

    const sent = (kind: CalendarEventMailKind) =>
      mails
        .filter((m) => m.kind === kind)
        .map((m) => [m.to, m.sequence])
        .sort();
    const keys = (...xs: CalendarEventAttendee[]) => xs.map(attendeeKey).sort();
    expect(sent('invitation')).toEqual(
      [...keys(li, raquel, ana).map((k) => [k, 0]), [attendeeKey(pablo), 1]].sort(),
    );
    // Li's CANCEL at the new SEQUENCE, addressed to her though she is no longer an attendee.
    expect(sent('removal')).toEqual([[attendeeKey(li), 1]]);
    const removal = mails.find((m) => m.kind === 'removal')!;
    expect(removal.recipient).toBe('Li');
    expect(removal.named).not.toContain('Li');
    // Those who stayed heard nothing of the attendee change, then the title's change.
    expect(sent('update')).toEqual(keys(raquel, ana, pablo).map((k) => [k, 2]));
    const invitedPablo = mails.find((m) => m.kind === 'invitation' && m.to === attendeeKey(pablo))!;
    expect(invitedPablo.named).toEqual(['Pablo', 'Raquel', 'Ana']);
    // No reminder for Li; Pablo's on his organisation's calendar, the others' at theirs.
    const reminders = mails.filter((m) => m.kind === 'reminder');
    expect(reminders.map((m) => m.to).sort()).toEqual(keys(raquel, ana, pablo));
    for (const r of reminders) {
      const planned = r.to === attendeeKey(pablo) ? pabloPlanned : naive;
      expect(r.at).toBeGreaterThanOrEqual(planned.getTime());
      expect(r.at).toBeLessThan(planned.getTime() + 60_000);
    }
    expect(result.attendees.map((a) => [a.name, a.answer, a.reminderSent])).toEqual([
      ['Pablo', 'pending', true],
      ['Raquel', 'accepted', true],
      ['Ana', 'accepted', true],
    ]);
    expect(result.followUpTaskId).toBe('follow-up-task-2');
  });

  it('mails each SEQUENCE, reminds at the planned instants, then adds the follow-up task once', async () => {
    const now = await env().currentTimeMs();
    // Ten days ahead, on the hour: far enough for every reminder to lie ahead.
    const start = new Date(Math.ceil((now + 10 * 24 * HOUR) / HOUR) * HOUR);
    const raquel = attendee('contact', 'Raquel', 'Europe/Madrid');
    const li = attendee('contact', 'Li', 'Asia/Shanghai');
    const ana = attendee('user', 'Ana', 'Europe/Madrid');
    const input: CalendarEventInput = {
      eventId: randomUUID(),
      partnershipId: randomUUID(),
      partnershipTitle: 'Valencia – Chengdu',
      details: {
        kind: 'meeting',
        title: 'Introductory meeting',
        start: start.toISOString(),
        end: new Date(start.getTime() + HOUR).toISOString(),
        onlineUrl: 'https://meet.example/intro',
        place: null,
        taskId: 'introduction.introductory_meeting',
      },
      organiser: { userId: ana.id, name: 'Ana', email: ana.email, language: 'es' },
      attendees: [li, raquel, ana],
      requestHash: 'hash-1',
      requestedAt: new Date(now).toISOString(),
      actor: { kind: 'user', id: ana.id, name: 'Ana' },
    };

    const mails: { kind: CalendarEventMailKind; to: string; sequence: number; at: number }[] = [];
    const recorded: CalendarEventView[] = [];
    const followUps: CalendarEventView[] = [];
    const activities: CalendarEventActivities = {
      async recordCalendarEvent(event) {
        recorded.push(event);
      },
      async sendCalendarEventEmail({ event, attendeeKey: to, kind }) {
        mails.push({
          kind,
          to,
          sequence: event.sequence,
          at: Context.current().info.scheduledTimestampMs,
        });
        return { sent: true };
      },
      async addCalendarEventFollowUpTask(event) {
        followUps.push(event);
        return 'follow-up-task-1';
      },
    };
    const taskQueue = `calendar-event-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env().nativeConnection,
      taskQueue,
      workflowBundle: bundle(),
      activities,
    });

    const result = await worker.runUntil(async () => {
      const handle = await env().client.workflow.start(calendarEventWorkflow, {
        workflowId: calendarEventWorkflowId(input.eventId),
        taskQueue,
        args: [input],
      });
      const first = await handle.executeUpdate(awaitCalendarEventRecordedUpdate, {
        args: [{ requestHash: 'hash-1' }],
      });
      expect(first).toMatchObject({ sequence: 0, status: 'scheduled' });
      await expect(
        handle.executeUpdate(awaitCalendarEventRecordedUpdate, {
          args: [{ requestHash: 'other' }],
        }),
      ).rejects.toThrow();

      const actor = { kind: 'contact' as const, id: li.id, name: 'Li' };
      const declined = await handle.executeUpdate(answerCalendarEventUpdate, {
        args: [{ attendeeKey: attendeeKey(li), answer: 'declined', actor, at: input.requestedAt }],
      });
      expect(declined.attendees[0]).toMatchObject({ answer: 'declined', reminderSent: false });
      expect(declined.sequence).toBe(0); // an answer is no change of the invitation

      const edited = await handle.executeUpdate(editCalendarEventUpdate, {
        args: [
          {
            actor: { kind: 'user', name: 'Ana' },
            details: { title: 'Introductory meeting (agenda attached)' },
            at: input.requestedAt,
          },
        ],
      });
      expect(edited.sequence).toBe(1);
      // The same edit again changes nothing: refused, never in history.
      await expect(
        handle.executeUpdate(editCalendarEventUpdate, {
          args: [
            {
              actor: { kind: 'user', name: 'Ana' },
              details: { title: 'Introductory meeting (agenda attached)' },
              at: input.requestedAt,
            },
          ],
        }),
      ).rejects.toMatchObject({ cause: { type: 'NOTHING_TO_CHANGE' } });
      return handle.result();
    });

    const sent = (kind: CalendarEventMailKind) =>
      mails
        .filter((m) => m.kind === kind)
        .map((m) => [m.to, m.sequence])
        .sort();
    // Sent in parallel, one activity each: compared in key order.
    const everyone = [li, raquel, ana].map(attendeeKey).sort();
    expect(sent('invitation')).toEqual(everyone.map((k) => [k, 0]));
    expect(sent('update')).toEqual(everyone.map((k) => [k, 1]));
    // Li declined: no reminder. The others at their planned working moment.
    const reminders = mails.filter((m) => m.kind === 'reminder');
    expect(reminders.map((m) => m.to).sort()).toEqual(
      [attendeeKey(raquel), attendeeKey(ana)].sort(),
    );
    const planned = eventReminderAt({
      start,
      now: new Date(now),
      timeZone: 'Europe/Madrid',
      workingHours: DEFAULT_WORKING_HOURS,
    })!;
    for (const r of reminders) {
      expect(r.at).toBeGreaterThanOrEqual(planned.getTime());
      expect(r.at).toBeLessThan(planned.getTime() + 60_000);
    }
    const plannedInShanghai = eventReminderAt({
      start,
      now: new Date(now),
      timeZone: 'Asia/Shanghai',
      workingHours: DEFAULT_WORKING_HOURS,
    })!;
    // Planned for Li too (before the answer), but not sent.
    expect(result.attendees.map((a) => [a.reminderAt, a.reminderSent])).toEqual([
      [plannedInShanghai.toISOString(), false],
      [planned.toISOString(), true],
      [planned.toISOString(), true],
    ]);
    expect(followUps).toHaveLength(1);
    expect(result).toMatchObject({ followUpTaskId: 'follow-up-task-1', status: 'scheduled' });
    expect(recorded.at(-1)).toEqual(result);
  });
});
