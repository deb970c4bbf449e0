import { CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import * as column from './columns';

/**
 * An outgoing webhook: where to POST which timeline events. The secret signs each request
 * (HMAC-SHA256); it is stored because signing needs it, and the API never returns it.
 */
@Entity({ name: 'webhooks' })
export class WebhookEntity {
  @PrimaryColumn('uuid') id: string;

  @column.Text() url: string;

  @column.Text() secret: string;

  /** Timeline event types, or `*` for all of them. */
  @column.Text({ name: 'event_types', array: true }) eventTypes: string[];

  /** Only events of these partnerships; null means every partnership. */
  @column.Uuid({ name: 'partnership_ids', array: true, nullable: true }) partnershipIds:
    string[] | null;

  @column.Text({ nullable: true }) description: string | null;

  @column.Bool({ default: true }) active: boolean;

  /** sha256 of the create request when it came with an Idempotency-Key (a reuse must match). */
  @column.Text({ name: 'request_hash', nullable: true }) requestHash: string | null;

  @column.Text({ name: 'created_by', nullable: true }) createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
