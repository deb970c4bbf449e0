import { applyDecorators, Controller, Get, Param, Query, Type } from '@nestjs/common';
import * as swagger from '@nestjs/swagger';
import type { AuthUser } from '@libs/domain';
import { CurrentUser } from '../auth/auth.decorators';
import { MeetingSlotProposalsView, MeetingSlotsQuery } from './meeting-slots.dto';
import { MeetingSlotsService } from './meeting-slots.service';
import { PartnershipRoute } from './partnership-access';
import { WorkingCalendarsQuery, WorkingCalendarsView } from './working-calendars.dto';
import { WorkingCalendarsService } from './working-calendars.service';

/**
 * A GET of a partnership's readers that computes an answer from query parameters: the answer
 * `type`, 400 VALIDATION_FAILED naming the `fields` at fault, 404 PARTNERSHIP_NOT_FOUND.
 */
function PartnershipQuery(
  path: string,
  doc: { summary: string; description: string; type: Type<unknown>; fields: string },
): MethodDecorator {
  return applyDecorators(
    Get(path),
    PartnershipRoute('read'),
    swagger.ApiOperation({ summary: doc.summary, description: doc.description }),
    swagger.ApiOkResponse({ type: doc.type }),
    swagger.ApiBadRequestResponse({
      description: `VALIDATION_FAILED: \`errors\` names each field at fault (${doc.fields})`,
    }),
    swagger.ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' }),
  );
}

/** The partners' working time: their calendars, and times for a meeting inside them. */
@swagger.ApiTags('partnerships')
@Controller('api/v1/partnerships')
export class PartnershipCalendarsController {
  constructor(
    private readonly calendars: WorkingCalendarsService,
    private readonly meetingSlots: MeetingSlotsService,
  ) {}

  @PartnershipQuery(':id/working-calendars', {
    summary: 'Each partner’s working calendar and each contact’s next working days',
    description:
      'For each organisation: the date-holidays state its region maps to (`regionNotRecognised` ' +
      'when a region maps to none, so only national holidays count), and its off days (public ' +
      'and regional holidays) and adjusted working days (China’s 调休) from `from` to `to`. For ' +
      'each contact: the next `days` dates on or after `from`, in their own zone, that are ' +
      'working days by their weekly working hours and that calendar, each with its working ' +
      'window on the local wall clock and in UTC. The same rule the reminders follow.',
    type: WorkingCalendarsView,
    fields: '`from`, `days`',
  })
  workingCalendars(
    @Param('id') id: string,
    @Query() query: WorkingCalendarsQuery,
  ): Promise<WorkingCalendarsView> {
    return this.calendars.ofPartnership(id, query);
  }

  @PartnershipQuery(':id/meeting-slots', {
    summary: 'Times for a meeting of the partnership’s contacts, in their zones and calendars',
    description:
      'Each contact attends with their time zone, working hours and their organisation’s working ' +
      'calendar (public holidays of its country and region; China’s adjusted working days). With ' +
      '`coordinatorTimeZone` the caller attends too, working 09:00–18:00 Monday to Friday in that ' +
      'zone, with no holidays. When some slots fit everyone’s working time (`mode: common`) only ' +
      'they are proposed, earliest first; otherwise (`fair`) the least inconvenient, shared out. ' +
      '`attendees` gives each attendee’s name and organisation; each slot lists them in that order ' +
      'with their local start and end. See docs/calendars.md, “Meeting-time finder”.',
    type: MeetingSlotProposalsView,
    fields: '`contactIds`, `from`, `to`, `durationMinutes`, `stepMinutes`, `coordinatorTimeZone`',
  })
  find(
    @Param('id') id: string,
    @Query() query: MeetingSlotsQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<MeetingSlotProposalsView> {
    return this.meetingSlots.find(id, query, user);
  }
}
