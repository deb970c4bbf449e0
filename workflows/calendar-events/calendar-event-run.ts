import {
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
} from '@temporalio/workflow';
import {
  attendeeKey,
  attendeeListProblems,
  CalendarEventAttendee,
  CalendarEventAttendeeView,
  CalendarEventDetails,
  calendarEventProblems,
  EventActor,
  eventReminderAt,
  withAnswer,
  withAttendees,
} from '../../libs/domain';
import type {
  AnswerCalendarEventArgs,
  CalendarEventActivities,
  CalendarEventInput,
  CalendarEventMailKind,
  CalendarEventState,
  CalendarEventView,
  CancelCalendarEventArgs,
  EditCalendarEventArgs,
} from './calendar-event.contract';
import {
  CalendarEventNotedArgs,
  calendarEventNotedSignal,
  partnershipWorkflowId,
} from '../partnership/partnership.contract';

/**
 * Edits that change who attends (added attendees invited, removed ones sent a CANCEL of their
 * own, the others an update only when the event's details changed). Runs recorded before it took
 * such an edit's details only.
 */
export const CALENDAR_EVENT_ATTENDEES_PATCH = 'calendar-event-attendees';

export function initialCalendarEventState(input: CalendarEventInput): CalendarEventState {
  return {
    ...input,
    status: 'scheduled',
    sequence: 0,
    revision: 1,
    projectedRevision: 0,
    mailedSequence: -1,
    reminders: {},
    remindersSent: [],
    followUpTaskId: null,
    followUpDone: false,
    unnoted: [],
    mailedAttendees: [],
    mailedDetails: null,
    attendeesEdited: false,
    updatedAt: input.requestedAt,
  };
}

function refusal(type: string, message: string, field?: string): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    details: field ? [{ errors: [{ field, messages: [message] }] }] : [],
  });
}

/**
 * The event's state and what changes it. Handlers validate (refusing before anything enters
 * history), change the state, and answer once the change is projected; the workflow's loop
 * (calendar-event.workflow.ts) projects, mails and sleeps until the next timer.
 */
export class CalendarEventRun {
  constructor(
    readonly state: CalendarEventState,
    private readonly activities: CalendarEventActivities,
    private readonly mail: CalendarEventActivities,
  ) {}

  view(): CalendarEventView {
    const s = this.state;
    return {
      id: s.eventId,
      partnershipId: s.partnershipId,
      details: s.details,
      status: s.status,
      sequence: s.sequence,
      revision: s.revision,
      organiser: s.organiser,
      attendees: s.attendees.map((a) => this.attendeeView(a)),
      followUpTaskId: s.followUpTaskId,
      createdAt: s.requestedAt,
      updatedAt: s.updatedAt,
    };
  }

  private attendeeView(a: CalendarEventAttendee): CalendarEventAttendeeView {
    const s = this.state;
    const key = attendeeKey(a);
    return {
      kind: a.kind,
      id: a.id,
      name: a.name,
      email: a.email,
      language: a.language,
      timeZone: a.timeZone,
      answer: a.answer,
      answeredAt: a.answeredAt,
      reminderAt: s.reminders[key] ?? null,
      reminderSent: s.remindersSent.includes(this.reminderKey(key)),
    };
  }

  /** Whether the loop has work: a revision to project or a SEQUENCE to mail. */
  get pending(): boolean {
    const s = this.state;
    return (
      s.projectedRevision < s.revision || s.mailedSequence < s.sequence || s.unnoted.length > 0
    );
  }

  /** Queues a change for the partnership's timeline (told once projected). */
  note(
    change: CalendarEventNotedArgs['change'],
    actor: EventActor,
    extra: Pick<
      CalendarEventNotedArgs,
      'attendee' | 'answer' | 'attendeesAdded' | 'attendeesRemoved'
    > = {},
  ): void {
    const s = this.state;
    s.unnoted.push({
      key: `${s.eventId}/${s.revision}`,
      change,
      actor,
      eventId: s.eventId,
      kind: s.details.kind,
      title: s.details.title,
      start: s.details.start,
      end: s.details.end,
      sequence: s.sequence,
      ...extra,
    });
  }

