import { Entity, PrimaryColumn } from 'typeorm';
import * as column from './columns';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

/** One HTTP attempt of a delivery, numbered 1, 2, … in the order they were made. */
@Entity({ name: 'webhook_delivery_attempts' })
export class WebhookDeliveryAttemptEntity {
  @PrimaryColumn({ name: 'delivery_id', type: 'uuid' })
  deliveryId: string;

  @column.BelongsTo(
    () => WebhookDeliveryEntity,
    'delivery_id',
    'FK_webhook_delivery_attempts_delivery',
  )
  delivery?: WebhookDeliveryEntity;

  @PrimaryColumn({ type: 'integer' })
  attempt: number;

  @column.Timestamp({ name: 'attempted_at' }) attemptedAt: Date;

  /** The receiver's HTTP status; null when no response came (timeout, refused connection). */
  @column.Integer({ name: 'status_code', nullable: true }) statusCode: number | null;

  @column.Text({ nullable: true }) error: string | null;

  @column.Integer({ name: 'duration_ms' }) durationMs: number;
}
