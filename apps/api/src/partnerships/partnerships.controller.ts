import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { IdempotencyKeyHeader } from '../platform/idempotency-key';
import type { FastifyReply } from 'fastify';
import { CreatePartnershipDto, PartnershipView } from './partnership.dto';
import { PartnershipsService } from './partnerships.service';
import type { AuthUser } from '@libs/domain';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { PartnershipRoute } from './partnership-access';

@ApiTags('partnerships')
@Controller('api/v1/partnerships')
export class PartnershipsController {
  constructor(private readonly service: PartnershipsService) {}

  @Post()
  @Roles('admin', 'coordinator')
  @ApiOperation({
    summary: 'Create a partnership',
    description:
      'Starts the partnership’s workflow, which records it (stage `introduction`) and its `partnership.created` timeline event. ' +
      'Send an `Idempotency-Key` to make retries safe: the same key returns the first result and starts nothing new.',
  })
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ type: PartnershipView, description: 'Recorded' })
  @ApiAcceptedResponse({
    type: PartnershipView,
    description: 'Accepted by the workflow, not yet recorded',
  })
  @ApiBadRequestResponse({ description: 'problem+json naming each invalid field' })
  @ApiNotFoundResponse({ description: 'An organisation id does not exist' })
  @ApiUnprocessableEntityResponse({ description: 'Idempotency-Key reused with another body' })
  async create(
    @Body() dto: CreatePartnershipDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipView> {
    const result = await this.service.create(dto, user, idempotencyKey);
    void reply
      .status(result.status)
      .header('location', `/api/v1/partnerships/${result.partnership.id}`);
    return result.partnership;
  }

  @Get(':id')
  @PartnershipRoute('read')
  @ApiOperation({ summary: 'One partnership with its partner organisations and contacts' })
  @ApiOkResponse({ type: PartnershipView })
  @ApiNotFoundResponse({ description: 'No such partnership' })
  get(@Param('id') id: string): Promise<PartnershipView> {
    return this.service.get(id);
  }
}
