import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post } from '@nestjs/common';
import * as swagger from '@nestjs/swagger';
import type { AuthUser } from '@libs/domain';
import { CurrentUser } from '../auth/auth.decorators';
import { PartnershipRoute } from '../partnerships/partnership-access';
import { IdempotencyKeyHeader } from '../platform/idempotency-key';
import {
  AnswerCalendarEventDto,
  CalendarEventListView,
  CalendarEventView,
  CreateCalendarEventDto,
  UpdateCalendarEventDto,
} from './calendar-event.dto';
import { CalendarEventsService } from './calendar-events.service';

const NOT_FOUND = 'PARTNERSHIP_NOT_FOUND, CALENDAR_EVENT_NOT_FOUND';
const CLOSED = 'CALENDAR_EVENT_CANCELLED, CALENDAR_EVENT_STARTED: the event changes no more';

/** A partnership's events: meetings, seminars and training, with invitations and answers. */
@swagger.ApiTags('calendar-events')
@Controller('api/v1/partnerships/:id/calendar-events')
export class CalendarEventsController {
  constructor(private readonly events: CalendarEventsService) {}

  @Post()
  @PartnershipRoute('act')
  @swagger.ApiOperation({
    summary: 'Schedule an event (meeting, seminar, training) of the partnership',
    description:
      'Starts the event’s workflow, which records it and e-mails each attendee an invitation in ' +
      'their language with an ICS part (METHOD:REQUEST, SEQUENCE 0, UTC times, their own time ' +
      'and zone in the text). Partner contacts answer through a signed link; each attendee gets a ' +
      'reminder at the last working moment at least 24 h before, in their working hours and ' +
      'calendar; after the end the coordinator gets a follow-up task. The caller organises and ' +
      'attends. Send an `Idempotency-Key` to make retries safe.',
  })
  @IdempotencyKeyHeader()
  @swagger.ApiCreatedResponse({ type: CalendarEventView })
  @swagger.ApiBadRequestResponse({ description: 'VALIDATION_FAILED: `errors` names each field' })
  @swagger.ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  @swagger.ApiConflictResponse({
    description: 'TASK_NOT_FOUND (taskId), PARTNERSHIP_CLOSED, PARTNERSHIP_AGREED',
  })
  @swagger.ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED' })
  create(
    @Param('id') id: string,
    @Body() dto: CreateCalendarEventDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentUser() user: AuthUser,
  ): Promise<CalendarEventView> {
    return this.events.create(id, dto, user, idempotencyKey);
  }

  @Get()
  @PartnershipRoute('read')
  @swagger.ApiOperation({ summary: 'The partnership’s events with their attendees’ answers' })
  @swagger.ApiOkResponse({ type: CalendarEventListView })
  @swagger.ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  async list(@Param('id') id: string): Promise<CalendarEventListView> {
    return { items: await this.events.list(id) };
  }

  @Get(':eventId')
  @PartnershipRoute('read')
  @swagger.ApiOperation({ summary: 'One event, with each attendee’s answer and reminder' })
  @swagger.ApiOkResponse({ type: CalendarEventView })
  @swagger.ApiNotFoundResponse({ description: NOT_FOUND })
  get(@Param('id') id: string, @Param('eventId') eventId: string): Promise<CalendarEventView> {
    return this.events.get(id, eventId);
  }

  @Patch(':eventId')
  @PartnershipRoute('act')
  @swagger.ApiOperation({
    summary: 'Edit or reschedule an event, or change who attends',
    description:
      'One change, one SEQUENCE more. A change of the event’s own fields sends every attendee ' +
      'the changed invitation; a new start plans the reminders anew. `contactIds` / `userIds`, ' +
      'when given, are everyone of their kind who attends from now on (the organiser always ' +
      'does): one newly named gets an invitation (METHOD:REQUEST) in their language and a ' +
      'reminder in their working hours and calendar; one left out gets a METHOD:CANCEL for them ' +
      'alone, no reminder, and their link stops working; those who stay keep their answers and ' +
      'get an update only if the event’s own fields changed. The same edit again changes nothing ' +
      '(NOTHING_TO_CHANGE).',
  })
  @swagger.ApiOkResponse({ type: CalendarEventView })
  @swagger.ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED: `errors` names each field (an unknown contact or user, one named twice, no attendee left but the organiser)',
  })
  @swagger.ApiNotFoundResponse({ description: NOT_FOUND })
  @swagger.ApiConflictResponse({ description: `${CLOSED}; NOTHING_TO_CHANGE; TASK_NOT_FOUND` })
  update(
    @Param('id') id: string,
    @Param('eventId') eventId: string,
    @Body() dto: UpdateCalendarEventDto,
    @CurrentUser() user: AuthUser,
  ): Promise<CalendarEventView> {
    return this.events.update(id, eventId, dto, user);
  }

  @Post(':eventId/cancel')
  @HttpCode(200)
  @PartnershipRoute('act')
  @swagger.ApiOperation({
    summary: 'Cancel an event',
    description: 'Raises the SEQUENCE and sends every attendee a METHOD:CANCEL notice.',
  })
  @swagger.ApiOkResponse({ type: CalendarEventView })
  @swagger.ApiNotFoundResponse({ description: NOT_FOUND })
  @swagger.ApiConflictResponse({ description: CLOSED })
  cancel(
    @Param('id') id: string,
    @Param('eventId') eventId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<CalendarEventView> {
    return this.events.cancel(id, eventId, user);
  }

  @Post(':eventId/answer')
  @HttpCode(200)
  @PartnershipRoute('read')
  @swagger.ApiOperation({
    summary: 'Accept or decline an event one attends (as a user)',
    description: 'The same answer again changes nothing; another answer replaces it.',
  })
  @swagger.ApiOkResponse({ type: CalendarEventView })
  @swagger.ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @swagger.ApiNotFoundResponse({ description: NOT_FOUND })
  @swagger.ApiConflictResponse({ description: `${CLOSED}; NOT_AN_ATTENDEE` })
  answer(
    @Param('id') id: string,
    @Param('eventId') eventId: string,
    @Body() dto: AnswerCalendarEventDto,
    @CurrentUser() user: AuthUser,
  ): Promise<CalendarEventView> {
    return this.events.answerAsUser(id, eventId, dto.answer, user);
  }
}
