import { Entity, Index, PrimaryColumn } from 'typeorm';
import * as column from './columns';
import { WebhookEntity } from './webhook.entity';

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'skipped';

/**
 * Outbox and log of webhook deliveries: one row per webhook and timeline event, written in the
 * projection's transaction. The id is a uuid v5 of (webhook, partnership, sequence), and that
 * triple is unique, so a retried projection adds nothing; each row is sent by its own workflow.
 */
@Entity({ name: 'webhook_deliveries' })
@Index('UQ_webhook_deliveries_event', ['webhookId', 'partnershipId', 'eventSequence'], {
  unique: true,
})
@Index('IDX_webhook_deliveries_webhook_created', ['webhookId', 'createdAt'])
@Index('IDX_webhook_deliveries_partnership_sequence', ['partnershipId', 'eventSequence'])
export class WebhookDeliveryEntity {
  @PrimaryColumn('uuid') id: string;

  @column.Uuid({ name: 'webhook_id' }) webhookId: string;

  @column.BelongsTo(() => WebhookEntity, 'webhook_id', 'FK_webhook_deliveries_webhook')
  webhook?: WebhookEntity;

  @column.Uuid({ name: 'partnership_id' }) partnershipId: string;

  @column.Integer({ name: 'event_sequence' }) eventSequence: number;

  @column.Text({ name: 'event_type' }) eventType: string;

  /** The JSON body sent on every attempt (the signature covers it with the attempt's timestamp). */
  @column.Json() payload: Record<string, unknown>;

  @column.Text({ default: 'pending' }) status: WebhookDeliveryStatus;

  @column.Integer({ default: 0 }) attempts: number;

  @column.Integer({ name: 'last_status_code', nullable: true }) lastStatusCode: number | null;

  @column.Text({ name: 'last_error', nullable: true }) lastError: string | null;

  @column.Timestamp({ name: 'created_at', default: () => 'now()' }) createdAt: Date;

  @column.Timestamp({ name: 'last_attempt_at', nullable: true }) lastAttemptAt: Date | null;

  @column.Timestamp({ name: 'delivered_at', nullable: true }) deliveredAt: Date | null;
}
