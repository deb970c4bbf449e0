import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '@libs/domain';
import { CurrentUser } from '../auth/auth.decorators';
import { MeetingSlotProposalsView, MeetingSlotsQuery } from './meeting-slots.dto';
import { MeetingSlotsService } from './meeting-slots.service';
import { PartnershipRoute } from './partnership-access';

@ApiTags('partnerships')
@Controller('api/v1/partnerships')
export class MeetingSlotsController {
  constructor(private readonly meetingSlots: MeetingSlotsService) {}

  @Get(':id/meeting-slots')
  @PartnershipRoute('read')
  @ApiOperation({
    summary: 'Times for a meeting of the partnership’s contacts, in their zones and calendars',
    description:
      'Each contact attends with their time zone, working hours and their organisation’s working ' +
      'calendar (public holidays of its country and region; China’s adjusted working days). With ' +
      '`coordinatorTimeZone` the caller attends too, working 09:00–18:00 Monday to Friday in that ' +
      'zone, with no holidays. When some slots fit everyone’s working time (`mode: common`) only ' +
      'they are proposed, earliest first; otherwise (`fair`) the least inconvenient, shared out. ' +
      '`attendees` gives each attendee’s name and organisation; each slot lists them in that order ' +
      'with their local start and end. See docs/calendars.md, “Meeting-time finder”.',
  })
  @ApiOkResponse({ type: MeetingSlotProposalsView })
  @ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED: `errors` names each field (`contactIds`, `from`, `to`, `durationMinutes`, `stepMinutes`, `coordinatorTimeZone`)',
  })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  find(
    @Param('id') id: string,
    @Query() query: MeetingSlotsQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<MeetingSlotProposalsView> {
    return this.meetingSlots.find(id, query, user);
  }
}
