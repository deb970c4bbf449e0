import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '@libs/domain';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { assertIdempotencyKey, IdempotencyKeyHeader } from '../platform/idempotency-key';
import { ReopenDto } from './lifecycle.dto';
import { actorOf } from './partnership-access';
import { PartnershipView } from './partnership.dto';
import { PartnershipReopenService } from './partnership-reopen.service';

/** Reopening a closed partnership: an admin's decision. */
@ApiTags('partnerships')
@Controller('api/v1/partnerships')
export class PartnershipReopenController {
  constructor(private readonly reopening: PartnershipReopenService) {}

  @Roles('admin')
  @Post(':id/reopen')
  @HttpCode(200)
  @IdempotencyKeyHeader()
  @ApiOperation({
    summary: 'Reopen a closed partnership (admins only); `reason` required',
    description:
      'It goes back to the stage it was closed in, active, with its tasks and approvals as the close left them (requests the close withdrew stay withdrawn); follow-ups resume. One `partnership.reopened` event with the admin and the reason. The same `Idempotency-Key` again reopens once and answers the same.',
  })
  @ApiOkResponse({ type: PartnershipView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: no reason' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: admins only' })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  @ApiConflictResponse({
    description:
      'PARTNERSHIP_NOT_CLOSED (active or paused), PARTNERSHIP_AGREED, PARTNERSHIP_REOPEN_UNSUPPORTED (closed by a workflow run from before reopening existed), PARTNERSHIP_WORKFLOW_ENDED (its workflow was terminated or failed); nothing changed',
  })
  @ApiServiceUnavailableResponse({ description: 'DEPENDENCY_UNAVAILABLE, with Retry-After' })
  reopen(
    @Param('id') id: string,
    @Body() body: ReopenDto,
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<PartnershipView> {
    assertIdempotencyKey(idempotencyKey);
    return this.reopening.reopen(actorOf(user), id, body, idempotencyKey);
  }
}
