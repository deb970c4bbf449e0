import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { eventLinkExpiry, signEventLink } from '@libs/approval-links';
import { CalendarEventsRepository } from '@libs/db';
import { eventFollowUpTitle } from '@libs/domain';
import { eventIcs, renderCalendarEventEmail } from '@libs/notifications';
import type {
  CalendarEventActivities,
  CalendarEventMailKind,
  CalendarEventView,
} from '@workflows/calendar-events/calendar-event.contract';
import { addTaskUpdate, partnershipWorkflowId } from '@workflows/partnership/partnership.contract';
import { EmailDeps, partnershipPageLink, sendOnce } from '../partnerships/email-outbox';

export interface CalendarEventDeps extends Pick<EmailDeps, 'dataSource' | 'mailer' | 'leaseMs'> {
  linkSecret: string;
  baseUrl: string;
  /** Adds the follow-up task through the partnership's workflow. */
  temporal: Pick<Client, 'workflow'>;
}

/**
 * The business key of one notice to one attendee: invitations, changes and the cancellation by
 * SEQUENCE, a reminder by the start it reminds of (a reschedule reminds anew).
 */
export function calendarEventNotificationKey(
  event: Pick<CalendarEventView, 'id' | 'sequence' | 'details'>,
  kind: CalendarEventMailKind,
  attendeeKey: string,
): string {
  const version =
    kind === 'reminder'
      ? `start-${event.details.start.replace(/[^0-9TZ]/g, '')}`
      : `seq-${event.sequence}`;
  return `calendar-event/${event.id}/${kind}/${version}/${attendeeKey}`;
}

export function createCalendarEventActivities(deps: CalendarEventDeps): CalendarEventActivities {
  const events = new CalendarEventsRepository(deps.dataSource);
  return {
    async recordCalendarEvent(event) {
      await events.record({
        ...event.details,
        id: event.id,
        partnershipId: event.partnershipId,
        status: event.status,
        sequence: event.sequence,
        revision: event.revision,
        organiser: event.organiser,
        attendees: event.attendees,
        followUpTaskId: event.followUpTaskId,
        createdAt: event.createdAt,
        updatedAt: event.updatedAt,
      });
    },

    async sendCalendarEventEmail({ event, partnershipTitle, attendeeKey, kind, attendee: gone }) {
      const attendee =
        event.attendees.find((a) => `${a.kind}:${a.id}` === attendeeKey) ??
        (gone && `${gone.kind}:${gone.id}` === attendeeKey ? gone : undefined);
      if (!attendee) throw ApplicationFailure.nonRetryable(`no attendee ${attendeeKey}`);
      const { details } = event;
      const start = new Date(details.start);
      const end = new Date(details.end);
      const ends = kind === 'cancellation' || kind === 'removal';
      const answers = attendee.kind === 'contact' && !ends;
      const link = answers
        ? `${deps.baseUrl}/e/${signEventLink(
            { eventId: event.id, contactId: attendee.id, expiresAt: eventLinkExpiry(end) },
            deps.linkSecret,
          )}`
        : partnershipPageLink(deps, event.partnershipId);
      const key = calendarEventNotificationKey(event, kind, attendeeKey);
      const sent = await sendOnce(
        deps,
        key,
        event.partnershipId,
        { name: attendee.name, address: attendee.email },
        () => {
          const email = renderCalendarEventEmail({
            notice: kind,
            language: attendee.language,
            timeZone: attendee.timeZone,
            partnershipTitle,
            link,
            recipientName: attendee.name,
            organiser: event.organiser.name,
            kind: details.kind,
            title: details.title,
            start,
            end,
            place: details.place,
            onlineUrl: details.onlineUrl,
            linkIsAnswer: answers,
          });
          if (kind === 'reminder') return email;
          const method = ends ? 'CANCEL' : 'REQUEST';
          const content = eventIcs({
            method,
            // Uninviting one attendee: the CANCEL names them alone and leaves the event's STATUS
            // out (RFC 5546 §3.2.5): the event goes on for the others.
            uninvite: kind === 'removal',
            uid: `${event.id}@entente`,
            sequence: event.sequence,
            stamp: new Date(event.updatedAt),
            start,
            end,
            title: details.title,
            description: email.text,
            place: details.place,
            onlineUrl: details.onlineUrl,
            organiser: event.organiser,
            attendees: kind === 'removal' ? [attendee] : event.attendees,
          });
          return { ...email, calendar: { method, content } };
        },
      );
      return { sent };
    },

    async addCalendarEventFollowUpTask(event) {
      const title = eventFollowUpTitle(event.details.title, event.organiser.language);
      try {
        const live = await deps.temporal.workflow
          .getHandle(partnershipWorkflowId(event.partnershipId))
          .executeUpdate(addTaskUpdate, {
            args: [{ actor: { kind: 'system', name: 'Entente' }, title, required: false }],
            // The partnership's workflow answers a repeated update id with the first result: a
            // retried activity adds the task once.
            updateId: `calendar-event-follow-up-${event.id}`,
          });
        const added = live.tasks.filter((t) => t.title === title).at(-1);
        return added?.id ?? null;
      } catch (err) {
        // The partnership has ended or is paused (a refusal), or its workflow is gone: there is
        // no task list to add to.
        if (err instanceof WorkflowNotFoundError) return null;
        if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
          return null;
        }
        throw err;
      }
    },
  };
}
