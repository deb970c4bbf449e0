import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '@libs/domain';
import { CurrentUser } from '../auth/auth.decorators';
import { assertIdempotencyKey, IdempotencyKeyHeader } from '../platform/idempotency-key';
import { actorOf, PartnershipRoute } from './partnership-access';
import { AddCommentDto, CommentView } from './partnership-comments.dto';
import { PartnershipCommentsService } from './partnership-comments.service';

@ApiTags('partnerships')
@Controller('api/v1/partnerships')
export class PartnershipCommentsController {
  constructor(private readonly comments: PartnershipCommentsService) {}

  @PartnershipRoute('act')
  @Post(':id/comments')
  @HttpCode(201)
  @IdempotencyKeyHeader()
  @ApiOperation({
    summary: 'Comment on the partnership or one of its tasks',
    description:
      'One `comment.added` event on the timeline. E-mailed, in their language, to the task’s ' +
      'assignee (with their task link), or to every contact who takes part when the comment is on ' +
      'the partnership or on a task nobody has. With the same `Idempotency-Key`, recorded and sent once.',
  })
  @ApiCreatedResponse({ type: CommentView })
  @ApiBadRequestResponse({ description: 'COMMENT_REQUIRED; COMMENT_TOO_LONG; VALIDATION_FAILED' })
  @ApiConflictResponse({
    description:
      'TASK_NOT_FOUND; PARTNERSHIP_CLOSED, PARTNERSHIP_AGREED; PARTNERSHIP_CHANGES_UNSUPPORTED',
  })
  add(
    @Param('id') id: string,
    @Body() body: AddCommentDto,
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CommentView> {
    assertIdempotencyKey(idempotencyKey);
    return this.comments.add(user, actorOf(user), id, body, idempotencyKey);
  }
}
