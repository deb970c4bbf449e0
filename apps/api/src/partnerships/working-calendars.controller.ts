import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PartnershipRoute } from './partnership-access';
import { WorkingCalendarsQuery, WorkingCalendarsView } from './working-calendars.dto';
import { WorkingCalendarsService } from './working-calendars.service';

@ApiTags('partnerships')
@Controller('api/v1/partnerships')
export class WorkingCalendarsController {
  constructor(private readonly calendars: WorkingCalendarsService) {}

  @Get(':id/working-calendars')
  @PartnershipRoute('read')
  @ApiOperation({
    summary: 'Each partner’s working calendar and each contact’s next working days',
    description:
      'For each organisation: the date-holidays state its region maps to (`regionNotRecognised` ' +
      'when a region maps to none, so only national holidays count), and its off days (public ' +
      'and regional holidays) and adjusted working days (China’s 调休) from `from` to `to`. For ' +
      'each contact: the next `days` dates on or after `from`, in their own zone, that are ' +
      'working days by their weekly working hours and that calendar, each with its working ' +
      'window on the local wall clock and in UTC. The same rule the reminders follow.',
  })
  @ApiOkResponse({ type: WorkingCalendarsView })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED: `errors` names the field, `from` or `days`',
  })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  workingCalendars(
    @Param('id') id: string,
    @Query() query: WorkingCalendarsQuery,
  ): Promise<WorkingCalendarsView> {
    return this.calendars.ofPartnership(id, query);
  }
}
