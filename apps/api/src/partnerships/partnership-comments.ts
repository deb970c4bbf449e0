import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Injectable, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { v5 as uuidv5 } from 'uuid';
import { MAX_COMMENT_LENGTH, type AuthUser, type EventActor } from '@libs/domain';
import { addCommentUpdate } from '@workflows/partnership/partnership.contract';
import { CurrentUser } from '../auth/auth.decorators';
import { assertIdempotencyKey, IdempotencyKeyHeader } from '../platform/idempotency-key';
import { actorOf, PartnershipRoute } from './partnership-access';
import { PartnershipChangesService } from './partnership-changes.service';

/** Comment ids under an Idempotency-Key: the same key always names the same comment. */
const COMMENT_NAMESPACE = '6d0b9a54-2f3e-4c8a-b1d7-9e4f5a6c7b82';

export class AddCommentDto {
  @ApiProperty({
    example: 'The seminar moves to Tuesday; please bring the agenda.',
    description: `1 to ${MAX_COMMENT_LENGTH} characters once trimmed (COMMENT_REQUIRED, COMMENT_TOO_LONG)`,
  })
  @IsString()
  text: string;

  @ApiPropertyOptional({
    example: 'introduction.introductory_meeting',
    description: 'The task it is on; absent: the partnership',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  taskId?: string;
}

export class CommentView {
  @ApiProperty({ format: 'uuid' }) commentId: string;
  @ApiProperty({ description: 'False when this Idempotency-Key recorded the comment before' })
  recorded: boolean;
}

/**
 * Coordinators' comments: each is an update of the partnership's workflow, a `comment.added`
 * event on its timeline, and an e-mail to the contacts concerned in their language.
 */
@Injectable()
export class PartnershipCommentsService {
  constructor(private readonly changes: PartnershipChangesService) {}

  async add(
    user: AuthUser,
    by: EventActor,
    id: string,
    body: AddCommentDto,
    idempotencyKey?: string,
  ): Promise<CommentView> {
    await this.changes.runningRow(id);
    const commentId = idempotencyKey
      ? uuidv5(`comments:${id}:${user.id}:${idempotencyKey}`, COMMENT_NAMESPACE)
      : randomUUID();
    return this.changes.send(id, addCommentUpdate, {
      actor: by,
      commentId,
      text: body.text,
      ...(body.taskId !== undefined ? { taskId: body.taskId } : {}),
    });
  }
}

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
