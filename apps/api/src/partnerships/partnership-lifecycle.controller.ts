import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AddTaskDto,
  BoardExportQuery,
  ListPartnershipsQuery,
  StreamQuery,
  TaskActionDto,
  TimelineQuery,
  TransitionDto,
  UpdateTaskDto,
} from './lifecycle.dto';
import { PartnershipPageView, PartnershipView, TimelinePageView } from './partnership.dto';
import { PartnershipLifecycleService, Transition } from './partnership-lifecycle.service';
import { PartnershipReadService } from './partnership-read.service';
import { TimelineStreamService } from './timeline-stream.service';
import { PartnershipExportsService } from './partnership-exports.service';
import { sendCsv } from '../platform/csv';
import type { AuthUser } from '@libs/domain';
import { CurrentUser } from '../auth/auth.decorators';
import { actorOf, PartnershipAccessService, PartnershipRoute } from './partnership-access';

const CONFLICT =
  'Illegal now: problem+json with a `code` (e.g. GATE_TASKS_OPEN, PARTNERSHIP_CLOSED) and `blockers`';

@ApiTags('partnerships')
@Controller('api/v1/partnerships')
export class PartnershipLifecycleController {
  constructor(
    private readonly lifecycle: PartnershipLifecycleService,
    private readonly read: PartnershipReadService,
    private readonly stream: TimelineStreamService,
    private readonly access: PartnershipAccessService,
    private readonly exports: PartnershipExportsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The board: partnerships filtered and paged, with counts per stage' })
  @ApiOkResponse({ type: PartnershipPageView })
  list(
    @Query() query: ListPartnershipsQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipPageView> {
    return this.read.list(query, this.access.listScope(user));
  }

  @Get('export.csv')
  @ApiOperation({
    summary: 'The board as CSV',
    description:
      "Every partnership the board would list under the same filters (`stage`, `status`, `q`; no paging), in the board’s order, one row each: the columns in docs/api.md (CSV exports). `text/csv; charset=utf-8` with a byte-order mark, RFC 4180, a cell that a spreadsheet would take for a formula prefixed with `'`. Downloaded as `partnerships.csv`.",
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv; charset=utf-8', schema: { type: 'string' } })
  @ApiBadRequestResponse({ description: 'problem+json naming each invalid filter' })
  async exportBoard(
    @Query() query: BoardExportQuery,
    @CurrentUser() user: AuthUser,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = await this.exports.board(query, this.access.listScope(user));
    sendCsv(reply, 'partnerships.csv', body);
  }

  @PartnershipRoute('act')
  @Post(':id/advance')
  @HttpCode(200)
  @ApiOperation({ summary: 'Advance to the next stage (the gate must be open)' })
  @ApiOkResponse({ type: PartnershipView })
  @ApiConflictResponse({ description: CONFLICT })
  @ApiNotFoundResponse()
  advance(
    @Param('id') id: string,
    @Body() body: TransitionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipView> {
    return this.transition(user, id, 'advance', body);
  }

  @PartnershipRoute('act')
  @Post(':id/send-back')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send back one stage; `reason` required' })
  @ApiOkResponse({ type: PartnershipView })
  @ApiBadRequestResponse({ description: 'No reason' })
  @ApiConflictResponse({ description: CONFLICT })
  sendBack(
    @Param('id') id: string,
    @Body() body: TransitionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipView> {
    return this.transition(user, id, 'send-back', body);
  }

  @PartnershipRoute('act')
  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause the partnership' })
  @ApiOkResponse({ type: PartnershipView })
  @ApiConflictResponse({ description: CONFLICT })
  pause(
    @Param('id') id: string,
    @Body() body: TransitionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipView> {
    return this.transition(user, id, 'pause', body);
  }

  @PartnershipRoute('act')
  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused partnership' })
  @ApiOkResponse({ type: PartnershipView })
  @ApiConflictResponse({ description: CONFLICT })
  resume(
    @Param('id') id: string,
    @Body() body: TransitionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipView> {
    return this.transition(user, id, 'resume', body);
  }

  @PartnershipRoute('act')
  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close (withdraw) the partnership from any stage; `reason` required' })
  @ApiOkResponse({ type: PartnershipView })
  @ApiBadRequestResponse({ description: 'No reason' })
  @ApiConflictResponse({ description: CONFLICT })
  close(
    @Param('id') id: string,
    @Body() body: TransitionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipView> {
    return this.transition(user, id, 'close', body);
  }

  @PartnershipRoute('act')
  @Post(':id/tasks')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a task to the current or a later stage' })
  @ApiCreatedResponse({ type: PartnershipView })
  @ApiConflictResponse({ description: CONFLICT })
  addTask(
    @Param('id') id: string,
    @Body() body: AddTaskDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipView> {
    return this.lifecycle.addTask(actorOf(user), id, body);
  }

  @PartnershipRoute('act')
  @Patch(':id/tasks/:taskId')
  @ApiOperation({ summary: 'Rename, assign (a partner contact) or date a task' })
  @ApiParam({ name: 'taskId', example: 'introduction.introductory_meeting' })
  @ApiOkResponse({ type: PartnershipView })
  @ApiConflictResponse({ description: CONFLICT })
  updateTask(
    @Param('id') id: string,
    @Param('taskId') taskId: string,
    @Body() body: UpdateTaskDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipView> {
    return this.lifecycle.updateTask(actorOf(user), id, taskId, body);
  }

  @PartnershipRoute('act')
  @Post(':id/tasks/:taskId/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a task done' })
  @ApiOkResponse({ type: PartnershipView })
  @ApiConflictResponse({ description: CONFLICT })
  completeTask(
    @Param('id') id: string,
    @Param('taskId') taskId: string,
    @Body() body: TaskActionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipView> {
    return this.lifecycle.completeTask(actorOf(user), id, taskId, body);
  }

  @PartnershipRoute('act')
  @Post(':id/tasks/:taskId/reopen')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reopen a done task' })
  @ApiOkResponse({ type: PartnershipView })
  @ApiConflictResponse({ description: CONFLICT })
  reopenTask(
    @Param('id') id: string,
    @Param('taskId') taskId: string,
    @Body() body: TaskActionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipView> {
    return this.lifecycle.reopenTask(actorOf(user), id, taskId, body);
  }

  @PartnershipRoute('read')
  @Get(':id/timeline')
  @ApiOperation({ summary: 'Every event of the partnership, oldest first, paged' })
  @ApiOkResponse({ type: TimelinePageView })
  @ApiNotFoundResponse()
  timeline(@Param('id') id: string, @Query() query: TimelineQuery): Promise<TimelinePageView> {
    return this.read.timeline(id, query);
  }

  @PartnershipRoute('read')
  @Get(':id/timeline/export.csv')
  @ApiOperation({
    summary: 'The whole timeline as CSV',
    description:
      'Every event of the partnership, oldest first, one row each: the columns in docs/api.md (CSV exports), the event’s details as JSON. Encoded as the board’s export. Downloaded as `timeline-<id>.csv`.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv; charset=utf-8', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  async exportTimeline(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    sendCsv(reply, `timeline-${id}.csv`, await this.exports.timeline(id));
  }

  @PartnershipRoute('read')
  @Get(':id/events/stream')
  @ApiOperation({
    summary: 'Live timeline as server-sent events',
    description:
      'Each event is `id: <sequence>`, `event: <type>`, `data: <json>`. Reconnect with Last-Event-ID (or `?after=`) to resume. At most STREAMS_PER_USER open streams per user and STREAMS_PER_PROCESS per API process (`429` / `503` with `Retry-After` beyond); a stream ends when its user loses access or its token stops authenticating, and a client that stops reading is dropped.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'An endless text/event-stream; each `data` is a TimelineEntryView',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiNotFoundResponse()
  @ApiTooManyRequestsResponse({ description: 'STREAMS_PER_USER streams already open' })
  @ApiServiceUnavailableResponse({ description: 'STREAMS_PER_PROCESS streams already open' })
  async events(
    @Param('id') id: string,
    @Query() query: StreamQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Headers('authorization') authorization: string | undefined,
    @CurrentUser() user: AuthUser,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const resumeFrom = Number(lastEventId);
    await this.stream.serve({
      user,
      authorization: authorization ?? '',
      partnershipId: id,
      // Last-Event-ID (a reconnecting EventSource) wins over ?after=.
      after:
        lastEventId && Number.isInteger(resumeFrom) ? Math.max(0, resumeFrom) : (query.after ?? 0),
      request,
      reply,
    });
  }

  private transition(
    user: AuthUser,
    id: string,
    transition: Transition,
    body: TransitionDto,
  ): Promise<PartnershipView> {
    return this.lifecycle.transition(actorOf(user), id, transition, body);
  }
}
