import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { ALL_WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES } from '@libs/webhooks';
import { PageQuery } from '../partnerships/lifecycle.dto';
import { stacked } from '../platform/dto-fields';

const EVENT_TYPE_CHOICES = [ALL_WEBHOOK_EVENTS, ...WEBHOOK_EVENT_TYPES];
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

// localhost and single-label hosts are allowed: receivers inside the same network are common.
const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
const URL_MESSAGE = 'url must be an http:// or https:// URL';
const EVENT_TYPES_MESSAGE = `each event type must be "*" or one of ${WEBHOOK_EVENT_TYPES.join(', ')}`;

/** Which partnerships a webhook hears of: absent or null for every one, else 1–1000 UUIDs. */
function PartnershipIdsFilter(): PropertyDecorator {
  return stacked(
    IsOptional(),
    ValidateIf((_, v) => v !== null),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(1000),
    IsUUID('all', { each: true }),
  );
}

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://crm.example/hooks/entente', maxLength: 2048 })
  @IsString()
  @MaxLength(2048)
  @IsUrl(URL_OPTIONS, { message: URL_MESSAGE })
  url: string;

  @ApiProperty({
    description:
      'Signs every request (HMAC-SHA256). Write-only: the API shows only its last 4 characters.',
    minLength: 16,
    maxLength: 256,
    example: 'whsec-3f9a1c7e5b2d4a60',
  })
  @IsString()
  @Length(16, 256)
  secret: string;

  @ApiProperty({
    type: [String],
    enum: EVENT_TYPE_CHOICES,
    example: ['stage.advanced', 'approval.decided'],
    description: 'Timeline event types, or ["*"] for all of them',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_TYPE_CHOICES.length)
  @ArrayUnique()
  @IsIn(EVENT_TYPE_CHOICES, { each: true, message: EVENT_TYPES_MESSAGE })
  eventTypes: string[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    nullable: true,
    description: 'Only these partnerships; absent or null for every partnership',
  })
  @PartnershipIdsFilter()
  partnershipIds?: string[] | null;

  @ApiPropertyOptional({ example: 'CRM sync', maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ description: 'false stops deliveries, including pending retries' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: [String], enum: EVENT_TYPE_CHOICES })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_TYPE_CHOICES.length)
  @ArrayUnique()
  @IsIn(EVENT_TYPE_CHOICES, { each: true, message: EVENT_TYPES_MESSAGE })
  eventTypes?: string[];

  @ApiPropertyOptional({ maxLength: 2048 })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsUrl(URL_OPTIONS, { message: URL_MESSAGE })
  url?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', nullable: true, description: 'null: all' })
  @PartnershipIdsFilter()
  partnershipIds?: string[] | null;

  @ApiPropertyOptional({
    type: String,
    maxLength: 500,
    nullable: true,
    description: 'null clears it',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 500)
  description?: string | null;
}

export class DeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class WebhookView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: [String] }) eventTypes: string[];
  @ApiProperty({ type: [String], nullable: true }) partnershipIds: string[] | null;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ example: '…4a60', description: 'The last 4 characters of the secret' })
  secretHint: string;
  @ApiProperty({ nullable: true, type: String }) createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class WebhookPage {
  @ApiProperty({ type: [WebhookView] }) items: WebhookView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class DeliveryAttemptView {
  @ApiProperty({ example: 1 }) attempt: number;
  @ApiProperty({ format: 'date-time' }) attemptedAt: string;
  @ApiProperty({ nullable: true, type: Number, example: 503 }) statusCode: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'HTTP 503 Service Unavailable' })
  error: string | null;
  @ApiProperty({ example: 84 }) durationMs: number;
}

export class DeliveryView {
  @ApiProperty({ format: 'uuid', description: 'Also the X-Entente-Delivery header' }) id: string;
  @ApiProperty({ format: 'uuid' }) webhookId: string;
  @ApiProperty({ format: 'uuid' }) partnershipId: string;
  @ApiProperty() eventSequence: number;
  @ApiProperty({ example: 'stage.advanced' }) eventType: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: DeliveryStatus;
  @ApiProperty() attemptCount: number;
  @ApiProperty({ nullable: true, type: Number }) lastStatusCode: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) deliveredAt: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The JSON body sent' })
  payload: Record<string, unknown>;
  @ApiProperty({ type: [DeliveryAttemptView] }) attempts: DeliveryAttemptView[];
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryView] }) items: DeliveryView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}
