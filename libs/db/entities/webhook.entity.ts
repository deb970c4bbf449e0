import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * An outgoing webhook: where to POST which timeline events. The secret signs each request
 * (HMAC-SHA256); it is stored because signing needs it, and the API never returns it.
 */
@Entity({ name: 'webhooks' })
export class WebhookEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'text' })
  secret: string;

  /** Timeline event types, or `*` for all of them. */
  @Column({ name: 'event_types', type: 'text', array: true })
  eventTypes: string[];

  /** Only events of these partnerships; null means every partnership. */
  @Column({ name: 'partnership_ids', type: 'uuid', array: true, nullable: true })
  partnershipIds: string[] | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** sha256 of the create request when it came with an Idempotency-Key (a reuse must match). */
  @Column({ name: 'request_hash', type: 'text', nullable: true })
  requestHash: string | null;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
