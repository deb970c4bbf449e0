import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import type { AuthUser, EventActor } from '@libs/domain';
import { addCommentUpdate } from '@workflows/partnership/partnership.contract';
import { AddCommentDto, CommentView } from './partnership-comments.dto';
import { PartnershipChangesService } from './partnership-changes.service';

/** Comment ids under an Idempotency-Key: the same key always names the same comment. */
const COMMENT_NAMESPACE = '6d0b9a54-2f3e-4c8a-b1d7-9e4f5a6c7b82';

/**
 * Coordinators' comments (partners' come from their task page): each is an update of the partnership's workflow, a `comment.added`
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
