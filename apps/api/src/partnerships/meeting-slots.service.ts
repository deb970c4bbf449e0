import { Injectable } from '@nestjs/common';
import { workingCalendarFor } from '@libs/calendars';
import type { OrganisationEntity } from '@libs/db';
import {
  DEFAULT_WORKING_HOURS,
  DomainError,
  ErrorCode,
  findMeetingSlots,
  MAX_MEETING_RANGE_DAYS,
  MeetingAttendee,
  WorkingCalendar,
} from '@libs/domain';
import type { AuthUser } from '@libs/domain';
import {
  MeetingAttendeeView,
  MeetingSlotProposalsView,
  MeetingSlotsQuery,
} from './meeting-slots.dto';
import { PartnershipReadService } from './partnership-read.service';

const DAY_MS = 86_400_000;
export const COORDINATOR_ATTENDEE_ID = 'coordinator';

/** The meeting-time finder (libs/domain/meeting-slots.ts) over a partnership's contacts. */
@Injectable()
export class MeetingSlotsService {
  constructor(private readonly reads: PartnershipReadService) {}

  async find(
    id: string,
    query: MeetingSlotsQuery,
    user: AuthUser,
  ): Promise<MeetingSlotProposalsView> {
    const row = await this.reads.require(id);
    const from = new Date(query.from);
    const to = new Date(query.to);
    const span = calendarSpan(from, to);
    const organisations = await this.reads.calendarSources(row);
    const chosen = chosenContacts(organisations, query.contactIds, row.contactIds ?? []);

    const calendars = new Map<string, WorkingCalendar | undefined>();
    const calendarOf = (o: OrganisationEntity): WorkingCalendar | undefined => {
      if (!span) return undefined; // the finder refuses the range itself
      if (!calendars.has(o.id)) {
        calendars.set(o.id, workingCalendarFor(o, span.fromDate, span.toDate));
      }
      return calendars.get(o.id);
    };

    const views: MeetingAttendeeView[] = [];
    const attendees: MeetingAttendee[] = [];
    if (query.coordinatorTimeZone) {
      const workingHours = { ...DEFAULT_WORKING_HOURS, days: [...DEFAULT_WORKING_HOURS.days] };
      views.push({
        id: COORDINATOR_ATTENDEE_ID,
        kind: 'coordinator',
        name: user.name,
        organisationId: null,
        organisationName: null,
        timeZone: query.coordinatorTimeZone,
        workingHours,
      });
      attendees.push({
        id: COORDINATOR_ATTENDEE_ID,
        timeZone: query.coordinatorTimeZone,
        workingHours,
      });
    }
    for (const { organisation: o, contact: c } of chosen) {
      views.push({
        id: c.id,
        kind: 'contact',
        name: c.name,
        organisationId: o.id,
        organisationName: o.name,
        timeZone: c.timeZone,
        workingHours: c.workingHours,
      });
      attendees.push({
        id: c.id,
        timeZone: c.timeZone,
        workingHours: c.workingHours,
        calendar: calendarOf(o),
      });
    }
    if (attendees.length === 0) {
      throw invalid('contactIds', 'the partnership has no contact to meet');
    }

    const proposals = findMeetingSlots({
      attendees,
      from,
      to,
      durationMinutes: query.durationMinutes,
      stepMinutes: query.stepMinutes,
    });
    return { ...proposals, attendees: views };
  }
}

/**
 * The contacts named by `contactIds`, or by default every one who takes part in the partnership,
 * in the partnership's order. An id that is not one of the partnership's contacts, a repeated one
 * or an empty list is refused.
 */
function chosenContacts(
  organisations: OrganisationEntity[],
  contactIds: string | undefined,
  takingPart: readonly string[],
): {
  organisation: OrganisationEntity;
  contact: NonNullable<OrganisationEntity['contacts']>[number];
}[] {
  const all = organisations.flatMap((organisation) =>
    (organisation.contacts ?? []).map((contact) => ({ organisation, contact })),
  );
  if (contactIds === undefined) return all.filter(({ contact }) => takingPart.includes(contact.id));
  const ids = contactIds.split(',').map((s) => s.trim());
  if (ids.length === 1 && ids[0] === '')
    throw invalid('contactIds', 'must list at least one contact');
  const known = new Set(all.map((a) => a.contact.id));
  const messages: string[] = [];
  const seen = new Set<string>();
  for (const cid of ids) {
    if (!known.has(cid)) messages.push(`${cid || '(empty)'} is not a contact of this partnership`);
    else if (seen.has(cid)) messages.push(`${cid} is listed twice`);
    seen.add(cid);
  }
  if (messages.length > 0) throw invalid('contactIds', ...messages);
  return all.filter((a) => seen.has(a.contact.id));
}

/**
 * The local dates the range covers in any zone, with a day to spare on each side (UTC offsets
 * reach ±14 hours), or undefined when the finder will refuse the range anyway.
 */
function calendarSpan(from: Date, to: Date): { fromDate: string; toDate: string } | undefined {
  const range = to.getTime() - from.getTime();
  if (!(range > 0 && range <= MAX_MEETING_RANGE_DAYS * DAY_MS)) return undefined;
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { fromDate: date(from.getTime() - DAY_MS), toDate: date(to.getTime() + DAY_MS) };
}

function invalid(field: string, ...messages: string[]): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, `Invalid request: ${field}`, {
    errors: [{ field, messages }],
  });
}
