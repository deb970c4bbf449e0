import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { IdempotencyKeyHeader } from '../platform/idempotency-key';
import { PageQuery } from '../partnerships/lifecycle.dto';
import {
  CreateWebhookDto,
  DeliveriesQuery,
  DeliveryPage,
  UpdateWebhookDto,
  WebhookPage,
  WebhookView,
} from './webhook.dto';
import { WebhooksService } from './webhooks.service';
import type { AuthUser } from '@libs/domain';
import { CurrentUser, Roles } from '../auth/auth.decorators';

@ApiTags('webhooks')
@Roles('admin')
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Register a webhook',
    description:
      'Each timeline event of a subscribed type is POSTed to `url` as JSON, signed with `secret` ' +
      '(`X-Entente-Signature: sha256=<hex HMAC-SHA256 of "<X-Entente-Timestamp>.<body>">`), ' +
      'and retried with backoff until the receiver answers 2xx.',
  })
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ type: WebhookView })
  @ApiBadRequestResponse({ description: 'problem+json naming each invalid field' })
  @ApiUnprocessableEntityResponse({
    description:
      'IDEMPOTENCY_KEY_REUSED: Idempotency-Key reused with another body; WEBHOOK_URL_REFUSED: the URL’s host is, or resolves to, an address webhooks may not reach',
  })
  create(
    @Body() dto: CreateWebhookDto,
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<WebhookView> {
    return this.webhooks.create(user, dto, idempotencyKey);
  }

  @Get()
  @ApiOperation({ summary: 'Webhooks, newest first' })
  @ApiOkResponse({ type: WebhookPage })
  list(@Query() query: PageQuery): Promise<WebhookPage> {
    return this.webhooks.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook (its secret is never shown, only `secretHint`)' })
  @ApiOkResponse({ type: WebhookView })
  @ApiNotFoundResponse({ description: 'WEBHOOK_NOT_FOUND' })
  get(@Param('id') id: string): Promise<WebhookView> {
    return this.webhooks.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Pause or resume a webhook, or change its URL, events or filter' })
  @ApiOkResponse({ type: WebhookView })
  @ApiNotFoundResponse({ description: 'WEBHOOK_NOT_FOUND' })
  @ApiUnprocessableEntityResponse({ description: 'WEBHOOK_URL_REFUSED' })
  update(
    @Param('id') id: string,
    @Body() dto: UpdateWebhookDto,
    @CurrentUser() user: AuthUser,
  ): Promise<WebhookView> {
    return this.webhooks.update(user, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook and its delivery log' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'WEBHOOK_NOT_FOUND' })
  remove(@Param('id') id: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.webhooks.remove(user, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: 'The delivery log: newest first, each delivery with its status and attempts',
  })
  @ApiOkResponse({ type: DeliveryPage })
  @ApiNotFoundResponse({ description: 'WEBHOOK_NOT_FOUND' })
  deliveries(@Param('id') id: string, @Query() query: DeliveriesQuery): Promise<DeliveryPage> {
    return this.webhooks.deliveriesOf(id, query);
  }
}
