import ical, { ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { AttendeeAnswer } from '../../domain/calendar-events';

/**
 * An event's iCalendar object (RFC 5545, through ical-generator: its escaping of `,;\` and new
 * lines, and its folding of lines over 75 octets), as an invitation (`METHOD:REQUEST`) or a
 * cancellation (`METHOD:CANCEL`, `STATUS:CANCELLED`). The UID is the same for the event's whole
 * life; each change raises SEQUENCE, so calendars replace the copy they hold. Times are UTC.
 */
export interface EventIcsInput {
  method: 'REQUEST' | 'CANCEL';
  /**
   * A CANCEL to attendees taken off the event (RFC 5546 §3.2.5), not of the event: no STATUS,
   * and `attendees` are those removed.
   */
  uninvite?: boolean;
  /** Stable for the event: `<eventId>@entente`. */
  uid: string;
  sequence: number;
  /** When this version was made (DTSTAMP): the change's time, so a resend is byte-identical. */
  stamp: Date;
  start: Date;
  end: Date;
  title: string;
  description: string;
  place: string | null;
  onlineUrl: string | null;
  organiser: { name: string; email: string };
  attendees: { name: string; email: string; answer: AttendeeAnswer }[];
}

const PARTSTAT: Record<AttendeeAnswer, ICalAttendeeStatus> = {
  pending: ICalAttendeeStatus.NEEDSACTION,
  accepted: ICalAttendeeStatus.ACCEPTED,
  declined: ICalAttendeeStatus.DECLINED,
};

export function eventIcs(input: EventIcsInput): string {
  const calendar = ical({
    prodId: { company: 'Entente', product: 'Entente', language: 'EN' },
    method: input.method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL,
  });
  calendar.createEvent({
    id: input.uid,
    sequence: input.sequence,
    stamp: input.stamp,
    start: input.start,
    end: input.end,
    summary: input.title,
    description: input.description,
    location: input.place ?? input.onlineUrl,
    url: input.onlineUrl,
    status: input.uninvite
      ? null
      : input.method === 'REQUEST'
        ? ICalEventStatus.CONFIRMED
        : ICalEventStatus.CANCELLED,
    organizer: { name: input.organiser.name, email: input.organiser.email },
    attendees: input.attendees.map((a) => ({
      name: a.name,
      email: a.email,
      rsvp: input.method === 'REQUEST',
      status: PARTSTAT[a.answer],
    })),
  });
  return calendar.toString();
}