  /**
   * Tells the partnership's workflow each queued change, for its timeline. A partnership that has
   * ended (its workflow closed) refuses: there is no timeline to extend, and the event goes on.
   */
  async notePartnership(): Promise<void> {
    const notes = this.state.unnoted.splice(0);
    const partnership = getExternalWorkflowHandle(partnershipWorkflowId(this.state.partnershipId));
    for (const note of notes) {
      try {
        await partnership.signal(calendarEventNotedSignal, note);
      } catch (err) {
        if (isCancellation(err)) throw err;
        log.warn('partnership workflow not told of an event change', {
          eventId: this.state.eventId,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
  }

  /** Resolves with the event once revision `revision` is in the read model. */
  async projected(revision: number = this.state.revision): Promise<CalendarEventView> {
    await condition(() => this.state.projectedRevision >= revision);
    return this.view();
  }

  private checkOpen(): void {
    if (this.state.status === 'cancelled') {
      throw refusal('CALENDAR_EVENT_CANCELLED', 'The event was cancelled');
    }
    if (Date.parse(this.state.details.start) <= Date.now()) {
      throw refusal('CALENDAR_EVENT_STARTED', 'The event has started');
    }
  }

  checkEdit(a: EditCalendarEventArgs): void {
    this.checkOpen();
    const next = { ...this.state.details, ...a.details };
    const problems = [
      ...calendarEventProblems(next, new Date(Date.now())),
      ...(a.attendees ? attendeeListProblems(a.attendees, this.state.organiser.userId) : []),
    ];
    if (problems.length > 0) {
      throw ApplicationFailure.create({
        type: 'VALIDATION_FAILED',
        message: 'Invalid event',
        nonRetryable: true,
        details: [{ errors: problems }],
      });
    }
    const attendees = a.attendees ? withAttendees(this.state.attendees, a.attendees) : null;
    if (sameDetails(this.state.details, next) && !attendees) {
      throw refusal('NOTHING_TO_CHANGE', 'The change would change nothing');
    }
  }

  /**
   * One change, one SEQUENCE, one timeline entry, whatever it touches: the details, who attends,
   * or both. Those who stay keep their answer and reminder (unless the start moved); a removed
   * attendee's reminder is dropped, an added one's planned in their own hours and calendar.
   */
  edit(a: EditCalendarEventArgs): Promise<CalendarEventView> {
    const s = this.state;
    const moved = a.details.start !== undefined && a.details.start !== s.details.start;
    // The patch guards the branch, not the validator: a run that took this update under older
    // code took its details only, and replays so.
    const change =
      a.attendees && patched(CALENDAR_EVENT_ATTENDEES_PATCH)
        ? withAttendees(s.attendees, a.attendees)
        : null;
    s.details = { ...s.details, ...a.details };
    if (change) {
      s.attendees = change.attendees;
      s.attendeesEdited = true;
      for (const r of change.removed) delete s.reminders[attendeeKey(r)];
      if (!moved) for (const x of change.added) s.reminders[attendeeKey(x)] = this.reminderOf(x);
    }
    s.sequence += 1;
    if (moved) this.planReminders();
    const done = this.changed(a.at);
    const who = (x: CalendarEventAttendee) => ({ kind: x.kind, id: x.id, name: x.name });
    this.note(
      'updated',
      a.actor,
      change
        ? { attendeesAdded: change.added.map(who), attendeesRemoved: change.removed.map(who) }
        : {},
    );
    return done;
  }

  checkCancel(_a: CancelCalendarEventArgs): void {
    this.checkOpen();
  }

  cancel(a: CancelCalendarEventArgs): Promise<CalendarEventView> {
    this.state.status = 'cancelled';
    this.state.sequence += 1;
    const done = this.changed(a.at);
    this.note('cancelled', a.actor);
    return done;
  }

  checkAnswer(a: AnswerCalendarEventArgs): void {
    this.checkOpen();
    if (!this.state.attendees.some((x) => attendeeKey(x) === a.attendeeKey)) {
      throw refusal('NOT_AN_ATTENDEE', 'Not an attendee of this event');
    }
  }

  /** The same answer again changes nothing and answers the event as it is (idempotent). */
  answer(a: AnswerCalendarEventArgs): Promise<CalendarEventView> {
    const attendees = withAnswer(this.state.attendees, a.attendeeKey, a.answer, a.at);
    if (!attendees) return this.projected();
    this.state.attendees = attendees;
    const done = this.changed(a.at);
    const who = attendees.find((x) => attendeeKey(x) === a.attendeeKey)!;
    this.note('answered', a.actor, {
      attendee: { kind: who.kind, id: who.id, name: who.name },
      answer: a.answer,
    });
    return done;
  }

  private changed(at: string): Promise<CalendarEventView> {
    this.state.revision += 1;
    this.state.updatedAt = at;
    return this.projected();
  }

  /** Each attendee's reminder for the current start (libs/domain eventReminderAt). */
  planReminders(): void {
    this.state.reminders = Object.fromEntries(
      this.state.attendees.map((a) => [attendeeKey(a), this.reminderOf(a)]),
    );
  }

  private reminderOf(a: CalendarEventAttendee): string | null {
    return (
      eventReminderAt({
        start: new Date(this.state.details.start),
        now: new Date(Date.now()),
        timeZone: a.timeZone,
        workingHours: a.workingHours,
        calendar: a.calendar,
      })?.toISOString() ?? null
    );
  }

  private reminderKey(key: string): string {
    return `${key}@${this.state.details.start}`;
  }

  /** Writes the current revision to the read model, if it is not there yet. */
  async project(): Promise<void> {
    const revision = this.state.revision;
    if (this.state.projectedRevision >= revision) return;
    await this.activities.recordCalendarEvent(this.view());
    this.state.projectedRevision = Math.max(this.state.projectedRevision, revision);
  }

  /** Sends every attendee the notice of the current SEQUENCE, if not sent yet. */
  async mailNotices(): Promise<void> {
    const s = this.state;
    const sequence = s.sequence;
    if (s.mailedSequence >= sequence) return;
    const attendees = s.attendees;
    const details = s.details;
    if (s.attendeesEdited) {
      await this.sendNotices(this.perAttendeeNotices());
    } else {
      const kind: CalendarEventMailKind =
        s.status === 'cancelled' ? 'cancellation' : sequence === 0 ? 'invitation' : 'update';
      await this.sendEach(kind, attendees.map(attendeeKey));
    }
    s.mailedSequence = Math.max(s.mailedSequence, sequence);
    // What the attendees now hold (no command: replays rebuild it the same).
    s.mailedAttendees = attendees;
    s.mailedDetails = details;
  }

  /**
   * Who gets what once the attendees were edited, against what the last notices said: one newly
   * named gets the invitation, one taken off a CANCEL of their own (or the event's cancellation),
   * one who stays the update only if the event's details changed (a change of who else attends
   * alone sends them nothing: RFC 5546 lets the organiser choose; their copy catches up with the
   * next update).
   */
  private perAttendeeNotices(): {
    key: string;
    kind: CalendarEventMailKind;
    attendee?: CalendarEventAttendee;
  }[] {
    const s = this.state;
    const cancelled = s.status === 'cancelled';
    const mailed = new Set(s.mailedAttendees.map(attendeeKey));
    const current = new Set(s.attendees.map(attendeeKey));
    const detailsChanged = s.mailedDetails === null || !sameDetails(s.mailedDetails, s.details);
    const notices: {
      key: string;
      kind: CalendarEventMailKind;
      attendee?: CalendarEventAttendee;
    }[] = [];
    for (const a of s.attendees) {
      const key = attendeeKey(a);
      if (cancelled) notices.push({ key, kind: 'cancellation' });
      else if (!mailed.has(key)) notices.push({ key, kind: 'invitation' });
      else if (detailsChanged) notices.push({ key, kind: 'update' });
    }
    for (const a of s.mailedAttendees) {
      const key = attendeeKey(a);
      if (current.has(key)) continue;
      notices.push({ key, kind: cancelled ? 'cancellation' : 'removal', attendee: a });
    }
    return notices;
  }

  private async sendEach(kind: CalendarEventMailKind, keys: string[]): Promise<void> {
    await this.sendNotices(keys.map((key) => ({ key, kind })));
  }

  private async sendNotices(
    notices: { key: string; kind: CalendarEventMailKind; attendee?: CalendarEventAttendee }[],
  ): Promise<void> {
    const event = this.view();
    // One activity per recipient, in parallel: a failing address holds up no one else.
    await Promise.all(
      notices.map(({ key, kind, attendee }) =>
        this.mail.sendCalendarEventEmail({
          event,
          partnershipTitle: this.state.partnershipTitle,
          attendeeKey: key,
          kind,
          ...(attendee ? { attendee: this.attendeeView(attendee) } : {}),
        }),
      ),
    );
  }

  /** The next instant a timer must wake the loop: a reminder due, or the end (follow-up). */
  nextWake(): number | undefined {
    const s = this.state;
    if (s.status === 'cancelled' || s.followUpDone) return undefined;
    const due = this.dueReminders(Number.POSITIVE_INFINITY).map((k) => Date.parse(s.reminders[k]!));
    return Math.min(...due, Date.parse(s.details.end));
  }

  /** Attendee keys whose reminder is due by `nowMs`, not sent, and not declined. */
  private dueReminders(nowMs: number): string[] {
    const s = this.state;
    return s.attendees
      .filter((a) => a.answer !== 'declined')
      .map(attendeeKey)
      .filter((k) => {
        const at = s.reminders[k];
        return at !== null && at !== undefined && Date.parse(at) <= nowMs;
      })
      .filter((k) => !s.remindersSent.includes(this.reminderKey(k)));
  }

  /** What a timer woke the loop for: due reminders, then the follow-up once the event ended. */
  async wake(): Promise<void> {
    const now = Date.now();
    const due = this.dueReminders(now);
    if (due.length > 0) {
      await this.sendEach('reminder', due);
      this.state.remindersSent.push(...due.map((k) => this.reminderKey(k)));
      this.state.revision += 1;
    }
    if (this.state.status === 'scheduled' && now >= Date.parse(this.state.details.end)) {
      this.state.followUpTaskId = await this.activities.addCalendarEventFollowUpTask(this.view());
      this.state.followUpDone = true;
      this.state.revision += 1;
    }
  }
}

function sameDetails(a: CalendarEventDetails, b: CalendarEventDetails): boolean {
  return (Object.keys(a) as (keyof CalendarEventDetails)[]).every((k) => a[k] === b[k]);
}
