import type { CalendarEventKind } from '../../domain/calendar-events';
import { formatDateTime } from '../format';
import { checkDate, compose, linkAndFooter, oneLine, p } from './layout';
import type { BaseEmailInput, Block, RenderedEmail } from './layout';

/**
 * Which notice of an event: the first invitation, a change, the cancellation, the notice to an
 * attendee taken off it (removal), the reminder.
 */
export type CalendarEventNotice = 'invitation' | 'update' | 'cancellation' | 'removal' | 'reminder';

export interface CalendarEventEmailInput extends BaseEmailInput {
  notice: CalendarEventNotice;
  recipientName: string;
  organiser: string;
  kind: CalendarEventKind;
  title: string;
  start: Date;
  end: Date;
  place: string | null;
  onlineUrl: string | null;
  /** The link leads to the answer page (partner contacts) or to the partnership (users). */
  linkIsAnswer: boolean;
}

const SUBJECTS = {
  invitation: 'invitationSubject',
  update: 'updateSubject',
  cancellation: 'cancellationSubject',
  removal: 'removalSubject',
  reminder: 'reminderSubject',
} as const;

/**
 * An e-mail about an event, in the recipient's language: what, when in their own time and zone
 * (and in UTC, as the attached invitation has it), where, and the link to answer. The ICS part
 * travels beside it (../calendar/event-ics.ts).
 */
export function renderCalendarEventEmail(input: CalendarEventEmailInput): RenderedEmail {
  checkDate('start', input.start);
  checkDate('end', input.end);
  return compose(input, (language, m) => {
    const e = m.calendarEvent;
    const vars = {
      organiser: input.organiser,
      kind: e.kinds[input.kind](),
      title: input.title,
      partnership: input.partnershipTitle,
    };
    const utc = `${input.start.toISOString().slice(0, 16).replace('T', ' ')}–${input.end
      .toISOString()
      .slice(11, 16)} UTC`;
    const blocks: Block[] = [
      p(m.greeting, { name: input.recipientName }),
      p(e[input.notice], vars),
      p(e.when, {
        start: formatDateTime(input.start, language, input.timeZone),
        end: formatDateTime(input.end, language, input.timeZone),
        zone: input.timeZone,
        utc,
      }),
    ];
    if (input.place) blocks.push(p(e.place, { place: input.place }));
    if (input.onlineUrl) blocks.push(p(e.online, { url: input.onlineUrl }));
    // What the attached iCalendar part does: adds or updates the event, or takes it off (the
    // removal's own text says so already).
    if (input.notice === 'invitation' || input.notice === 'update') {
      blocks.push(p(e.calendarNote, {}));
    } else if (input.notice === 'cancellation') {
      blocks.push(p(e.cancelNote, {}));
    }
    const action =
      input.linkIsAnswer && input.notice !== 'cancellation' && input.notice !== 'removal'
        ? e.answer()
        : e.openEvent();
    blocks.push(...linkAndFooter(m, action, input.link));
    return {
      language,
      subject: e[SUBJECTS[input.notice]]({
        title: oneLine(input.title),
        partnership: oneLine(input.partnershipTitle),
      }),
      blocks,
    };
  });
}
