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
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AddTaskDto,
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
  @Get(':id/events/stream')
  @ApiOperation({
    summary: 'Live timeline as server-sent events',
    description:
      'Each event is `id: <sequence>`, `event: <type>`, `data: <json>`. Reconnect with Last-Event-ID to resume.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'An endless text/event-stream; each `data` is a TimelineEntryView',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiNotFoundResponse()
  async events(
    @Param('id') id: string,
    @Query() query: StreamQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.read.requireRow(id);
    let sent =
      Number.isInteger(Number(lastEventId)) && lastEventId
        ? Number(lastEventId)
        : (query.after ?? 0);
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // HEAD (Fastify answers it with this handler): the headers, never the endless body.
    if (request.method === 'HEAD') {
      raw.end();
      return;
    }
    raw.write('retry: 3000\n\n');
    let sending = Promise.resolve();
    const flush = (): void => {
      // Serialised: two notifications never send the same events twice or out of order.
      sending = sending
        .then(async () => {
          for (;;) {
            const events = await this.read.eventsAfter(id, sent);
            for (const e of events) {
              raw.write(`id: ${e.sequence}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
              sent = e.sequence;
            }
            if (events.length < 500) return;
          }
        })
        .catch(() => undefined);
    };
    const unsubscribe = this.stream.subscribe(id, (sequence) => {
      if (sequence > sent) flush();
    });
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
    flush();
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
