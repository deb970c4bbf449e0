/**
 * The event workflow's contract: one small entity workflow per event of a partnership
 * (`calendar-event-<eventId>`), started by the API. It owns the event (details, SEQUENCE,
 * attendees' answers), sends the invitations, changes and cancellation through the e-mail outbox,
 * sleeps on durable timers until each attendee's reminder and the end of the event, then gives
 * the coordinator a follow-up task on the partnership. PostgreSQL (`calendar_events`) holds its
 * projection, written only by its activities.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AttendeeReply,
  CalendarEventAttendee,
  CalendarEventAttendeeView,
  CalendarEventDetails,
  CalendarEventStatus,
  EventActor,
  Language,
} from '../../libs/domain';

import type { CalendarEventNotedArgs } from '../partnership/partnership.contract';

export { PARTNERSHIP_TASK_QUEUE as CALENDAR_EVENT_TASK_QUEUE } from '../partnership/partnership.contract';

export function calendarEventWorkflowId(eventId: string): string {
  return `calendar-event-${eventId}`;
}

/** The organiser: the coordinator who scheduled the event (an attendee too, as a user). */
export interface CalendarEventOrganiser {
  userId: string;
  name: string;
  email: string;
  /** The follow-up task's title is in it. */
  language: Language;
}

export interface CalendarEventInput {
  eventId: string;
  partnershipId: string;
  partnershipTitle: string;
  details: CalendarEventDetails;
  organiser: CalendarEventOrganiser;
  /** With each one's zone, working hours and calendar snapshot; every answer `pending`. */
  attendees: CalendarEventAttendee[];
  /** sha256 of the create request: a reused Idempotency-Key with another body is refused. */
  requestHash: string;
  requestedAt: string;
  /** Who scheduled it, for the timeline. */
  actor: EventActor;
}

/** Carried in the workflow (and across continue-as-new, should it ever need one). */
export interface CalendarEventState extends CalendarEventInput {
  status: CalendarEventStatus;
  /** The iCalendar SEQUENCE: 0 for the first invitation, raised by each edit and the cancellation. */
  sequence: number;
  /** Raised by every change, answers included; the projection's order. */
  revision: number;
  projectedRevision: number;
  /** SEQUENCE whose notices (invitation, change or cancellation) went to every attendee. */
  mailedSequence: number;
  /** Each attendee's planned reminder (UTC) by attendee key; null: none. */
  reminders: Record<string, string | null>;
  /** Keys `<attendeeKey>@<start>` of reminders sent (a reschedule plans anew). */
  remindersSent: string[];
  followUpTaskId: string | null;
  /** The follow-up after the end was done (the task added, or the partnership had ended). */
  followUpDone: boolean;
  /** Changes not yet told to the partnership's timeline, oldest first. */
  unnoted: CalendarEventNotedArgs[];
  /**
   * The attendees and details as the last notices had them (who holds an invitation, and what it
   * says): an attendee change mails each one what changed for them (calendar-event-attendees).
   */
  mailedAttendees: CalendarEventAttendee[];
  mailedDetails: CalendarEventDetails | null;
  /** An edit changed who attends: notices go per attendee from then on. */
  attendeesEdited: boolean;
  updatedAt: string;
}

/** The event as the workflow answers it (no calendars: they stay in the workflow). */
export interface CalendarEventView {
  id: string;
  partnershipId: string;
  details: CalendarEventDetails;
  status: CalendarEventStatus;
  sequence: number;
  revision: number;
  organiser: CalendarEventOrganiser;
  attendees: CalendarEventAttendeeView[];
  followUpTaskId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EditCalendarEventArgs {
  actor: EventActor;
  /** What changes; the rest stays. */
  details: Partial<CalendarEventDetails>;
  /**
   * Everyone who attends from now on, the organiser included (absent: the same people). Those who
   * already attend keep their record as the workflow has it (their answer); the others join with
   * the record given (zone, working hours, calendar snapshot, `pending`).
   */
  attendees?: CalendarEventAttendee[];
  at: string;
}
export interface CancelCalendarEventArgs {
  actor: EventActor;
  at: string;
}
export interface AnswerCalendarEventArgs {
  /** `contact:<id>` or `user:<id>`. */
  attendeeKey: string;
  answer: AttendeeReply;
  actor: EventActor;
  at: string;
}

/** Each answers the event once the change has reached the read model. */
export const editCalendarEventUpdate = defineUpdate<CalendarEventView, [EditCalendarEventArgs]>(
  'editCalendarEvent',
);
export const cancelCalendarEventUpdate = defineUpdate<CalendarEventView, [CancelCalendarEventArgs]>(
  'cancelCalendarEvent',
);
export const answerCalendarEventUpdate = defineUpdate<CalendarEventView, [AnswerCalendarEventArgs]>(
  'answerCalendarEvent',
);
/** Resolves once the event is recorded; refuses a request hash other than the first. */
export const awaitCalendarEventRecordedUpdate = defineUpdate<
  CalendarEventView,
  [{ requestHash: string }]
>('awaitCalendarEventRecorded');
export const getCalendarEventQuery = defineQuery<CalendarEventView>('getCalendarEvent');

/**
 * Which notice an attendee is sent; `removal`: they were taken off the attendees (a METHOD:CANCEL
 * for them alone, RFC 5546 §3.2.5).
 */
export type CalendarEventMailKind =
  'invitation' | 'update' | 'cancellation' | 'removal' | 'reminder';

/** Implemented by the worker (apps/worker/src/calendar-events/); each idempotent by its key. */
export interface CalendarEventActivities {
  /** Writes the snapshot to `calendar_events` unless a newer revision is there. */
  recordCalendarEvent(event: CalendarEventView): Promise<void>;
  /**
   * Sends one attendee one notice of the event as `event` has it, once: keyed by event, SEQUENCE
   * (or the reminder's start), notice and attendee.
   */
  sendCalendarEventEmail(args: {
    event: CalendarEventView;
    partnershipTitle: string;
    attendeeKey: string;
    kind: CalendarEventMailKind;
    /** The recipient when they are no longer in `event.attendees` (a removal). */
    attendee?: CalendarEventAttendeeView;
  }): Promise<{ sent: boolean }>;
  /**
   * Adds the coordinator's follow-up task (minutes and next steps) to the partnership, once
   * (the partnership's update is deduplicated by an update id from the event id); answers its id,
   * or null when the partnership has ended.
   */
  addCalendarEventFollowUpTask(event: CalendarEventView): Promise<string | null>;
}
