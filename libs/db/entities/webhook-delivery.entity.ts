import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
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
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'webhook_id', type: 'uuid' })
  webhookId: string;

  @ManyToOne(() => WebhookEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'webhook_id', foreignKeyConstraintName: 'FK_webhook_deliveries_webhook' })
  webhook?: WebhookEntity;

  @Column({ name: 'partnership_id', type: 'uuid' })
  partnershipId: string;

  @Column({ name: 'event_sequence', type: 'integer' })
  eventSequence: number;

  @Column({ name: 'event_type', type: 'text' })
  eventType: string;

  /** The JSON body sent on every attempt (the signature covers it with the attempt's timestamp). */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'text', default: 'pending' })
  status: WebhookDeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;
}
